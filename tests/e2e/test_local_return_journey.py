"""The quarterly local return: the data lead adds a local indicator and opens a quarter;
Derby's DCS finds the return on the home page, types a word by mistake (the message by the
field), submits; the data lead publishes the quarter. axe on every page."""

import datetime
import re

from django.utils import timezone

from benchmarking.selectors import framework_year
from benchmarking.services import dfe_directory_load
from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, fill_date, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region


def test_a_quarter_opened_filled_in_and_published(new_page, site):
    dfe_directory_load()
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    lead = UserFactory(email="nia@example.org", full_name="Nia Lead")
    MembershipFactory(alliance=alliance, user=lead, role=Role.DATA_LEAD)
    dcs = UserFactory(email="dev@example.org", full_name="Dev Director")
    MembershipFactory(alliance=alliance, user=dcs, role=Role.DCS, local_authority=council("Derby"))
    deadline = timezone.localdate() + datetime.timedelta(days=10)

    page = new_page()
    sign_in(page, lead)
    page.goto("/a/east-midlands/data/framework/")
    page.get_by_role("button", name=f"Start the {framework_year()} framework").click()
    page.get_by_role("link", name="Add a local indicator").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Children waiting for an initial health assessment")
    page.get_by_label("Unit").fill("children")
    page.get_by_label("Lower is better").check()
    page.get_by_label("Theme in this year's framework").fill("Children in care")
    page.get_by_role("button", name="Add the indicator").click()
    page.get_by_text("is added to the framework").wait_for()
    page.get_by_role("link", name="Local returns: open a quarter").click()
    page.get_by_role("heading", name="Local returns").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Open a quarter").click()
    page.get_by_label("Q2: July to September").check()
    fill_date(page, "Deadline for councils' returns", deadline)
    page.get_by_role("button", name="Open the quarter").click()
    page.get_by_text("is open for councils' returns").wait_for()
    assert_accessible(page)
    label = page.get_by_role("heading", level=1).inner_text()

    director = new_page()
    sign_in(director, dcs)
    director.get_by_role("link", name=f"Submit Derby's local return for {label}").click()
    assert_accessible(director)
    field = director.get_by_label("Children waiting for an initial health assessment")
    field.fill("eleven")
    director.get_by_role("button", name="Save and submit the return").click()
    director.locator(".govuk-error-summary").wait_for()
    assert "is not a number" in director.locator(".govuk-error-summary").inner_text()
    assert_accessible(director)
    field.fill("11")
    director.get_by_role("button", name="Save and submit the return").click()
    director.get_by_text("Derby's return is submitted.").wait_for()
    assert_accessible(director)

    page.reload()
    assert "1 of 10 councils have submitted" in page.locator("main").inner_text()
    row = page.get_by_role("row", name=re.compile(r"^Derby \d"))
    assert "11.0" in row.inner_text()
    page.get_by_role("button", name=f"Publish {label}").click()
    page.get_by_text("its figures are no longer provisional").wait_for()
    assert_accessible(page)
