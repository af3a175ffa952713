"""A programme manager plans a triad cycle: creates it, takes the suggested triads, tries a
triad of two (refused with a message), fixes it, saves, and assigns a consultant."""

import datetime

from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, fill_date, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, region


def test_programme_manager_plans_a_cycle_and_its_triads(new_page, site):
    alliance = AllianceFactory(
        name="East Midlands Regional Improvement and Innovation Alliance",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    pm = UserFactory(email="priya.pm@example.org", full_name="Priya Manager")
    MembershipFactory(alliance=alliance, user=pm, role=Role.PROGRAMME_MANAGER)
    consultant = UserFactory(email="ruth.c@example.org", full_name="Ruth Consultant")
    MembershipFactory(alliance=alliance, user=consultant, role=Role.CONSULTANT)
    next_year = datetime.date.today().year + 1

    page = new_page()
    sign_in(page, pm)
    page.get_by_role("link", name="East Midlands Regional Improvement").first.click()
    page.get_by_role("link", name="Triad challenges").first.click()
    page.get_by_role("heading", name="Triad challenges").wait_for()
    assert_accessible(page)

    page.get_by_role("button", name="Plan a new cycle").click()
    page.get_by_role("heading", name="Plan a new cycle").wait_for()
    assert_accessible(page)
    page.get_by_label("Name").fill(f"Children's social care peer challenge, March {next_year}")
    fill_date(page, "Date of the event", datetime.date(next_year, 3, 16))
    fill_date(page, "Event-day templates completed by", datetime.date(next_year, 3, 1))
    page.get_by_role("button", name="Save cycle").click()
    page.get_by_text("There is a problem").wait_for()  # templates due before the event
    assert_accessible(page)
    fill_date(page, "Event-day templates completed by", None)
    page.get_by_role("button", name="Save cycle").click()
    page.get_by_role(
        "heading", name=f"Children's social care peer challenge, March {next_year}"
    ).wait_for()
    assert "23 March" in page.locator("main").inner_text()  # templates: a week after
    assert_accessible(page)

    page.get_by_role("button", name="Suggest triads").click()
    page.get_by_text("This is a suggested grouping").wait_for()
    assert_accessible(page)
    # Move Derby and Rutland into triad 1 with... a triad of two elsewhere is refused.
    for council in ("Derby", "Derbyshire", "Leicester", "Leicestershire"):
        page.get_by_label(f"Triad for {council}", exact=True).select_option(label="Triad 1")
    for council in ("Lincolnshire", "North Northamptonshire"):
        page.get_by_label(f"Triad for {council}", exact=True).select_option(label="Triad 2")
    for council in ("Nottingham", "Nottinghamshire", "Rutland", "West Northamptonshire"):
        page.get_by_label(f"Triad for {council}", exact=True).select_option(label="Triad 3")
    page.get_by_role("button", name="Save triads").click()
    page.get_by_text("There is a problem").wait_for()
    assert "a triad needs 3 councils" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("Triad for Leicestershire", exact=True).select_option(label="Triad 2")
    page.get_by_role("button", name="Check this grouping").click()
    page.get_by_text("Score:").wait_for()
    page.get_by_role("button", name="Save triads").click()
    page.get_by_text("Triads saved.").wait_for()
    body = page.locator("main").inner_text()
    assert "Not assigned yet" in body
    assert_accessible(page)

    page.get_by_role("link", name="Choose consultant for Triad 1").click()
    page.get_by_role("heading", name="Consultant for Triad 1").wait_for()
    assert_accessible(page)
    page.get_by_label("Independent consultant").select_option(label="Ruth Consultant")
    page.get_by_role("button", name="Save consultant").click()
    page.get_by_text("Consultant for Triad 1 saved.").wait_for()
    assert "Ruth Consultant" in page.locator("main").inner_text()
    assert_accessible(page)
