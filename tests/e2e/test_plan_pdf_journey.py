"""A council's DCS prepares a PDF of the improvement plan (the worker renders it; here tasks
run in-process, as in every test), downloads it when it is ready and finds the actions in
it; the old address of the PDF leads to the plan page. axe on every page."""

import io

from django_scopes import scope
from pypdf import PdfReader

from peerchallenge.models import Role
from peerchallenge.services import action_create
from tests.clock import days
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region
from tests.triads.factories import CycleFactory


def test_dcs_prepares_the_plan_pdf_and_downloads_it(new_page, site):
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
        action_create(
            source=cycle,
            local_authority=council("Derby"),
            what="Audit step-down decisions",
            owner="Head of service",
            due_date=days(30),
            tier2_group=None,
            created_by=dcs,
            not_before=agreed,
        )
    gss = council("Derby").gss_code

    page = new_page()
    sign_in(page, dcs)
    page.goto(f"/a/east-midlands/councils/{gss}/plan.pdf")  # the old address
    page.get_by_role("heading", name="Improvement plan").wait_for()
    assert page.url.endswith(f"/a/east-midlands/councils/{gss}/plan/")
    assert_accessible(page)

    page.get_by_role("button", name="Prepare a PDF of the plan").click()
    page.get_by_text("is being prepared").first.wait_for()
    assert_accessible(page)
    page.reload()
    link = page.get_by_role("link", name="Download the improvement plan as it stood on")
    link.wait_for()
    assert_accessible(page)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("Improvement plan - Derby - ")
    with open(download.path(), "rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Improvement plan of Derby" in text
    assert "Audit step-down decisions" in text
    page.get_by_role("button", name="Prepare a new PDF of the plan as it stands").wait_for()
