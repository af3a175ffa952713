"""The PM writes and issues the summary report; the Derby DCS downloads the PDF, whose text
holds the triads, the recommendations and the agreed actions."""

import datetime

from django_scopes import scope
from pypdf import PdfReader

from peerchallenge.models import LocalAuthority, Role
from peerchallenge.services import action_create
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region
from tests.triads.factories import CycleFactory, make_triads


def test_pm_issues_the_summary_and_a_dcs_downloads_it(new_page, site, mailoutbox):
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    cycle = CycleFactory(
        alliance=alliance, name="March 2026", event_date=datetime.date(2026, 3, 12)
    )
    make_triads(cycle, [em[:3], em[4:7], [em[3], *em[7:]]])
    pm = UserFactory(email="pat@example.org", full_name="Pat Manager")
    MembershipFactory(alliance=alliance, user=pm, role=Role.PROGRAMME_MANAGER)
    dcs = UserFactory(email="dee@example.org", full_name="Dee Director")
    MembershipFactory(alliance=alliance, user=dcs, role=Role.DCS, local_authority=council("Derby"))
    with scope(alliance=alliance):
        action_create(
            source=cycle,
            local_authority=council("Derby"),
            what="Audit step-down decisions",
            owner="Head of early help",
            due_date=datetime.date(2026, 6, 30),
            tier2_group=None,
            created_by=dcs,
        )

    page = new_page()
    sign_in(page, pm)
    page.goto(f"/a/east-midlands/triads/{cycle.pk}/")
    page.get_by_role("link", name="Write or issue the summary report").click()
    page.get_by_role("heading", name="Summary report").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Issue the summary report").click()  # no overview yet
    page.get_by_text("Write the overview before issuing the report.").wait_for()
    assert_accessible(page)
    page.get_by_label("Overview").fill("Ten councils met in three triads at Leicester City Hall.")
    page.get_by_label("Recommendations for addressing identified challenges").fill(
        "Share the neglect toolkit across the region."
    )
    page.get_by_role("button", name="Save summary").click()
    page.get_by_text("Summary saved.").wait_for()
    page.get_by_role("button", name="Issue the summary report").click()
    page.get_by_text("Version 1 of the summary report is being produced").wait_for()
    assert_accessible(page)
    assert [m.to for m in mailoutbox] == [["dee@example.org"]]

    director = new_page()
    sign_in(director, dcs)
    director.goto(f"/a/east-midlands/triads/{cycle.pk}/")
    assert_accessible(director)
    with director.expect_download() as download:
        director.get_by_role("link", name="Download the summary report, version 1").click()
    text = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Share the neglect toolkit across the region." in text
    assert "Audit step-down decisions" in text
    assert "Triad 1" in text
