"""A council's DCS reads its data pack: from the council's page to the pack, a flag, a
chart and the table of its figures. axe on every page."""

from benchmarking.services import dfe_directory_load
from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region


def test_a_dcs_reads_the_councils_data_pack(new_page, site):
    dfe_directory_load()
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    dcs = UserFactory(email="dana@example.org", full_name="Dana Director")
    MembershipFactory(alliance=alliance, user=dcs, role=Role.DCS, local_authority=council("Derby"))

    page = new_page()
    sign_in(page, dcs)
    page.get_by_role("link", name="East Midlands RIIA").first.click()
    page.get_by_role("link", name="Councils").first.click()
    page.get_by_role("link", name="Derby", exact=True).click()
    page.get_by_role("link", name="Data pack of Derby").click()
    page.get_by_role("heading", name="Data pack", exact=True).wait_for()
    assert_accessible(page)

    section = page.get_by_role(
        "region", name="Children looked after at 31 March, rate per 10,000 children aged under 18"
    )
    assert "88 (decreasing since the year before)" in section.inner_text()
    chart = section.get_by_role(
        "img",
        name="Children looked after at 31 March, rate per 10,000 children aged under 18, "
        "2025: Derby and its statistical neighbours",
    )
    assert chart.is_visible()
    section.get_by_text("Figures in this chart").click()
    table = section.get_by_role("table").first
    assert "Derby (this council)" in table.inner_text()
    assert_accessible(page)
    series = section.get_by_role("img", name="over time")
    assert series.is_visible()
    series.screenshot(path="test-results/data-pack-series.png")
