"""The regional development plan in the browser: the programme manager adds a thematic
hosted visit as a collective response (dates in the wrong order refused by the field first),
sees the link to schedule the thematic event on that theme, and issues the plan; a Tier 2
member reads it and downloads the PDF (the worker makes it; here tasks run in-process).
axe on every page."""

import io

from django_scopes import scope
from pypdf import PdfReader

from improvement.models import step_defaults
from improvement.selectors import cycle_year_next
from improvement.services.cycle import cycle_open
from peerchallenge.models import Role
from tests.clock import days
from tests.e2e.conftest import assert_accessible, fill_date, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, region


def test_a_regional_plan_written_issued_and_read(new_page, site):
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    pm = UserFactory(email="pat@example.org", full_name="Pat Manager")
    MembershipFactory(alliance=alliance, user=pm, role=Role.PROGRAMME_MANAGER)
    member = UserFactory(email="tia@example.org", full_name="Tia Tier")
    MembershipFactory(alliance=alliance, user=member, role=Role.TIER2_MEMBER)
    with scope(alliance=alliance):
        year = cycle_year_next(alliance)
        cycle = cycle_open(
            alliance=alliance, year=year, deadlines=step_defaults(year), opened_by=pm
        )

    page = new_page()
    sign_in(page, pm)
    page.goto("/a/east-midlands/improvement/")
    page.get_by_role("link", name=f"The regional development plan {cycle.label}").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add a collective response").click()
    page.get_by_label("The common priority it answers").select_option("Placement sufficiency")
    page.get_by_label("Thematic hosted visit").check()
    page.get_by_label("The response").fill("Hosted visit to Leicester's children's homes")
    page.get_by_label("Regional group that owns it").fill("Regional sufficiency group")
    fill_date(page, "Starts", days(90))
    fill_date(page, "Ends", days(30))
    page.get_by_role("button", name="Save the response").click()
    page.locator(".govuk-error-summary").wait_for()
    assert (
        "The end must be on or after the start."
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(page)
    fill_date(page, "Ends", days(91))
    page.get_by_role("button", name="Save the response").click()
    page.get_by_text("is in the plan").wait_for()
    link = page.get_by_role("link", name="Schedule the thematic event")
    assert "theme=Placement+sufficiency" in link.get_attribute("href")
    page.get_by_role("button", name="Issue the plan").click()
    page.get_by_text("The plan is issued").wait_for()
    assert_accessible(page)

    reader = new_page()
    sign_in(reader, member)
    reader.goto(page.url)
    link = reader.get_by_role("link", name="Version 1 of the regional development plan (PDF)")
    link.wait_for()
    assert_accessible(reader)
    with reader.expect_download() as download_info:
        link.click()
    with open(download_info.value.path(), "rb") as file:
        pdf = PdfReader(io.BytesIO(file.read()))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Hosted visit to Leicester's children's homes" in text
