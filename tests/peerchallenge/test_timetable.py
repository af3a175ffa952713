"""The shared on-site timetable: a session ends after it starts, a room holds one session at
a time within a challenge, a peer is in one place at a time across the alliance, and an
offer's own rules refuse what they name. Shown with triad cycles as the "challenge", so the
rules are proven offer-neutral."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from peerchallenge.models import Session, SessionKind
from peerchallenge.services import session_delete, session_save, sessions_by_day, sessions_of
from tests.factories import UserFactory
from tests.triads.factories import CycleFactory

DAY = datetime.date(2028, 6, 15)  # British Summer Time: local days differ from UTC days


def at(hour, minute=0, day=DAY):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def setup(world):
    with scopes_disabled():  # factories
        cycle = CycleFactory(alliance=world.em, name="Derby cycle")
        other = CycleFactory(alliance=world.em, name="Another cycle")
        london = CycleFactory(alliance=world.london, name="London cycle")
    pete = UserFactory(full_name="Pete Peer")
    with scope(alliance=[world.em, world.london]):
        yield world, cycle, other, london, pete


def add(challenge, title, start, end, *, room="", peers=(), user=None, **kwargs):
    return session_save(
        challenge=challenge,
        kind=kwargs.pop("kind", SessionKind.INTERVIEW),
        title=title,
        starts_at=start,
        ends_at=end,
        room=room,
        attendees=kwargs.pop("attendees", ""),
        peers=peers,
        user=user,
        **kwargs,
    )


def refusal(call, match: str) -> dict:
    with pytest.raises(ValidationError, match=match) as caught:
        call()
    return caught.value.message_dict


def test_session_save_creates_the_session_with_its_peers(setup):
    world, cycle, _, _, pete = setup
    session = add(
        cycle,
        "  Interview with the DCS ",
        at(10),
        at(11),
        room=" Room 1 ",
        peers=[pete],
        user=world.pm,
        attendees="The DCS",
    )
    session.refresh_from_db()
    assert (session.title, session.room, session.attendees) == (
        "Interview with the DCS",
        "Room 1",
        "The DCS",
    )
    assert session.challenge == cycle
    assert session.alliance_id == world.em.pk
    assert session.created_by == world.pm
    assert list(session.peers.all()) == [pete]


def test_a_session_ending_before_or_when_it_starts_is_refused(setup):
    _, cycle, _, _, _ = setup
    assert refusal(
        lambda: add(cycle, "Backwards", at(11), at(10)),
        match=re.escape("The session must end after it starts (11:00)"),
    ) == {"ends_at": ["The session must end after it starts (11:00)."]}
    assert refusal(
        lambda: add(cycle, "Empty", at(11), at(11)),
        match=re.escape("The session must end after it starts (11:00)"),
    ) == {"ends_at": ["The session must end after it starts (11:00)."]}
    assert not Session.objects.exists()


def test_missing_title_kind_and_times_are_refused_by_field(setup):
    _, cycle, _, _, _ = setup
    errors = refusal(
        lambda: add(cycle, " ", None, None, kind="party"), match="Choose what kind of session it is"
    )
    assert errors == {
        "kind": ["Choose what kind of session it is."],
        "title": ["Enter the session's title."],
        "starts_at": ["Enter the time the session starts."],
        "ends_at": ["Enter the time the session ends."],
    }


def test_a_room_clash_on_the_same_challenge_is_refused(setup):
    _, cycle, _, _, _ = setup
    add(cycle, "Focus group", at(10), at(11), room="Room 1")
    errors = refusal(
        lambda: add(cycle, "Interview", at(10, 30), at(11, 30), room="room 1"),
        match="Room “room 1” is booked for “Focus group” from",
    )
    assert errors == {"room": ["Room “room 1” is booked for “Focus group” from 10:00 to 11:00."]}
    # The same room name on another challenge is another building's room.
    _, _, other, _, _ = setup
    assert add(other, "Elsewhere", at(10, 30), at(11, 30), room="Room 1").pk


def test_a_session_inside_another_clashes_too(setup):
    _, cycle, _, _, _ = setup
    add(cycle, "Long workshop", at(9), at(13), room="Hall")
    errors = refusal(
        lambda: add(cycle, "Short", at(10), at(10, 30), room="Hall"),
        match="Room “Hall” is booked for “Long workshop” from",
    )
    assert errors == {"room": ["Room “Hall” is booked for “Long workshop” from 09:00 to 13:00."]}


def test_back_to_back_sessions_are_not_a_clash(setup):
    _, cycle, _, _, pete = setup
    add(cycle, "First", at(9), at(10), room="Room 1", peers=[pete])
    add(cycle, "Second", at(10), at(11), room="Room 1", peers=[pete])
    add(cycle, "Before", at(8), at(9), room="Room 1", peers=[pete])
    assert [s.title for s in sessions_of(challenge=cycle)] == ["Before", "First", "Second"]


def test_a_peer_in_an_overlapping_session_of_the_same_challenge_is_refused(setup):
    _, cycle, _, _, pete = setup
    add(cycle, "Focus group", at(10), at(11), room="Room 1", peers=[pete])
    errors = refusal(
        lambda: add(cycle, "Interview", at(10, 45), at(12), room="Room 2", peers=[pete]),
        match="Pete Peer is in “Focus group” from 10:00 to 11:00",
    )
    assert errors == {"peers": ["Pete Peer is in “Focus group” from 10:00 to 11:00."]}


def test_a_peer_on_another_challenge_of_the_alliance_at_that_time_is_refused(setup):
    _, cycle, other, _, pete = setup
    add(other, "Their confidential interview", at(10), at(11), peers=[pete])
    errors = refusal(
        lambda: add(cycle, "Interview", at(9, 30), at(10, 30), peers=[pete]),
        match="Pete Peer is in a session of another peer",
    )
    # The other challenge's session is not named: its plans are not this challenge's to see.
    assert errors == {
        "peers": ["Pete Peer is in a session of another peer challenge from 10:00 to 11:00."]
    }


def test_a_peer_busy_in_another_alliance_is_refused_without_its_details(setup):
    """A DCS who is a peer for one alliance and in their own region: one diary. The other
    alliance's session is neither named nor timed here."""
    world, cycle, _, london, pete = setup
    add(
        london,
        "London interview with Camden",
        at(10),
        at(11),
        room="Camden Town Hall",
        peers=[pete],
    )
    with scope(alliance=world.em):
        errors = refusal(
            lambda: add(cycle, "Interview", at(10, 30), at(11, 30), peers=[pete]),
            match="Pete Peer is already booked at that time",
        )
    assert errors == {"peers": ["Pete Peer is already booked at that time."]}
    text = str(errors)
    for leak in ("London", "Camden", "10:00", "11:00"):
        assert leak not in text


