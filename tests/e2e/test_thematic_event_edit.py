"""The programme manager moves a scheduled thematic event to another venue, sees the change
on the event page, and the participating council's organiser is emailed it. Axe on every
page."""

from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region
from tests.thematic.factories import event


def test_the_programme_manager_changes_the_venue(new_page, site, mailoutbox):
    alliance = AllianceFactory(
        name="East Midlands Regional Improvement and Innovation Alliance",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    pm = UserFactory(email="priya.pm@example.org", full_name="Priya Manager")
    MembershipFactory(alliance=alliance, user=pm, role=Role.PROGRAMME_MANAGER)
    organiser = UserFactory(email="org.derby@example.org", full_name="Org Derby")
    MembershipFactory(
        alliance=alliance, user=organiser, role=Role.LA_ORGANISER, local_authority=council("Derby")
    )
    upcoming = event(alliance, councils=("Derby", "Leicester"))

    manager = new_page()
    sign_in(manager, pm)
    manager.goto(f"/a/east-midlands/thematic/{upcoming.pk}/")
    assert_accessible(manager)
    manager.get_by_role("link", name="Change the venue or online link").click()
    manager.get_by_role("heading", name="Change the Reduction of Harm thematic event").wait_for()
    assert_accessible(manager)
    assert manager.get_by_label("Venue").input_value() == "Leicester City Hall"
    manager.get_by_label("Venue").fill("")
    manager.get_by_role("button", name="Save changes").click()
    manager.get_by_role("link", name="Enter the venue of an in-person event.").wait_for()
    assert_accessible(manager)
    manager.get_by_label("Venue").fill("Derby Council House")
    manager.get_by_role("button", name="Save changes").click()
    manager.get_by_text("The participants have been emailed the new arrangements.").wait_for()
    assert_accessible(manager)
    assert "Derby Council House" in manager.locator("main").inner_text()
    assert [m.to for m in mailoutbox] == [["org.derby@example.org"]]
    assert "Venue: Derby Council House (was Leicester City Hall)" in mailoutbox[0].body

    # The organiser sees the new venue, and no way to change the event.
    derby = new_page()
    sign_in(derby, organiser)
    derby.goto(f"/a/east-midlands/thematic/{upcoming.pk}/")
    derby.get_by_text("Derby Council House").wait_for()
    assert derby.locator(f'a[href="/a/east-midlands/thematic/{upcoming.pk}/change/"]').count() == 0
    assert_accessible(derby)
