"""A Tier 2 member filters the overdue actions of their group, exports them (the worker
prepares the file; here tasks run in-process, as in every test) and downloads the file, and
adds a monitoring note. axe on every page."""

import csv
import datetime

from django_scopes import scope

from peerchallenge.models import Role
from peerchallenge.services import action_create
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import (
    AllianceFactory,
    MembershipFactory,
    Tier2GroupFactory,
    UserFactory,
    council,
    region,
)
from tests.triads.factories import CycleFactory


def test_tier2_member_follows_overdue_actions(new_page, site):
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    member = UserFactory(email="tia@example.org", full_name="Tia Tier")
    MembershipFactory(alliance=alliance, user=member, role=Role.TIER2_MEMBER)
    cycle = CycleFactory(
        alliance=alliance, name="March 2026", event_date=datetime.date(2026, 3, 12)
    )
    with scope(alliance=alliance):
        group = Tier2GroupFactory(alliance=alliance, name="Safeguarding")
        group.members.add(member)
        for what, la, due in [
            ("Audit step-down decisions", "Derby", datetime.date(2026, 6, 30)),
            ("Recruit two team managers", "Rutland", datetime.date(2030, 1, 31)),
        ]:
            action_create(
                source=cycle,
                local_authority=council(la),
                what=what,
                owner="Head of service",
                due_date=due,
                tier2_group=group,
                created_by=member,
            )

    page = new_page()
    sign_in(page, member)
    page.get_by_role("link", name="East Midlands RIIA").first.click()
    page.get_by_role("link", name="Tier 2").first.click()
    page.get_by_role("heading", name="Tier 2 groups").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Safeguarding").click()
    page.get_by_role("heading", name="Safeguarding").wait_for()
    assert_accessible(page)
    page.get_by_label("Overdue only").check()
    page.get_by_role("button", name="Filter actions").click()
    page.get_by_role("heading", name="1 action").wait_for()
    body = page.locator("main").inner_text()
    assert "Audit step-down decisions" in body
    assert "Recruit two team managers" not in body
    assert_accessible(page)

    page.get_by_role("button", name="Export as CSV").click()
    page.get_by_text("Your CSV export of 1 action is being prepared.").wait_for()
    assert "overdue=1" in page.url  # back on the board with the same filters
    assert_accessible(page)
    page.reload()
    link = page.get_by_role("link", name="Download Tier 2 actions (CSV), asked for")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("Safeguarding actions ")
    with open(download.path(), encoding="utf-8-sig") as file:
        rows = list(csv.reader(file))
    assert [row[:2] for row in rows] == [
        ["Council", "Action"],
        ["Derby", "Audit step-down decisions"],
    ]

    page.get_by_role("link", name="Audit step-down decisions").click()
    page.get_by_role("heading", name="Agreed action").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Add monitoring note").click()  # empty: refused
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page)
    page.get_by_label("Monitoring note").fill("Ask Derby for the audit at the next meeting.")
    page.get_by_role("button", name="Add monitoring note").click()
    page.get_by_text("Update added.").wait_for()
    assert "Ask Derby for the audit" in page.locator("main").inner_text()
    assert_accessible(page)
