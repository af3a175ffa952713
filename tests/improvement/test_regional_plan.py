"""The regional development plan: the common priorities counted from the self-evaluations'
areas for development by theme, the collective responses (a thematic hosted visit linking to
scheduling the thematic event), each council's brokered support; issued as a PDF through the
reports pipeline, read by every member."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from improvement.models import step_defaults
from improvement.selectors import cycle_year_next, regional_plan_of
from improvement.services.cycle import cycle_open
from improvement.services.menu import match_broker
from improvement.services.regional_plan import regional_plan_issue, response_add
from reports.models import ReportVersion
from tests.clock import days
from tests.factories import council
from tests.forms import date_parts
from tests.improvement.factories import SupportNeedFactory, SupportOfferFactory
from tests.lga_cspc.factories import lga as lga  # the fixture


@pytest.fixture(autouse=True)
def _reports_run_on_commit(monkeypatch):
    """The render is queued on commit; a test's transaction never commits: run it at once
    (tasks are eager in the tests)."""
    monkeypatch.setattr(
        "reports.services.transaction.on_commit", lambda callback, robust=False: callback()
    )


@pytest.fixture
def cycle(world):
    with scope(alliance=world.em):
        year = cycle_year_next(world.em)
        return cycle_open(
            alliance=world.em, year=year, deadlines=step_defaults(year), opened_by=world.pm
        )


@pytest.fixture
def menu(world, cycle):
    """Derby and Rutland need help with placement sufficiency, Derby with early help too;
    Leicester's offer is brokered to Derby."""
    with scopes_disabled():
        derby = SupportNeedFactory(cycle=cycle, council=council("Derby"), title="Homes for teens")
        SupportNeedFactory(cycle=cycle, council=council("Rutland"), title="Local homes")
        SupportNeedFactory(
            cycle=cycle, council=council("Derby"), theme="Early help", title="Early help take-up"
        )
        offer = SupportOfferFactory(cycle=cycle, council=council("Leicester"), title="Workshops")
    with scope(alliance=world.em):
        match_broker(need=derby, offer=offer, brokered_by=world.pm)


def url(world, cycle, name="regional_plan"):
    return reverse(
        f"improvement:{name}",
        kwargs={"alliance": world.em.slug, "improvement_cycle": cycle.pk},
    )


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


RESPONSE = {
    "theme": "Placement sufficiency",
    "kind": "hosted_visit",
    "title": "Hosted visit to Leicester's homes",
    "owner": "Regional sufficiency group",
}


def test_the_common_priorities_are_counted_by_theme(world, cycle, menu):
    with scope(alliance=world.em):
        contents = regional_plan_of(cycle)
    assert contents.priorities == [
        ("Placement sufficiency", ["Derby", "Rutland"]),
        ("Early help", ["Derby"]),
    ]
    sections = {section.council.name: section for section in contents.councils}
    assert [n.title for n in sections["Derby"].needs] == ["Early help take-up", "Homes for teens"]
    assert [o.title for o in sections["Leicester"].offers] == ["Workshops"]


def test_the_planners_add_responses_with_their_messages(client, world, cycle):
    client.force_login(world.pm)
    add = url(world, cycle, "response_add")
    response = client.post(
        add,
        {
            **RESPONSE,
            "owner": "",
            **date_parts("starts_on", days(90)),
            **date_parts("ends_on", days(30)),
        },
    )
    page = text_of(response)
    assert "Enter the regional group that owns it." in page
    assert "The end must be on or after the start." in page
    data = {**RESPONSE, **date_parts("starts_on", days(30)), **date_parts("ends_on", days(90))}
    assert client.post(add, data).status_code == 302
    page = text_of(client.get(url(world, cycle)))
    assert "Hosted visit to Leicester's homes" in page
    # A hosted visit links to scheduling the thematic event, on that theme.
    assert "Schedule the thematic event" in page
    assert "/thematic/new/?theme=Placement+sufficiency" in page
    client.force_login(world.tier2)  # reads the plan, changes nothing, schedules nothing
    page = text_of(client.get(url(world, cycle)))
    assert "Hosted visit to Leicester's homes" in page
    assert "Add a collective response" not in page and "Schedule the thematic event" not in page
    assert client.get(add).status_code == 403


def test_issuing_makes_a_pdf_every_member_downloads(client, world, cycle, menu):
    with scope(alliance=world.em):
        with pytest.raises(ValidationError):
            regional_plan_issue(cycle=cycle, issued_by=world.pm)
        response_add(
            cycle=cycle,
            theme="Placement sufficiency",
            kind="seminar",
            title="Regional sufficiency seminar",
            description="",
            owner="Regional sufficiency group",
            starts_on=days(30),
            ends_on=days(30),
        )
    client.force_login(world.pm)
    assert client.post(url(world, cycle, "regional_plan_issue")).status_code == 302
    with scopes_disabled():
        version = ReportVersion.objects.get(report="improvement.regional_plan")
    assert version.status == ReportVersion.Status.RENDERED
    for who in ("tier2", "organiser", "admin"):
        client.force_login(getattr(world, who))
        page = text_of(client.get(url(world, cycle)))
        assert "Version 1" in page and "Issued" in page
        download = client.get(
            reverse(
                "reports:report_download",
                kwargs={"alliance": world.em.slug, "report_version": version.pk},
            )
        )
        assert download.status_code == 200, who
    content = b"".join(download.streaming_content) if download.streaming else download.content
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split()
    )
    assert "Regional development plan" in text
    assert "Placement sufficiency 2: Derby, Rutland" in text
    assert "Regional sufficiency seminar" in text
    assert "Homes for teens (Placement sufficiency): Leicester, support from this council" in text


def test_the_lga_has_no_regional_plan(client, lga):
    client.force_login(lga.pm)
    page = reverse(
        "improvement:regional_plan", kwargs={"alliance": lga.alliance.slug, "improvement_cycle": 1}
    )
    assert client.get(page).status_code == 404


def test_the_planners_are_asked_to_issue_it(client, world, cycle):
    from improvement.obligations import obligations
    from tests.obligations import home_item

    title = f"Issue the regional development plan for {cycle.label}"
    assert home_item(client, world.pm, title)
    assert not home_item(client, world.organiser, title)
    with scopes_disabled():
        found = obligations(
            alliances=[world.em.pk],
            today=cycle.regional_plan_due - datetime.timedelta(days=21),
            reminder_days={"regional_plan_due": 21},
        )
    assert [o.kind for o in found] == ["improvement.regional_plan"]
    assert {world.pm, world.coordinator} == set(found[0].actors)
    with scope(alliance=world.em):
        response_add(
            cycle=cycle,
            theme="Early help",
            kind="seminar",
            title="Seminar",
            description="",
            owner="Early help network",
            starts_on=days(30),
            ends_on=days(30),
        )
        regional_plan_issue(cycle=cycle, issued_by=world.pm)
    assert not home_item(client, world.pm, title)
