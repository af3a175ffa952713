"""Agreed actions across offers, in the browser: a Tier 2 member filters the board by offer,
reads the count per RAG status per council, opens a council's improvement plan and downloads
it as a PDF; the programme manager opens the alliance overview and moves to next month."""

import datetime
import re

from django.utils import timezone
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

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
from tests.thematic.factories import event as thematic_event
from tests.triads.factories import CycleFactory


def test_tier2_member_and_pm_follow_actions_across_offers(new_page, site):
    today = timezone.localdate()
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    member = UserFactory(email="tia@example.org", full_name="Tia Tier")
    MembershipFactory(alliance=alliance, user=member, role=Role.TIER2_MEMBER)
    pm = UserFactory(email="pat@example.org", full_name="Pat Manager")
    MembershipFactory(alliance=alliance, user=pm, role=Role.PROGRAMME_MANAGER)
    cycle = CycleFactory(
        alliance=alliance, name="March 2026", event_date=datetime.date(2026, 3, 12)
    )
    with scope(alliance=alliance):
        group = Tier2GroupFactory(alliance=alliance, name="Safeguarding")
        group.members.add(member)
    with scopes_disabled():
        harm = thematic_event(alliance, theme_name="Reduction of Harm", tier2_group=group)
    with scope(alliance=alliance):
        for source, what, la, due, status in [
            (cycle, "Audit step-down decisions", "Derby", today - datetime.timedelta(30), "amber"),
            (
                cycle,
                "Recruit two team managers",
                "Rutland",
                today + datetime.timedelta(90),
                "green",
            ),
            (harm, "Map exploitation hotspots", "Derby", today + datetime.timedelta(60), "red"),
        ]:
            action = action_create(
                source=source,
                local_authority=council(la),
                what=what,
                owner="Head of service",
                due_date=due,
                tier2_group=group,
                created_by=member,
            )
            action.status = status
            action.save()

    page = new_page()
    sign_in(page, member)
    page.get_by_role("link", name="East Midlands RIIA").first.click()
    page.get_by_role("link", name="Tier 2").first.click()
    page.get_by_role("link", name="Safeguarding").click()
    page.get_by_role("heading", name="3 actions").wait_for()
    assert_accessible(page)
    page.get_by_label("Offer").select_option(label="Triad peer challenge")
    page.get_by_role("button", name="Filter actions").click()
    page.get_by_role("heading", name="2 actions").wait_for()
    body = page.locator("main").inner_text()
    assert "Map exploitation hotspots" not in body
    counts = page.locator("#rag-counts")
    derby = counts.get_by_role("row", name=re.compile("^Derby"))
    assert derby.get_by_role("cell").all_inner_texts() == ["0", "1", "0", "0", "1"]
    rutland = counts.get_by_role("row", name=re.compile("^Rutland"))
    assert rutland.get_by_role("cell").all_inner_texts() == ["1", "0", "0", "0", "0"]
    assert_accessible(page)

    page.get_by_role("link", name="Derby improvement plan").click()
    page.get_by_role("heading", name="Improvement plan").wait_for()
    body = page.locator("main").inner_text()
    assert "Triad peer challenge — Cycle: March 2026" in body
    assert "Thematic peer challenge — Thematic event: Reduction of Harm" in body
    assert_accessible(page)
    page.get_by_role("button", name="Prepare a PDF of the plan").click()  # the worker renders it
    page.get_by_text("is being prepared").first.wait_for()  # the POST has answered: reload after it
    page.reload()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the improvement plan as it stood on").click()
    assert download.value.suggested_filename.startswith("Improvement plan - Derby")
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    )
    assert "Audit step-down decisions" in text and "Map exploitation hotspots" in text
    assert "Recruit two team managers" not in text

    manager = new_page()
    sign_in(manager, pm)
    manager.get_by_role("link", name="East Midlands RIIA").first.click()
    manager.get_by_role("navigation", name="Menu").get_by_role("link", name="Overview").click()
    manager.get_by_role("heading", name="Overview").wait_for()
    body = manager.locator("main").inner_text()
    assert "March 2026" in body and "Summary report" in body
    assert "1 action is past its due date" in body
    assert_accessible(manager)
    this_month = today.replace(day=1)
    next_month = (this_month + datetime.timedelta(days=31)).replace(day=1)
    manager.get_by_role("heading", name=f"Dates in {this_month:%B %Y}").wait_for()
    manager.get_by_role("link", name=re.compile("Next month")).click()
    manager.get_by_role("heading", name=f"Dates in {next_month:%B %Y}").wait_for()
    assert manager.url.endswith(f"?month={next_month:%Y-%m}#dates")
    assert_accessible(manager)
