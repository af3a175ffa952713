"""A council's DCS changes an agreed action's owner and due date, reads the change in the
action's history, then removes the action with a reason and finds it gone from the plan;
axe on every page."""

import datetime

from django_scopes import scope

from peerchallenge.models import Role
from peerchallenge.services import action_create
from tests.clock import days
from tests.e2e.conftest import assert_accessible, date_group, fill_date, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region
from tests.triads.factories import CycleFactory


def long(date: datetime.date) -> str:
    return f"{date.day} {date:%B %Y}"


def test_dcs_changes_an_action_then_removes_it_with_a_reason(new_page, site):
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    dcs = UserFactory(email="dee@example.org", full_name="Dee Director")
    MembershipFactory(alliance=alliance, user=dcs, role=Role.DCS, local_authority=council("Derby"))
    agreed = days(-14)
    cycle = CycleFactory(alliance=alliance, name="Autumn cycle", event_date=agreed)
    with scope(alliance=alliance):
        action = action_create(
            source=cycle,
            local_authority=council("Derby"),
            what="Audit step-down decisions",
            owner="Head of service",
            due_date=days(30),
            tier2_group=None,
            created_by=dcs,
            not_before=agreed,
        )

    page = new_page()
    sign_in(page, dcs)
    page.goto(f"/a/east-midlands/actions/{action.pk}/")
    page.get_by_role("heading", name="Agreed action").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Change the due date").click()
    page.get_by_role("heading", name="Change an agreed action").wait_for()
    assert_accessible(page)
    fill_date(page, "Due by", days(-30))  # before the day it was agreed
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert f"on or after {long(agreed)}, the day it was agreed" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("Owner").fill("Sam Lee")
    fill_date(page, "Due by", days(60))
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Action changed.").wait_for()
    history = page.locator("#action-history").inner_text()
    assert f"Due date changed from {long(days(30))} to {long(days(60))} by Dee Director" in history
    assert "Owner changed from Head of service to Sam Lee by Dee Director" in history
    assert_accessible(page)

    page.get_by_role("link", name="Remove this action").click()
    page.get_by_role("heading", name="Remove this agreed action?").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Remove action").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert "Enter why the action is being removed." in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("Why is this action being removed?").fill("Agreed twice at the event")
    page.get_by_role("button", name="Remove action").click()
    page.get_by_role("heading", name="Improvement plan").wait_for()
    body = page.locator("main").inner_text()
    assert "Action removed from Derby's improvement plan." in body
    assert "Audit step-down decisions" not in body
    assert_accessible(page)

    page.goto(f"/a/east-midlands/actions/{action.pk}/")
    page.get_by_role("heading", name="Agreed action (removed)").wait_for()
    assert "Reason: Agreed twice at the event" in page.locator("main").inner_text()
    assert_accessible(page)


def test_an_impossible_date_is_told_in_govuk_words_and_its_link_reaches_the_day(new_page, site):
    alliance = AllianceFactory(slug="east-midlands", regions=[region("East Midlands")])
    dcs = UserFactory(email="dee@example.org", full_name="Dee Director")
    MembershipFactory(alliance=alliance, user=dcs, role=Role.DCS, local_authority=council("Derby"))
    cycle = CycleFactory(alliance=alliance, event_date=days(-14))
    with scope(alliance=alliance):
        action = action_create(
            source=cycle,
            local_authority=council("Derby"),
            what="Audit step-down decisions",
            owner="Head of service",
            due_date=days(30),
            tier2_group=None,
            created_by=dcs,
            not_before=days(-14),
        )
    page = new_page()
    sign_in(page, dcs)
    page.goto(f"/a/east-midlands/actions/{action.pk}/change/")
    page.get_by_role("heading", name="Change an agreed action").wait_for()
    impossible = datetime.date(days(365).year, 3, 31)  # typed as 31 2 <year>: no such day
    fill_date(page, "Due by", impossible)
    date_group(page, "Due by").get_by_label("Month", exact=True).fill("2")
    page.get_by_role("button", name="Save changes").click()

    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert summary.get_by_role("link").all_inner_texts() == ["The due date must be a real date"]
    field_error = page.locator("#id_due_date-error, .govuk-form-group--error .govuk-error-message")
    assert "The due date must be a real date" in field_error.first.inner_text()
    day = date_group(page, "Due by").get_by_label("Day", exact=True)
    assert "govuk-input--error" in day.get_attribute("class")
    month = date_group(page, "Due by").get_by_label("Month", exact=True)
    assert "govuk-input--error" not in month.get_attribute("class")
    assert_accessible(page)
    summary.get_by_role("link", name="The due date must be a real date").click()
    assert page.evaluate("document.activeElement.id") == "id_due_date"
    assert page.evaluate("document.activeElement.name") == "due_date_day"
