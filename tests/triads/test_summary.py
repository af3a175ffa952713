"""The summary report: written, issued as a PDF by the PM, emailed to DCSs, downloaded."""

import datetime
import io

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from peerchallenge.models import LocalAuthority, Role
from peerchallenge.services import action_create
from reports.models import ReportVersion
from tests.factories import MembershipFactory, UserFactory, council
from tests.triads.factories import CycleFactory, make_triads


@pytest.fixture
def setup(world):
    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    cycle = CycleFactory(
        alliance=world.em, name="March 2026", event_date=datetime.date(2026, 3, 12)
    )
    triads = make_triads(cycle, [em[:3], em[4:7], [em[3], *em[7:]]])
    with scope(alliance=world.em):
        action_create(
            source=cycle,
            local_authority=council("Derby"),
            what="Audit step-down decisions",
            owner="Head of early help",
            due_date=datetime.date(2026, 6, 30),
            tier2_group=None,
            created_by=world.organiser,
        )
    stranger = UserFactory(full_name="Other DCS")
    MembershipFactory(
        alliance=world.em, user=stranger, role=Role.DCS, local_authority=council("Camden")
    )
    return cycle, triads, stranger


def summary_url(world, cycle):
    return reverse("triads:summary", kwargs={"alliance": world.em.slug, "cycle": cycle.pk})


def write(client, world, cycle, triads):
    data = {
        "overview": "Three strong triads met at Leicester City Hall.",
        "recommendations": "Share the neglect toolkit across the region.",
        "save": "1",
    }
    data |= {f"triad_{t.pk}": f"Triad {t.number} focused on workforce." for t in triads}
    return client.post(summary_url(world, cycle), data)


def test_pm_writes_issues_and_the_dcs_downloads_the_pdf(
    client, world, setup, mailoutbox, django_capture_on_commit_callbacks
):
    cycle, triads, _ = setup
    client.force_login(world.pm)
    assert write(client, world, cycle, triads).status_code == 302
    response = client.post(
        summary_url(world, cycle),
        {
            "support-from_council": council("Derby").pk,
            "support-to_council": council("Rutland").pk,
            "support-topic": "reducing agency staff",
            "add_support": "1",
        },
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(summary_url(world, cycle), {"issue": "1"}).status_code == 302
    with scopes_disabled():
        version = ReportVersion.objects.get()
    assert (version.number, version.status) == (1, "rendered")
    assert [m.to for m in mailoutbox] == [[world.dcs.email]]  # Derby's DCS
    assert "March 2026" in mailoutbox[0].subject

    client.force_login(world.dcs)
    page = client.get(
        reverse("triads:cycle_detail", args=[world.em.slug, cycle.pk])
    ).content.decode()
    download = reverse("reports:report_download", args=[world.em.slug, version.pk])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    )
    for expected in (
        "Triad 1",
        "Derby",
        "Share the neglect toolkit across the region",
        "Audit step-down decisions",
        "reducing agency staff",
        "Page 1 of",
    ):
        assert expected in text


def test_only_the_pm_issues_and_councils_outside_get_404(
    client, world, setup, django_capture_on_commit_callbacks
):
    cycle, triads, stranger = setup
    client.force_login(world.coordinator)
    write(client, world, cycle, triads)
    assert client.post(summary_url(world, cycle), {"issue": "1"}).status_code == 403
    client.force_login(world.pm)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(summary_url(world, cycle), {"issue": "1"})
    with scopes_disabled():
        version = ReportVersion.objects.get()
    download = reverse("reports:report_download", args=[world.em.slug, version.pk])
    client.force_login(world.tier2)
    assert client.get(download).status_code == 404
    client.force_login(stranger)  # a DCS whose council is not in the cycle
    assert client.get(download).status_code == 404


def test_issuing_without_an_overview_is_refused(client, world, setup):
    cycle, _, _ = setup
    client.force_login(world.pm)
    response = client.post(summary_url(world, cycle), {"issue": "1"})
    assert response.status_code == 200
    assert "Write the overview before issuing the report." in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"support-from_council": "DERBY", "support-to_council": "DERBY", "support-topic": "x"},
            "Choose a different council",
        ),
        (
            {"support-from_council": "DERBY", "support-to_council": "RUTLAND", "support-topic": ""},
            "Enter what the support is about.",
        ),
    ],
)
def test_support_offer_bad_input(client, world, setup, data, message):
    cycle, _, _ = setup
    ids = {"DERBY": council("Derby").pk, "RUTLAND": council("Rutland").pk}
    data = {k: ids.get(v, v) for k, v in data.items()} | {"add_support": "1"}
    client.force_login(world.pm)
    response = client.post(summary_url(world, cycle), data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_organisers_cannot_write_the_summary(client, world, setup):
    cycle, _, _ = setup
    client.force_login(world.organiser)
    assert client.get(summary_url(world, cycle)).status_code == 403


def test_dcs_gets_only_the_latest_version_planners_every_one(
    client, world, setup, django_capture_on_commit_callbacks
):
    cycle, triads, _ = setup
    client.force_login(world.pm)
    write(client, world, cycle, triads)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(summary_url(world, cycle), {"issue": "1"})
    with scopes_disabled():
        first, second = ReportVersion.objects.order_by("number")
    urls = [reverse("reports:report_download", args=[world.em.slug, v.pk]) for v in (first, second)]
    assert [client.get(u).status_code for u in urls] == [200, 200]
    client.force_login(world.dcs)
    assert [client.get(u).status_code for u in urls] == [404, 200]


def summary_pdf_text(cycle) -> str:
    from reports.services import report_render_unstored

    with scope(alliance=cycle.alliance):
        pdf = report_render_unstored(
            identifier="triads.summary", subject=cycle, alliance=cycle.alliance
        )
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)


def test_the_summary_pdf_names_the_alliance_once(world, setup):
    cycle, _, _ = setup
    with scope(alliance=world.em):
        from triads.services.summary import summary_save

        summary_save(cycle=cycle, overview="Overview.", recommendations="", triad_texts={})
    text = summary_pdf_text(cycle)
    pages = text.count("Page ")
    assert text.count("Alliance") == 1  # one row of "About this report"
    # The cover's owner line and that row, and the owner at the top of every page.
    assert text.count("East Midlands RIIA") == 2 + pages
    assert "Event" in text and "Councils" in text


def test_issuing_before_the_event_is_refused(client, world, setup):
    from tests.clock import days

    cycle, triads, _ = setup
    cycle.event_date = days(1)  # tomorrow
    cycle.kloes_due, cycle.templates_due, cycle.report_due = days(-27), days(8), days(43)
    cycle.save()
    client.force_login(world.pm)
    write(client, world, cycle, triads)
    response = client.post(summary_url(world, cycle), {"issue": "1"})
    assert response.status_code == 200
    event_day = f"{days(1).day} {days(1):%B %Y}"
    assert (
        f"You cannot issue the summary report before the event ({event_day})."
        in response.content.decode()
    )
    with scopes_disabled():
        assert not ReportVersion.objects.exists()


def test_issuing_on_the_event_day_is_allowed(
    client, world, setup, django_capture_on_commit_callbacks
):
    from tests.clock import TODAY, days

    cycle, triads, _ = setup
    cycle.event_date = TODAY
    cycle.kloes_due, cycle.templates_due, cycle.report_due = days(-28), days(7), days(42)
    cycle.save()
    client.force_login(world.pm)
    write(client, world, cycle, triads)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(summary_url(world, cycle), {"issue": "1"}).status_code == 302
    with scopes_disabled():
        assert ReportVersion.objects.count() == 1
