"""A Tier 2 member opens the data grid from the menu, sorts it by an indicator and back,
exports it as CSV and downloads the file. axe on every page."""

import csv
import io
import re

from django_scopes import scopes_disabled

from benchmarking.models import Figure
from benchmarking.services import dfe_directory_load
from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, region

CLA = "Children looked after at 31 March, rate per 10,000 children aged under 18"


def sort_link(title: str, words: str) -> re.Pattern:
    # The hidden words are positioned apart, so browsers name the link with a space before
    # their colon.
    return re.compile(f"^{re.escape(title)} ?: sort {words}$")


def test_a_tier2_member_sorts_and_exports_the_grid(new_page, site):
    dfe_directory_load()
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    tia = UserFactory(email="tia@example.org", full_name="Tia Tier")
    MembershipFactory(alliance=alliance, user=tia, role=Role.TIER2_MEMBER)
    with scopes_disabled():  # the test's own reading of the loaded figures
        highest = (
            Figure.objects.filter(
                indicator__code="cla_rate_per_10k",
                period="2025",
                council__region__name="East Midlands",
                alliance__isnull=True,
                value__isnull=False,
            )
            .order_by("-value", "council__name")
            .first()
        )

    page = new_page()
    sign_in(page, tia)
    page.get_by_role("link", name="East Midlands RIIA").first.click()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Data").click()
    page.get_by_role("heading", name="Data grid", exact=True).wait_for()
    assert_accessible(page)

    grid = page.get_by_role("region", name="Councils by indicator, each indicator's latest year")
    rows = grid.locator("tbody").nth(1).get_by_role("row")
    assert rows.count() == 10
    assert rows.first.get_by_role("rowheader").inner_text() == "Derby"
    grid.get_by_role("link", name=sort_link(CLA, "lowest first")).click()
    grid.get_by_role("link", name=sort_link(CLA, "highest first")).click()  # again: reversed
    page.wait_for_url(re.compile(r"sort=cla_rate_per_10k&order=desc"))
    heading = grid.get_by_role("columnheader", name=re.compile(f"^{re.escape(CLA)}"))
    assert heading.get_attribute("aria-sort") == "descending"
    first = grid.locator("tbody").nth(1).get_by_role("row").first
    assert first.get_by_role("rowheader").inner_text() == highest.council.name
    grid.focus()  # the region scrolls sideways by keyboard
    assert_accessible(page)
    page.screenshot(path="test-results/data-grid.png", full_page=True)

    page.get_by_role("button", name="Export as CSV").click()
    page.get_by_text("Your CSV export of the grid is being prepared.").wait_for()
    assert_accessible(page)
    page.reload()  # the worker has made it (tasks run in-process in the tests)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Download Data grid \\(CSV\\)")).click()
    assert download.value.suggested_filename.startswith("East Midlands RIIA data grid latest ")
    with open(download.value.path(), encoding="utf-8-sig") as file:
        lines = list(csv.reader(io.StringIO(file.read())))
    assert lines[0][:4] == ["Area", "Level", "ONS code", f"{CLA}, 2025"]
    assert [line[0] for line in lines[1:3]] == ["England", "East Midlands"]
    assert lines[3][0] == highest.council.name  # sorted as the page was
    assert len(lines) == 1 + 2 + 10