def test_room_and_peer_clashes_are_reported_together(setup):
    _, cycle, _, _, pete = setup
    ada = UserFactory(full_name="Ada Adviser")
    add(cycle, "Focus group", at(10), at(11), room="Room 1", peers=[pete, ada])
    errors = refusal(
        lambda: add(cycle, "Clash", at(10), at(11), room="Room 1", peers=[pete, ada]),
        match="Room “Room 1” is booked for “Focus group” from",
    )
    assert errors == {
        "room": ["Room “Room 1” is booked for “Focus group” from 10:00 to 11:00."],
        "peers": [
            "Ada Adviser is in “Focus group” from 10:00 to 11:00.",
            "Pete Peer is in “Focus group” from 10:00 to 11:00.",
        ],
    }


def test_changing_a_session_does_not_clash_with_itself(setup):
    _, cycle, _, _, pete = setup
    session = add(cycle, "Interview", at(10), at(11), room="Room 1", peers=[pete])
    changed = session_save(
        challenge=cycle,
        session=session,
        kind=SessionKind.FOCUS_GROUP,
        title="Focus group",
        starts_at=at(10, 30),
        ends_at=at(11, 30),
        room="Room 1",
        attendees="",
        peers=[],
        user=None,
    )
    assert changed.pk == session.pk
    assert (changed.title, changed.starts_at, list(changed.peers.all())) == (
        "Focus group",
        at(10, 30),
        [],
    )
    assert Session.objects.count() == 1


def test_a_session_of_another_challenge_cannot_be_saved_through_this_one(setup):
    _, cycle, other, _, _ = setup
    session = add(other, "Theirs", at(10), at(11))
    with pytest.raises(ValueError, match="another challenge"):
        session_save(
            challenge=cycle,
            session=session,
            kind=SessionKind.OTHER,
            title="Mine now",
            starts_at=at(10),
            ends_at=at(11),
            room="",
            attendees="",
            peers=[],
            user=None,
        )


def test_offer_rules_refuse_on_the_field_they_name(setup):
    _, cycle, _, _, _ = setup
    seen = []

    def mornings_only(challenge, data):
        seen.append((challenge, data["title"], data["kind"]))
        if timezone.localtime(data["starts_at"]).hour >= 12:
            return {"starts_at": "Sessions are in the morning."}
        return {}

    errors = refusal(
        lambda: add(cycle, "Lunch", at(12), at(13), rules=[mornings_only]),
        match="Sessions are in the morning",
    )
    assert errors == {"starts_at": ["Sessions are in the morning."]}
    assert add(cycle, "Breakfast", at(8), at(9), rules=[mornings_only]).pk
    assert seen == [(cycle, "Lunch", SessionKind.INTERVIEW), (cycle, "Breakfast", "interview")]


def test_sessions_by_day_groups_by_local_day_with_empty_days(setup):
    _, cycle, _, _, _ = setup
    next_day, third_day = DAY + datetime.timedelta(days=1), DAY + datetime.timedelta(days=2)
    late = add(cycle, "Late", at(23, 0), at(23, 30))
    early = add(cycle, "Early", at(8), at(9))
    # 00:30 in London is 23:30 UTC the day before: it belongs to the local day.
    night = add(cycle, "Night", at(0, 30, day=third_day), at(1, day=third_day))
    grouped = sessions_by_day(sessions=sessions_of(challenge=cycle), days=[DAY, next_day])
    assert [(day, [s.pk for s in sessions]) for day, sessions in grouped] == [
        (DAY, [early.pk, late.pk]),
        (next_day, []),
        (third_day, [night.pk]),
    ]


def test_session_delete_removes_it(setup):
    _, cycle, _, _, pete = setup
    session = add(cycle, "Interview", at(10), at(11), peers=[pete])
    session_delete(session=session)
    assert not Session.objects.exists()
    assert add(cycle, "Interview again", at(10), at(11), peers=[pete]).pk
