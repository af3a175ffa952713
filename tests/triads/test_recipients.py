"""Who is told when the triad summary report is issued: the participating councils' DCSs
whose accounts are active; never a closed account."""

import pytest
from django_scopes import scope

from peerchallenge.models import Role
from tests.clock import days
from tests.factories import MembershipFactory, UserFactory, council
from tests.triads.factories import CycleFactory
from triads.services.summary import summary_issue, summary_save


def person(alliance, role, name, la, *, active=True):
    user = UserFactory(full_name=name, email=f"{name.split()[0].lower()}.tr@example.org")
    if not active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    MembershipFactory(alliance=alliance, user=user, role=role, local_authority=la)
    return user


@pytest.fixture
def cycle(world):
    return CycleFactory(
        alliance=world.em,
        name="Autumn cycle",
        event_date=days(-7),
        councils=[council("Derby"), council("Leicester"), council("Rutland")],
    )


def test_issuing_the_summary_emails_the_active_dcs_only(
    world, cycle, mailoutbox, django_capture_on_commit_callbacks
):
    leicester = person(world.em, Role.DCS, "Lia Leicester", council("Leicester"))
    closed = person(world.em, Role.DCS, "Clive Closed", council("Derby"), active=False)
    gone = person(world.em, Role.DCS, "Rory Retired", council("Rutland"), active=False)
    with scope(alliance=world.em):
        summary_save(cycle=cycle, overview="Three triads met.", recommendations="", triad_texts={})
        with django_capture_on_commit_callbacks(execute=True):
            summary_issue(cycle=cycle, issued_by=world.pm)
    told = sorted(address for message in mailoutbox for address in message.to)
    assert told == sorted([world.dcs.email, leicester.email])
    assert closed.email not in told and gone.email not in told
    assert all(len(message.to) == 1 for message in mailoutbox)
