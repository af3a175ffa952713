"""Reflow (WCAG 1.4.10): at 320 CSS pixels wide (a phone, or 1,280 pixels at 400% zoom)
nothing but a data table scrolls sideways, and a table that does scrolls inside its own
named region that a keyboard can reach (static/js/tables.mjs); the Tier 2 board shows each
action as a card. The ten busiest pages at 320 and at 1,280 pixels, compared by what
overflows (not by pixels), with axe on each; the menu fits one row at 1,280."""

from django_scopes import scope

from peerchallenge.models import Role
from peerchallenge.services import action_create
from tests import clock
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

NARROW = {"width": 320, "height": 800}

# The page's own width (the document scrolls sideways when wider), and every region that
# scrolls: its role, name and whether a keyboard reaches it.
MEASURE = """() => {
  const regions = [...document.querySelectorAll('.pc-table-region, .pc-table-scroll')]
    .filter((r) => r.scrollWidth > r.clientWidth + 1)
    .map((r) => ({
      role: r.getAttribute('role'),
      named: Boolean(r.getAttribute('aria-label') || r.getAttribute('aria-labelledby')),
      tabindex: r.tabIndex,
    }));
  return {page: document.documentElement.scrollWidth, viewport: window.innerWidth, regions};
}"""


def assert_reflows(page):
    page.wait_for_load_state("load")
    measured = page.evaluate(MEASURE)
    assert measured["page"] <= measured["viewport"], (page.url, measured)
    for scroller in measured["regions"]:
        assert scroller == {"role": "region", "named": True, "tabindex": 0}, (page.url, scroller)
    assert_accessible(page)
    return measured


def test_pages_reflow_at_320_pixels(new_page, site):
    alliance = AllianceFactory(
        name="East Midlands Regional Improvement and Innovation Alliance",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    pm = UserFactory(email="pat@example.org", full_name="Pat Manager")
    MembershipFactory(alliance=alliance, user=pm, role=Role.PROGRAMME_MANAGER)
    cycle = CycleFactory(
        alliance=alliance,
        name="Children's commissioning services and placement sufficiency, spring",
        event_date=clock.days(-60),
    )
    with scope(alliance=alliance):
        group = Tier2GroupFactory(alliance=alliance, name="Safeguarding")
        for what, la, due in [
            ("Publish a market position statement for placements", "Derby", -5),
            ("Recruit two team managers for the front door", "North Northamptonshire", 90),
        ]:
            action_create(
                source=cycle,
                local_authority=council(la),
                what=what,
                owner="Head of commissioning and placement sufficiency",
                due_date=clock.days(due),
                tier2_group=group,
                created_by=pm,
            )

    page = new_page()
    sign_in(page, pm)
    base = f"/a/{alliance.slug}"
    # The busiest pages, on a phone (or 400% zoom) and on a small laptop.
    for viewport in (NARROW, {"width": 1280, "height": 800}):
        page.set_viewport_size(viewport)
        for path in [
            "/",
            f"{base}/",
            f"{base}/councils/",
            f"{base}/members/",
            f"{base}/overview/",
            f"{base}/councils/{council('Derby').gss_code}/plan/",
            f"{base}/reminders/",
            f"{base}/tier2/",
            f"{base}/tier2/{group.pk}/",
            f"{base}/challenges/",
        ]:
            page.goto(path)
            assert_reflows(page)
    page.set_viewport_size(NARROW)

    # The menu fits one row on a 1,280 pixel screen, the offers under "Peer challenges".
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{base}/")
    tops = page.evaluate(
        "() => [...document.querySelectorAll('.govuk-service-navigation__item')]"
        ".map((item) => Math.round(item.getBoundingClientRect().top))"
    )
    labels = page.evaluate(
        "() => [...document.querySelectorAll('.govuk-service-navigation__item')]"
        ".map((item) => item.innerText)"
    )
    assert len(tops) >= 6 and len(set(tops)) == 1, list(zip(labels, tops, strict=True))
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Peer challenges").click()
    page.get_by_role("heading", name="Peer challenges").wait_for()
    for offer in ("Triad challenges", "Thematic challenges", "Improvement cycle"):
        assert page.locator("main").get_by_role("link", name=offer).count() == 1, offer
    assert_accessible(page)
    page.get_by_role("link", name="Triad challenges").click()
    current = page.locator(".govuk-service-navigation__item--active")
    assert current.inner_text().strip() == "Peer challenges"  # an offer's pages are under it
    page.set_viewport_size(NARROW)

    # The board: its filters fit, its counts table scrolls in a region, and each action is
    # a card (no region needed), led by its column names.
    page.goto(f"{base}/tier2/{group.pk}/")
    measured = assert_reflows(page)
    assert measured["regions"], "the counts by council scroll in their own region"
    card = page.locator("table.pc-cards tbody tr").first
    assert card.evaluate("row => getComputedStyle(row).display") == "block"
    assert "Owner" in card.evaluate("row => getComputedStyle(row.cells[3], '::before').content")
    assert page.get_by_role("columnheader", name="Owner").count() == 1  # still a table

    # A keyboard reaches the scrolling region, and scrolls it.
    scroller = page.locator(".pc-table-region[role=region]").first
    scroller.focus()
    for _ in range(20):
        page.keyboard.press("ArrowRight")
        if scroller.evaluate("r => r.scrollLeft") > 0:
            break
    assert scroller.evaluate("r => r.scrollLeft") > 0

    # Wide again, the board is a table and the regions are no longer tab stops.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    page.wait_for_load_state("load")
    assert card.evaluate("row => getComputedStyle(row).display") == "table-row"
    assert page.locator(".pc-table-region[tabindex]").count() == 0
