"""The quarterly local return: a quarter opened, a council's figures entered in the form or
through the template, submitted, published; provisional figures seen inside the alliance
only, each view of another council's logged; two people saving never overwrite silently."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from openpyxl import Workbook, load_workbook

from benchmarking.models import LocalFigure, LocalIndicator, LocalReturn, ReturnQuarter
from benchmarking.selectors import framework_year
from benchmarking.services.framework import framework_start, local_indicator_add
from peerchallenge.models import AccessLog, Role
from tests.factories import MembershipFactory, UserFactory, council


@pytest.fixture
def lead(world):
    user = UserFactory(full_name="Dana Lead", email="dana@example.org")
    MembershipFactory(alliance=world.em, user=user, role=Role.DATA_LEAD)
    return user


@pytest.fixture
def indicators(world, lead) -> list[LocalIndicator]:
    with scope(alliance=world.em):
        framework = framework_start(alliance=world.em, year=framework_year(), created_by=lead)
        framework.entries.all().delete()  # only the local ones matter here
        made = [
            local_indicator_add(
                framework=framework,
                title=title,
                unit=unit,
                polarity="Low",
                decimals=1,
                description="",
                theme="Local",
            )
            for title, unit in [
                ("Children waiting for an assessment", "children"),
                ("Placements ending unplanned, %", "percent"),
            ]
        ]
    return made


@pytest.fixture
def quarter(world, lead, indicators) -> ReturnQuarter:
    with scopes_disabled():
        return ReturnQuarter.objects.create(
            alliance=world.em,
            year=2026,
            quarter=3,
            deadline=timezone.localdate() + datetime.timedelta(days=14),
            opened_by=lead,
        )


def url(world, name, **kwargs):
    return reverse(f"benchmarking:{name}", kwargs={"alliance": world.em.slug, **kwargs})


def return_url(world, quarter, name="Derby"):
    return url(world, "return", quarter=quarter.pk, gss=council(name).gss_code)


def fields(indicators, *values) -> dict:
    return {
        f"indicator_{indicator.pk}": value
        for indicator, value in zip(indicators, values, strict=True)
    }


def saved(quarter, name="Derby") -> dict:
    with scopes_disabled():
        return {
            figure.indicator.title: (figure.value, figure.symbol)
            for figure in LocalFigure.objects.filter(
                local_return__quarter=quarter, local_return__council=council(name)
            ).select_related("indicator")
        }


def logged(world) -> list[str]:
    with scopes_disabled():
        return list(
            AccessLog.objects.filter(alliance=world.em)
            .order_by("at", "pk")
            .values_list("object_repr", flat=True)
        )


def test_the_data_lead_opens_a_quarter_once(client, world, lead, indicators):
    client.force_login(lead)
    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    data = {"year": "2026", "quarter": "3", "deadline": deadline}
    response = client.post(url(world, "quarter_open"), data)
    with scopes_disabled():
        quarter = ReturnQuarter.objects.get(alliance=world.em)
    assert response["Location"] == url(world, "quarter", quarter=quarter.pk)
    assert quarter.label == "2026-27 Q3"
    page = client.post(url(world, "quarter_open"), data).content.decode()
    assert "2026-27 Q3 is open already." in page
    assert 'href="#id_quarter"' in page


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        ("2027-02-31", "The deadline must be a real date"),  # as an old link would send it
        ("2001-01-01", "The deadline must be today or later."),
        ("", "Enter the deadline for councils&#x27; returns."),
    ],
)
def test_a_bad_deadline_is_refused_next_to_the_field(
    client, world, lead, indicators, deadline, message
):
    client.force_login(lead)
    page = client.post(
        url(world, "quarter_open"), {"year": "2026", "quarter": "3", "deadline": deadline}
    ).content.decode()
    assert message in page
    assert 'href="#id_deadline"' in page
    with scopes_disabled():
        assert not ReturnQuarter.objects.exists()


def test_a_councils_organiser_saves_a_draft_then_submits(client, world, quarter, indicators):
    client.force_login(world.organiser)
    page = client.get(return_url(world, quarter)).content.decode()
    assert "Children waiting for an assessment" in page
    assert (
        client.post(
            return_url(world, quarter), {**fields(indicators, "12", ""), "save": "Save as a draft"}
        ).status_code
        == 302
    )
    assert saved(quarter) == {"Children waiting for an assessment": (Decimal("12"), "")}
    with scopes_disabled():
        assert LocalReturn.objects.get(quarter=quarter).submitted_at is None
    response = client.post(
        return_url(world, quarter), {**fields(indicators, "12", "x"), "submit_return": "Submit"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        local_return = LocalReturn.objects.get(quarter=quarter)
    assert (local_return.submitted_by, local_return.submitted_at is not None) == (
        world.organiser,
        True,
    )
    assert saved(quarter)["Placements ending unplanned, %"] == (None, "x")


def test_submitting_needs_every_figure_and_numbers_only(client, world, quarter, indicators):
    client.force_login(world.dcs)
    page = client.post(
        return_url(world, quarter), {**fields(indicators, "twelve", ""), "submit_return": "Submit"}
    ).content.decode()
    assert "“twelve” is not a number (write x if it is not available)." in page
    assert f'href="#id_indicator_{indicators[0].pk}"' in page
    assert 'value="twelve"' in page  # what was typed is kept
    page = client.post(
        return_url(world, quarter), {**fields(indicators, "12", ""), "submit_return": "Submit"}
    ).content.decode()
    assert (
        "Enter a figure for “Placements ending unplanned, %”, or say it is not available." in page
    )
    assert saved(quarter) == {}


def test_two_people_saving_the_same_return_do_not_overwrite_each_other(
    client, world, quarter, indicators
):
    client.force_login(world.organiser)
    form = client.get(return_url(world, quarter)).context["form"]
    base = form.initial["base_version"]
    client.post(
        return_url(world, quarter),
        {**fields(indicators, "10", ""), "base_version": base, "save": "1"},
    )
    client.force_login(world.dcs)  # filled in from the same page, before the save
    page = client.post(
        return_url(world, quarter),
        {**fields(indicators, "99", ""), "base_version": base, "save": "1"},
    ).content.decode()
    assert "Someone else saved this while you were editing." in page
    assert saved(quarter) == {"Children waiting for an assessment": (Decimal("10"), "")}


def test_the_template_downloads_with_what_is_saved_and_uploads_as_a_draft(
    client, world, quarter, indicators
):
    client.force_login(world.organiser)
    client.post(return_url(world, quarter), {**fields(indicators, "7", ""), "save": "1"})
    csv_file = client.get(
        url(world, "return_template_csv", quarter=quarter.pk, gss=council("Derby").gss_code)
    )
    lines = csv_file.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "indicator,title,unit,value"
    assert lines[1] == f"{indicators[0].pk},Children waiting for an assessment,children,7"
    xlsx = client.get(
        url(world, "return_template_xlsx", quarter=quarter.pk, gss=council("Derby").gss_code)
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    rows[1][3], rows[2][3] = "8", "x"
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("return.xlsx", out.getvalue())
    response = client.post(return_url(world, quarter), {"file": upload, "upload": "Upload"})
    assert response.status_code == 302
    assert saved(quarter) == {
        "Children waiting for an assessment": (Decimal("8"), ""),
        "Placements ending unplanned, %": (None, "x"),
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,value\nDerby,1\n", "The file&#x27;s first row must be the template&#x27;s"),
        (
            b"indicator,title,unit,value\n999,x,y,1\n",
            "Line 2: “999” is not one of this return&#x27;s indicators.",
        ),
        (b"%PDF-1.7\n%%EOF\n", "The selected file is a PDF but its name ends in .csv"),
    ],
    ids=["wrong header", "unknown indicator", "a pdf"],
)
def test_a_bad_template_is_refused_and_nothing_is_saved(
    client, world, quarter, indicators, content, message
):
    client.force_login(world.organiser)
    upload = SimpleUploadedFile("return.csv", content)
    page = client.post(
        return_url(world, quarter), {"file": upload, "upload": "Upload"}
    ).content.decode()
    assert message in page
    assert 'href="#id_file"' in page
    assert saved(quarter) == {}


def test_a_published_quarter_is_read_only(client, world, quarter, indicators, lead):
    client.force_login(world.organiser)
    client.post(return_url(world, quarter), {**fields(indicators, "7", "3"), "save": "1"})
    client.force_login(lead)
    publish = url(world, "quarter_publish", quarter=quarter.pk)
    assert client.post(publish).status_code == 302
    assert client.post(publish).status_code == 302
    quarter.refresh_from_db()
    assert quarter.published_by == lead
    client.force_login(world.organiser)
    client.post(return_url(world, quarter), {**fields(indicators, "100", "3"), "save": "1"})
    assert saved(quarter)["Children waiting for an assessment"] == (Decimal("7"), "")
    page = client.get(return_url(world, quarter)).content.decode()
    assert "The quarter is published: its figures can no longer be changed." in page
    assert 'name="indicator_' not in page


@pytest.mark.parametrize(
    ("who", "status"), [("tier2", 403), ("coordinator", 403), ("admin", 403), ("pm", 200)]
)
def test_only_the_councils_people_and_the_keepers_enter_its_figures(
    client, world, quarter, who, status
):
    client.force_login(getattr(world, who))
    assert client.get(return_url(world, quarter)).status_code == status


def test_a_councils_people_do_not_enter_another_councils_figures(client, world, quarter):
    client.force_login(world.organiser)  # Derby's
    assert client.get(return_url(world, quarter, "Leicester")).status_code == 403
    assert client.get(return_url(world, quarter, "Camden")).status_code == 404  # not EM's


def test_viewing_another_councils_provisional_figures_is_logged(
    client, world, quarter, indicators, lead
):
    client.force_login(world.organiser)
    client.get(return_url(world, quarter))  # their own council's: not logged
    assert logged(world) == []
    client.force_login(lead)
    client.get(return_url(world, quarter))
    client.get(url(world, "quarter", quarter=quarter.pk))
    assert logged(world) == [
        "Provisional local return figures, 2026-27 Q3: Derby's",
        "Provisional local return figures, 2026-27 Q3: every council's",
    ]
    client.force_login(world.admin)
    page = client.get(reverse("access_log", kwargs={"alliance": world.em.slug})).content.decode()
    assert "Provisional local return figures, 2026-27 Q3: Derby&#x27;s" in page
    with scope(alliance=world.em):
        quarter.published_at = timezone.now()
        quarter.save()
    client.force_login(lead)
    client.get(url(world, "quarter", quarter=quarter.pk))
    assert len(logged(world)) == 2  # published figures are not provisional


def test_the_quarter_page_shows_every_councils_figures_at_a_fixed_cost(
    client, world, quarter, indicators, lead, django_assert_max_num_queries
):
    client.force_login(world.organiser)
    client.post(return_url(world, quarter), {**fields(indicators, "7", "x"), "submit_return": "1"})
    client.force_login(lead)
    with django_assert_max_num_queries(16):
        page = client.get(url(world, "quarter", quarter=quarter.pk)).content.decode()
    derby = page.split(">Derby</a></th>")[1].split("</tr>")[0]
    assert "7.0" in derby and "not available" in derby and "Submitted" in derby
    assert "1 of 10 councils have submitted" in page


# What is owed -------------------------------------------------------------------------------


def owed(world, **kwargs) -> list:
    from benchmarking.returns_due import return_obligations

    with scopes_disabled():
        return return_obligations(alliances=[world.em.pk], today=timezone.localdate(), **kwargs)


def test_each_council_owes_its_return_until_it_submits(client, world, quarter, indicators):
    found = owed(world)
    assert len(found) == 10  # East Midlands' councils
    derby = next(o for o in found if o.council == council("Derby"))
    assert derby.title == "Submit Derby's local return for 2026-27 Q3"
    assert derby.due == quarter.deadline
    assert set(derby.actors) == {world.organiser, world.dcs}
    assert derby.url == return_url(world, quarter)
    assert not derby.done
    client.force_login(world.organiser)
    client.post(return_url(world, quarter), {**fields(indicators, "1", "2"), "submit_return": "1"})
    derby = next(o for o in owed(world) if o.council == council("Derby"))
    assert derby.done
    with scope(alliance=world.em):
        quarter.published_at = timezone.now()
        quarter.save()
    assert owed(world) == []  # published: nothing is owed any more


def test_the_home_page_asks_the_councils_people_only(client, world, quarter):
    assert [o.title for o in owed(world, user=world.organiser)] == [
        "Submit Derby's local return for 2026-27 Q3"
    ]
    assert owed(world, user=world.tier2) == []
    assert owed(world, user=world.pm) == []


def test_the_reminder_is_due_within_the_alliances_days_of_the_deadline(world, quarter):
    days_before = (quarter.deadline - timezone.localdate()).days  # 14
    assert owed(world, reminder_days={"return_due": days_before - 1}) == []
    found = owed(world, reminder_days={"return_due": days_before})
    assert len(found) == 10
    assert (
        found[0]
        .reminders["return_due"]
        .endswith(f"local return for 2026-27 Q3 is due on {quarter.deadline:%-d %B %Y}")
    )
    assert owed(world, reminder_days={"kloes_due": 30}) == []


def test_owed_returns_cost_the_same_for_any_number_of_quarters(
    world, quarter, lead, django_assert_max_num_queries
):
    with scopes_disabled():
        for number in (1, 2):
            ReturnQuarter.objects.create(
                alliance=world.em, year=2027, quarter=number, deadline=quarter.deadline
            )
    with django_assert_max_num_queries(4):
        assert len(owed(world)) == 30


def test_the_overview_follows_each_open_quarter(client, world, quarter, indicators):
    client.force_login(world.organiser)
    client.post(return_url(world, quarter), {**fields(indicators, "1", "2"), "submit_return": "1"})
    client.force_login(world.pm)
    page = client.get(reverse("alliance_overview", kwargs={"alliance": world.em.slug}))
    html = page.content.decode()
    assert "Local return 2026-27 Q3 (1 of 10 submitted)" in html
    assert "Returns due" in html


def test_the_data_pack_shows_the_local_figures_and_logs_a_view_of_anothers(
    client, world, quarter, indicators, lead
):
    client.force_login(world.organiser)
    client.post(return_url(world, quarter), {**fields(indicators, "12", "x"), "save": "1"})
    pack = url(world, "data_pack", gss=council("Derby").gss_code)
    page = client.get(pack).content.decode()  # their own council's: not logged
    local = page.split('id="local-indicators"')[1]
    assert "Children waiting for an assessment (children; lower is better)" in local
    assert "12.0" in local and "not available" in local and "Provisional" in local
    assert logged(world) == []
    client.force_login(world.tier2)
    client.get(pack)
    assert logged(world) == ["Provisional local return figures, 2026-27 Q3: Derby's"]
    with scope(alliance=world.em):
        quarter.published_at = timezone.now()
        quarter.save()
    client.get(pack)
    assert len(logged(world)) == 1  # published: no longer provisional
