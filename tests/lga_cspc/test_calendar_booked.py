"""A person has one diary: every session they are a peer in, in any alliance, shows on their
calendar (the page and the feed). An offer shows its own in full; the rest, and above all
another alliance's, show only as "Booked" at their time, with nothing of that alliance's
work: no title, council, room, alliance or link."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from lga_cspc.models import Challenge, Stage
from peerchallenge.calendar import BOOKED_ELSEWHERE, events_for
from peerchallenge.models import SessionKind
from peerchallenge.permissions import alliance_ids_of
from peerchallenge.services import session_save
from tests import clock
from tests.lga_cspc.factories import ChallengeFactory, TeamMemberFactory
from tests.peerchallenge.test_calendar import ics_events, new_feed_url
from tests.triads.factories import CycleFactory

LEAKS = ("Camden", "London", "Town Hall", "Safeguarding", "LIIA", "/a/london/")


def add(challenge, title, start, end, *, peers, room=""):
    with scope(alliance=challenge.alliance_id):
        return session_save(
            challenge=challenge,
            kind=SessionKind.INTERVIEW,
            title=title,
            starts_at=start,
            ends_at=end,
            room=room,
            peers=peers,
            user=None,
        )


@pytest.fixture
def pete(world, lga):
    """The LGA's peer (a member of the LGA only), on a CSPC team two weeks from today, and
    booked by London (an alliance he is not in) the day after."""
    with scopes_disabled():  # test set-up
        cspc = ChallengeFactory(
            offer=lga.offer, stage=Stage.PREPARATION, onsite_start=clock.days(14)
        )
        TeamMemberFactory(challenge=cspc, user=lga.peer, role="senior_manager", indicative_days=4)
        london = CycleFactory(alliance=world.london, name="Camden cycle")
    add(cspc, "Interview with the DCS", clock.at(14, 10), clock.at(14, 11), peers=[lga.peer])
    add(
        london,
        "Camden Safeguarding interview",
        clock.at(15, 9, 30),
        clock.at(15, 11),
        room="Camden Town Hall",
        peers=[lga.peer],
    )
    return lga.peer


def test_the_feed_shows_another_alliances_session_as_an_opaque_block(client, pete):
    feed = new_feed_url(client, pete)
    client.logout()
    body = client.get(feed).content.decode()
    events = ics_events(body)
    booked = [event for event in events if event["UID"].startswith("booked-")]
    assert booked == [
        {
            "UID": booked[0]["UID"],
            "DTSTART": clock.at(15, 9, 30),
            "DTEND": clock.at(15, 11),
            "SUMMARY": "Booked (another alliance)",
            "DESCRIPTION": (
                "You are booked in a session at this time. Its details are not shown here."
            ),
        }
    ]
    # His own alliance's session is shown in full, once (not also as a block); and the
    # deadline he acts on (peerchallenge.calendar.deadline_events).
    assert sorted((e["UID"].split("-")[0], e["SUMMARY"]) for e in events) == [
        ("booked", "Booked (another alliance)"),
        (
            "due",
            "Accept the peer charter for the Children's Services Peer Challenge in Derby",
        ),
        ("lga", "Interview with the DCS (Derby peer challenge)"),
    ]
    body = body.replace("Europe/London", "")  # the zone times are written in, not a leak
    for leak in LEAKS:
        assert leak not in body


def test_the_calendar_page_shows_the_block_without_detail(client, pete):
    client.force_login(pete)
    response = client.get(reverse("calendar_settings"))
    assert response.status_code == 200
    page = response.content.decode()
    assert [event.title for event in response.context["upcoming"]] == [
        "Accept the peer charter for the Children's Services Peer Challenge in Derby",  # due
        "Interview with the DCS (Derby peer challenge)",
        BOOKED_ELSEWHERE,
    ]
    assert "Booked (another alliance)" in page
    assert "09:30 to 11:00" in page
    for leak in LEAKS:
        assert leak not in page


def test_a_session_of_my_own_alliance_no_offer_shows_is_booked_not_elsewhere(world):
    """A session on a challenge whose offer shows none (or whose team the person left) still
    stops them being booked then: it shows as "Booked", without "another alliance"."""
    with scopes_disabled():
        cycle = CycleFactory(alliance=world.em, name="Derby cycle")
    add(cycle, "Derby focus group", clock.at(3, 14), clock.at(3, 15), peers=[world.dcs])
    with scope(alliance=alliance_ids_of(world.dcs)):
        events = events_for(user=world.dcs)
    booked = [event for event in events if event.uid.startswith("booked-")]
    assert [(e.title, e.starts_at, e.ends_at, e.path) for e in booked] == [
        ("Booked", clock.at(3, 14), clock.at(3, 15), "")
    ]


def test_the_booked_blocks_cost_one_query_however_many(world, pete):
    def queries():
        with (
            scope(alliance=alliance_ids_of(pete)),
            CaptureQueriesContext(connection) as captured,
        ):
            events_for(user=pete)
        return len(captured)

    before = queries()
    with scopes_disabled():
        london = CycleFactory(alliance=world.london, name="Another London cycle")
    for n in range(6):
        add(london, f"London {n}", clock.at(20 + n, 9), clock.at(20 + n, 10), peers=[pete])
    assert queries() == before


def test_the_planner_sees_when_the_team_is_booked_elsewhere_without_detail(client, lga, pete):
    """The LGA's timetable, for those who organise it: Pete is booked by London the day after
    the on-site day's start (an on-site day): the time, nothing else of London's."""
    with scopes_disabled():
        challenge = Challenge.objects.get(alliance=lga.alliance)
    path = reverse(
        "lga_cspc:timetable", kwargs={"alliance": lga.alliance.slug, "challenge": challenge.pk}
    )
    client.force_login(lga.derby_organiser)
    page = client.get(path).content.decode()
    day = clock.days(15)
    assert f"Pete Peer: booked {day:%A} {day.day} {day:%B}, 09:30 to 11:00" in page
    for leak in LEAKS:
        assert leak not in page
    # Its own sessions are in the timetable itself, not in the list.
    assert "Pete Peer: booked " + f"{clock.days(14):%A}" not in page
    # Who only reads the timetable (a peer on the team) has no form, and no list.
    client.force_login(pete)
    page = client.get(path).content.decode()
    assert "booked elsewhere" not in page
