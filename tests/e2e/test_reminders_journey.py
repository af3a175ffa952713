"""A programme manager reads the reminder log and changes when reminders are sent (a
negative number of days is refused with a message)."""

import datetime

from django.utils import timezone
from django_scopes import scope

from peerchallenge.models import Role
from peerchallenge.reminders import reminders_queue
from peerchallenge.services import action_create
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region
from tests.triads.factories import CycleFactory


def test_pm_reads_the_log_and_changes_the_settings(new_page, site):
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    pm = UserFactory(email="pat@example.org", full_name="Pat Manager")
    MembershipFactory(alliance=alliance, user=pm, role=Role.PROGRAMME_MANAGER)
    organiser = UserFactory(email="oscar@example.org", full_name="Oscar Organiser")
    MembershipFactory(
        alliance=alliance, user=organiser, role=Role.LA_ORGANISER, local_authority=council("Derby")
    )
    today = timezone.localdate()
    cycle = CycleFactory(alliance=alliance, event_date=today - datetime.timedelta(days=30))
    with scope(alliance=alliance):
        action_create(
            source=cycle,
            local_authority=council("Derby"),
            what="Audit step-down decisions",
            owner="Head of early help",
            due_date=today + datetime.timedelta(days=3),
            tier2_group=None,
            created_by=organiser,
        )
        assert reminders_queue(alliance=alliance, today=today) == 1

    page = new_page()
    sign_in(page, pm)
    page.get_by_role("link", name="East Midlands RIIA").first.click()
    page.get_by_role("link", name="Reminders").first.click()
    page.get_by_role("heading", name="Reminders sent").wait_for()
    body = page.locator("main").inner_text()
    assert "oscar@example.org" in body
    assert "[Action required]" in body
    assert_accessible(page)
    page.get_by_role("link", name="Change when reminders are sent").click()
    page.locator("#id_action_due_days").wait_for()
    assert_accessible(page)
    page.locator("#id_action_due_days").fill("-1")
    page.get_by_role("button", name="Save reminder settings").click()
    page.get_by_text("There is a problem").wait_for()
    assert "Enter a number of days from 0 to" in page.locator("main").inner_text()
    assert_accessible(page)
    page.locator("#id_action_due_days").fill("10")
    page.get_by_role("button", name="Save reminder settings").click()
    page.get_by_text("Reminder settings saved.").wait_for()
    assert page.locator("#id_action_due_days").input_value() == "10"
    assert_accessible(page)
