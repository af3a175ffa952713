"""A Derby DCS, a member of the East Midlands alliance only, is booked as a peer by London:
her calendar shows the time as "Booked (another alliance)" and nothing of London's work.
Axe on the page."""

from django_scopes import scope

from peerchallenge.models import Role, SessionKind
from peerchallenge.services import session_save
from tests import clock
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region
from tests.triads.factories import CycleFactory


def test_a_booking_by_another_alliance_shows_as_booked(new_page, site):
    em = AllianceFactory(
        name="East Midlands RIIA", slug="east-midlands", regions=[region("East Midlands")]
    )
    london = AllianceFactory(name="London alliance", slug="london", regions=[region("London")])
    dee = UserFactory(email="dee.director@example.org", full_name="Dee Director")
    MembershipFactory(alliance=em, user=dee, role=Role.DCS, local_authority=council("Derby"))
    camden = CycleFactory(alliance=london, name="Camden cycle")
    with scope(alliance=london.pk):
        session_save(
            challenge=camden,
            kind=SessionKind.INTERVIEW,
            title="Camden Safeguarding interview",
            starts_at=clock.at(9, 14),
            ends_at=clock.at(9, 15, 30),
            room="Camden Town Hall",
            peers=[dee],
            user=None,
        )

    page = new_page()
    sign_in(page, dee)
    page.get_by_role("link", name="Calendar").click()
    page.get_by_role("heading", name="Your calendar", exact=True).wait_for()
    row = page.locator("#upcoming tbody tr")
    assert row.count() == 1
    assert row.get_by_role("cell").all_inner_texts()[:2] == [
        f"{clock.days(9):%a} {clock.days(9).day} {clock.days(9):%b %Y}",
        "14:00 to 15:30",
    ]
    assert "Booked (another alliance)" in row.inner_text()
    assert row.get_by_role("link").count() == 0
    text = page.locator("main").inner_text()
    for leak in ("Camden", "London", "Town Hall", "Safeguarding"):
        assert leak not in text
    assert_accessible(page)
