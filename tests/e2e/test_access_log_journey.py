"""An alliance admin reads the alliance's access log: from the alliance page to the log,
filtered by person, then by a date that is not one (refused with a message)."""

from django_scopes import scopes_disabled

from peerchallenge.models import AccessLog, Role
from tests.clock import at
from tests.e2e.conftest import assert_accessible, date_group, sign_in
from tests.factories import (
    AccessLogFactory,
    AllianceFactory,
    MembershipFactory,
    UserFactory,
    council,
    region,
)


def test_admin_follows_the_link_to_the_access_log_and_filters_it(new_page, site):
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    admin = UserFactory(email="ada@example.org", full_name="Ada Admin")
    MembershipFactory(alliance=alliance, user=admin, role=Role.ALLIANCE_ADMIN)
    pm = UserFactory(email="pat@example.org", full_name="Pat Manager", mfa=False)
    MembershipFactory(alliance=alliance, user=pm, role=Role.PROGRAMME_MANAGER)
    organiser = UserFactory(email="oscar@example.org", full_name="Oscar Organiser", mfa=False)
    MembershipFactory(
        alliance=alliance, user=organiser, role=Role.LA_ORGANISER, local_authority=council("Derby")
    )
    # Seeding outside a request: no alliance scope to run in.
    with scopes_disabled():
        for n, (person, name) in enumerate([(pm, "Derby"), (organiser, "Leicester")], start=1):
            AccessLogFactory(
                alliance=alliance,
                user=person,
                action=AccessLog.Action.DOWNLOAD,
                object_type="peerchallenge.LocalAuthority",
                object_id=str(council(name).pk),
                object_repr=name,
                at=at(-n),
            )

    page = new_page()
    sign_in(page, admin)
    page.get_by_role("link", name="East Midlands RIIA").first.click()
    page.get_by_role("link", name="Access log").click()
    page.get_by_role("heading", name="Access log").wait_for()
    table = page.locator("#access-log")
    assert "Derby's improvement plan (PDF)" in table.inner_text()
    assert "Leicester's improvement plan (PDF)" in table.inner_text()
    assert_accessible(page)

    page.get_by_label("Person").select_option(label="Pat Manager (pat@example.org)")
    page.get_by_role("button", name="Filter the log").click()
    page.get_by_text("1 line matching your filters").wait_for()
    assert "Leicester" not in table.inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Derby's improvement plan (PDF)").click()
    page.get_by_role("heading", name="Improvement plan").first.wait_for()
    page.go_back()

    group = date_group(page, "From (date)")
    for part, value in (("Day", "31"), ("Month", "2"), ("Year", "2026")):  # no 31 February
        group.get_by_label(part, exact=True).fill(value)
    page.get_by_role("button", name="Filter the log").click()
    page.get_by_text("There is a problem").wait_for()
    assert "The date from must be a real date" in page.locator(".govuk-error-summary").inner_text()
    assert page.title().startswith("Error: Access log")
    assert_accessible(page)
