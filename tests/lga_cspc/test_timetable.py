"""The on-site timetable of a CSPC: the manual's rules (section 10) on top of the shared clash
rules, the pages (read by all who see the challenge, built by the host council and the LGA's
planners), who may open what, each peer's calendar feed, and queries that do not grow."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lga_cspc.calendar import cspc_session_events
from lga_cspc.models import Stage
from lga_cspc.services.timetable import timetable_session_save
from lga_cspc.views.timetable import timetable_detail_context
from peerchallenge.models import Role, Session, SessionKind
from peerchallenge.permissions import alliance_ids_of
from tests.clock import days, weekday_text
from tests.factories import MembershipFactory, UserFactory, council
from tests.forms import shows_time
from tests.lga_cspc.factories import ChallengeFactory, TeamMemberFactory
from tests.peerchallenge.test_calendar import ics_events, new_feed_url

# The challenge's first on-site day: a Monday in May (British Summer Time), on site for 4 days.
DAY1 = days(7 * 23)
DAY2, DAY4 = DAY1 + datetime.timedelta(days=1), DAY1 + datetime.timedelta(days=3)


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def url(name, lga, challenge, **kwargs):
    return reverse(
        f"lga_cspc:{name}",
        kwargs={"alliance": lga.alliance.slug, "challenge": challenge.pk, **kwargs},
    )


@pytest.fixture
def teammate(lga):
    user = UserFactory(full_name="Tess Teammate", email="tess.peer@example.org")
    MembershipFactory(
        alliance=lga.alliance, user=user, role=Role.PEER_REVIEWER, local_authority=council("Kent")
    )
    return user


@pytest.fixture
def challenge(lga, teammate):
    with scopes_disabled():  # test set-up
        challenge = ChallengeFactory(
            offer=lga.offer, stage=Stage.PREPARATION, onsite_start=DAY1
        )  # Derby
        for user in (lga.peer, teammate):
            TeamMemberFactory(
                challenge=challenge, user=user, role="senior_manager", indicative_days=6
            )
    return challenge


def save(lga, challenge, title, start, end, *, kind=SessionKind.INTERVIEW, peers=(), **kwargs):
    with scope(alliance=lga.alliance):
        return timetable_session_save(
            challenge=challenge,
            kind=kind,
            title=title,
            starts_at=start,
            ends_at=end,
            peers=peers,
            user=lga.derby_organiser,
            **kwargs,
        )


def refusal(call, match: str) -> dict:
    with pytest.raises(ValidationError, match=match) as caught:
        call()
    return caught.value.message_dict


# The CSPC's rules --------------------------------------------------------------------------


def test_the_overview_on_day_one_of_twenty_minutes_is_accepted(lga, challenge):
    session = save(
        lga, challenge, "Overview", at(DAY1, 9), at(DAY1, 9, 20), kind=SessionKind.OVERVIEW
    )
    assert session.kind == SessionKind.OVERVIEW


def test_an_overview_longer_than_twenty_minutes_is_refused(lga, challenge):
    errors = refusal(
        lambda: save(
            lga, challenge, "Overview", at(DAY1, 9), at(DAY1, 9, 21), kind=SessionKind.OVERVIEW
        ),
        match="The council overview presentation lasts no more",
    )
    assert errors == {
        "ends_at": ["The council overview presentation lasts no more than 20 minutes."]
    }


def test_an_overview_not_on_day_one_is_refused(lga, challenge):
    errors = refusal(
        lambda: save(
            lga, challenge, "Overview", at(DAY2, 9), at(DAY2, 9, 20), kind=SessionKind.OVERVIEW
        ),
        match="The council overview presentation is on day 1",
    )
    assert errors == {
        "day": [f"The council overview presentation is on day 1, {weekday_text(DAY1)}."]
    }


def test_the_feedback_presentation_is_on_the_last_day(lga, challenge):
    errors = refusal(
        lambda: save(
            lga, challenge, "Feedback", at(DAY2, 15), at(DAY2, 16), kind=SessionKind.FEEDBACK
        ),
        match="The feedback presentation is on the last on-site",
    )
    assert errors == {
        "day": [f"The feedback presentation is on the last on-site day, {weekday_text(DAY4)}."]
    }
    assert save(lga, challenge, "Feedback", at(DAY4, 15), at(DAY4, 16), kind=SessionKind.FEEDBACK)


@pytest.mark.parametrize(
    "day", [DAY1 - datetime.timedelta(days=1), DAY4 + datetime.timedelta(days=1)]
)
def test_sessions_outside_the_onsite_days_are_refused(lga, challenge, day):
    errors = refusal(
        lambda: save(lga, challenge, "Interview", at(day, 10), at(day, 11)),
        match=f"Sessions are on the on-site days, from {weekday_text(DAY1)}",
    )
    assert errors == {
        "day": [
            f"Sessions are on the on-site days, from {weekday_text(DAY1)} to {weekday_text(DAY4)}, "
            "and end on the day they start."
        ]
    }


def test_only_the_team_can_be_put_in_a_session(lga, challenge):
    errors = refusal(
        lambda: save(lga, challenge, "Interview", at(DAY1, 10), at(DAY1, 11), peers=[lga.pcm]),
        match="Only the peer team can be put in a session: Maya",
    )
    assert errors == {
        "peers": ["Only the peer team can be put in a session: Maya Manager is not on it."]
    }


def test_a_peer_on_two_challenges_at_once_is_refused(lga, challenge):
    with scopes_disabled():  # test set-up
        other = ChallengeFactory(
            offer=lga.offer, local_authority=council("Leicester"), onsite_start=DAY1
        )
        TeamMemberFactory(challenge=other, user=lga.peer, role="senior_manager", indicative_days=6)
    save(lga, other, "Leicester interview", at(DAY1, 10), at(DAY1, 11), peers=[lga.peer])
    errors = refusal(
        lambda: save(lga, challenge, "Interview", at(DAY1, 10), at(DAY1, 11), peers=[lga.peer]),
        match="Pete Peer is in a session of another peer",
    )
    assert errors == {
        "peers": ["Pete Peer is in a session of another peer challenge from 10:00 to 11:00."]
    }


# The pages ---------------------------------------------------------------------------------


def form_data(lga, **overrides):
    data = {
        "day": DAY1.isoformat(),
        "starts_at": "10:00",
        "ends_at": "11:00",
        "kind": SessionKind.INTERVIEW,
        "title": "Interview with the Lead Member",
        "room": "Committee Room 2",
        "attendees": "Lead Member for Children's Services",
        "peers": [lga.peer.pk],
    }
    data.update(overrides)
    return data


def test_the_organiser_adds_sessions_and_everyone_reads_them_by_day(
    client, lga, challenge, teammate
):
    client.force_login(lga.derby_organiser)
    page = client.get(url("timetable", lga, challenge)).content.decode()
    assert "Add a session" in page
    assert f"Day 1: {weekday_text(DAY1)}" in page
    assert f"Day 4: {weekday_text(DAY4)}" in page
    response = client.post(url("timetable", lga, challenge), form_data(lga))
    assert response.status_code == 302
    assert response["Location"] == url("timetable", lga, challenge)
    response = client.post(
        url("timetable", lga, challenge),
        form_data(
            lga,
            day=DAY2.isoformat(),
            starts_at="9.30",
            ends_at="10:15",
            kind=SessionKind.FOCUS_GROUP,
            title="Focus group: social workers",
            room="",
            peers=[lga.peer.pk, teammate.pk],
        ),
    )
    assert response.status_code == 302
    with scope(alliance=lga.alliance):
        sessions = list(Session.objects.order_by("starts_at"))
        assert [
            (s.title, s.starts_at, s.ends_at, s.room, s.created_by, set(s.peers.all()))
            for s in sessions
        ] == [
            (
                "Interview with the Lead Member",
                at(DAY1, 10),
                at(DAY1, 11),
                "Committee Room 2",
                lga.derby_organiser,
                {lga.peer},
            ),
            (
                "Focus group: social workers",
                at(DAY2, 9, 30),
                at(DAY2, 10, 15),
                "",
                lga.derby_organiser,
                {lga.peer, teammate},
            ),
        ]
    client.force_login(lga.peer)  # on the team: reads it, without the form
    response = client.get(url("timetable", lga, challenge))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Add a session" not in page
    assert "Change<span" not in page
    assert [(n, day, [s.title for s in ss]) for n, day, ss in response.context["days"]] == [
        (1, DAY1, ["Interview with the Lead Member"]),
        (2, DAY2, ["Focus group: social workers"]),
        (3, DAY1 + datetime.timedelta(days=2), []),
        (4, DAY4, []),
    ]
    assert "10:00 to 11:00" in page
    assert "09:30 to 10:15" in page
    assert "Pete Peer<br>Tess Teammate" in page
    assert "No sessions planned for this day yet." in page


def test_a_clash_is_refused_with_the_message_and_what_was_typed_kept(client, lga, challenge):
    save(
        lga,
        challenge,
        "Focus group",
        at(DAY1, 10, 30),
        at(DAY1, 11, 30),
        room="Committee Room 2",
    )
    client.force_login(lga.derby_dcs)
    response = client.post(
        url("timetable", lga, challenge),
        form_data(lga, attendees="The Lead Member & the DCS"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    message = "Room “Committee Room 2” is booked for “Focus group” from 10:30 to 11:30."
    assert "govuk-error-summary" in page
    assert page.count(message) == 2  # in the summary and next to the field
    assert response.context["form"].errors == {"room": [message]}
    assert 'value="Interview with the Lead Member"' in page
    assert shows_time(page, "starts_at", "10:00")
    assert shows_time(page, "ends_at", "11:00")
    assert "The Lead Member &amp; the DCS</textarea>" in page
    assert re.search(rf'value="{lga.peer.pk}"[^>]*checked', page)
    assert f'<option value="{DAY1.isoformat()}" selected>' in page
    assert "<title>Error: " in page
    with scope(alliance=lga.alliance):
        assert Session.objects.count() == 1


def test_a_bad_time_is_refused_next_to_the_field(client, lga, challenge):
    client.force_login(lga.derby_organiser)
    response = client.post(
        url("timetable", lga, challenge), form_data(lga, starts_at="25:00", ends_at="")
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "starts_at": ["Enter a real start time"],
        "ends_at": ["Enter the time the session ends."],
    }


def test_a_cspc_rule_is_refused_next_to_the_day(client, lga, challenge):
    client.force_login(lga.derby_organiser)
    response = client.post(
        url("timetable", lga, challenge),
        form_data(lga, day=DAY2.isoformat(), kind=SessionKind.OVERVIEW, ends_at="10:30"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "day": [f"The council overview presentation is on day 1, {weekday_text(DAY1)}."],
        "ends_at": ["The council overview presentation lasts no more than 20 minutes."],
    }
    assert 'class="govuk-select govuk-input--error"' in response.content.decode()


def test_the_organiser_changes_a_session(client, lga, challenge, teammate):
    session = save(
        lga, challenge, "Interview", at(DAY1, 10), at(DAY1, 11), room="Room 1", peers=[lga.peer]
    )
    client.force_login(lga.derby_organiser)
    page = client.get(url("session_edit", lga, challenge, session=session.pk)).content.decode()
    assert 'value="Interview"' in page
    assert shows_time(page, "starts_at", "10:00")
    assert 'value="Room 1"' in page
    assert re.search(rf'value="{lga.peer.pk}"[^>]*checked', page)
    response = client.post(
        url("session_edit", lga, challenge, session=session.pk),
        form_data(
            lga,
            day=DAY2.isoformat(),
            starts_at="14:00",
            ends_at="15:30",
            title="Interview with the DCS",
            peers=[teammate.pk],
        ),
    )
    assert response.status_code == 302
    with scope(alliance=lga.alliance):
        session.refresh_from_db()
        assert (session.title, session.starts_at, session.ends_at, list(session.peers.all())) == (
            "Interview with the DCS",
            at(DAY2, 14),
            at(DAY2, 15, 30),
            [teammate],
        )


def test_the_organiser_removes_a_session_after_confirming(client, lga, challenge):
    session = save(lga, challenge, "Interview", at(DAY1, 10), at(DAY1, 11))
    client.force_login(lga.derby_organiser)
    page = client.get(url("session_delete", lga, challenge, session=session.pk)).content.decode()
    assert "Remove “Interview” from the timetable?" in page
    with scope(alliance=lga.alliance):
        assert Session.objects.count() == 1  # a GET removes nothing
    delete = url("session_delete", lga, challenge, session=session.pk)
    refused = client.post(delete)  # not through the page: shown the page, nothing removed
    assert refused.status_code == 200
    assert "Remove “Interview” from the timetable?" in refused.content.decode()
    with scope(alliance=lga.alliance):
        assert Session.objects.count() == 1
    response = client.post(delete, {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == url("timetable", lga, challenge)
    with scope(alliance=lga.alliance):
        assert not Session.objects.exists()


# Who may open what -------------------------------------------------------------------------


def test_who_may_read_and_who_may_build_the_timetable(client, lga, challenge):
    session = save(lga, challenge, "Interview", at(DAY1, 10), at(DAY1, 11))
    outsider_peer = UserFactory(full_name="Nina Notonteam")
    MembershipFactory(alliance=lga.alliance, user=outsider_peer, role=Role.PEER_REVIEWER)
    urls = {
        "timetable": url("timetable", lga, challenge),
        "edit": url("session_edit", lga, challenge, session=session.pk),
        "delete": url("session_delete", lga, challenge, session=session.pk),
    }

    def statuses(user):
        client.force_login(user)
        return {
            (name, method): getattr(client, method)(address).status_code
            for name, address in urls.items()
            for method in ("get", "post")
        }

    not_found = dict.fromkeys([(name, m) for name in urls for m in ("get", "post")], 404)
    assert statuses(lga.leicester_dcs) == not_found  # another council's sponsor
    assert statuses(outsider_peer) == not_found  # a peer not on the team
    assert statuses(lga.peer) == {  # on the team: reads, no more
        ("timetable", "get"): 200,
        ("timetable", "post"): 403,
        ("edit", "get"): 403,
        ("edit", "post"): 403,
        ("delete", "get"): 403,
        ("delete", "post"): 403,
    }
    client.force_login(lga.principal_adviser)  # not named on this challenge
    assert client.get(urls["timetable"]).status_code == 404
    for organiser in (lga.pm, lga.coordinator, lga.derby_dcs, lga.derby_organiser):
        client.force_login(organiser)
        assert client.get(urls["timetable"]).status_code == 200
        assert client.get(urls["edit"]).status_code == 200
        assert client.get(urls["delete"]).status_code == 200
    with scope(alliance=lga.alliance):
        assert Session.objects.count() == 1


def test_a_session_of_another_challenge_is_not_found(client, lga, challenge):
    with scopes_disabled():  # test set-up: another Derby challenge, which the organiser sees
        later = DAY1 + datetime.timedelta(weeks=17)
        other = ChallengeFactory(offer=lga.offer, onsite_start=later)
    theirs = save(lga, other, "Their interview", at(later, 10), at(later, 11))
    client.force_login(lga.derby_organiser)
    for name in ("session_edit", "session_delete"):
        address = url(name, lga, challenge, session=theirs.pk)
        assert client.get(address).status_code == 404
        assert client.post(address, form_data(lga)).status_code == 404
    with scope(alliance=lga.alliance):
        assert Session.objects.get().title == "Their interview"


def test_the_timetable_pages_do_not_exist_in_a_regional_alliance(client, lga, challenge, world):
    client.force_login(world.pm)
    address = reverse(
        "lga_cspc:timetable", kwargs={"alliance": world.em.slug, "challenge": challenge.pk}
    )
    assert client.get(address).status_code == 404


# The challenge's page ----------------------------------------------------------------------


def test_detail_context_counts_sessions_per_onsite_day(lga, challenge):
    save(lga, challenge, "Overview", at(DAY1, 9), at(DAY1, 9, 20), kind=SessionKind.OVERVIEW)
    save(lga, challenge, "Interview", at(DAY1, 10), at(DAY1, 11))
    save(lga, challenge, "Late", at(DAY2, 23, 30), at(DAY2, 23, 50))  # BST: UTC's 22:30
    with scope(alliance=lga.alliance):
        context = timetable_detail_context(challenge=challenge, user=lga.pm)
    assert context == {
        "timetable_days": [
            (1, DAY1, 2),
            (2, DAY2, 1),
            (3, DAY1 + datetime.timedelta(days=2), 0),
            (4, DAY4, 0),
        ],
        "timetable_total": 3,
    }


# Calendar feeds ----------------------------------------------------------------------------


def test_a_peers_sessions_are_in_their_calendar_feed(client, lga, challenge):
    """Through the feed with the providers the apps registered: no provider is added here,
    so the test fails if lga_cspc's AppConfig stops registering its sessions."""
    save(
        lga,
        challenge,
        "Interview with the DCS",
        at(DAY2, 14),
        at(DAY2, 15, 30),
        room="Room 1",
        peers=[lga.peer],
    )
    save(lga, challenge, "Without Pete", at(DAY2, 14), at(DAY2, 15))
    feed = new_feed_url(client, lga.peer)
    client.logout()  # calendar apps are not signed in
    response = client.get(feed)
    assert response.status_code == 200
    body = response.content.decode()
    [event] = [e for e in ics_events(body) if e["UID"].startswith("lga-cspc-session-")]
    # Day 2 is in British Summer Time: London's 14:00, at +01:00.
    assert event == {
        "UID": event["UID"],
        "DTSTART": at(DAY2, 14),
        "DTEND": at(DAY2, 15, 30),
        "SUMMARY": "Interview with the DCS (Derby peer challenge)",
        "DESCRIPTION": "Interview. Room: Room 1.",
        "URL": f"{settings.SITE_URL}{url('timetable', lga, challenge)}",
    }
    assert event["DTSTART"].utcoffset() == datetime.timedelta(hours=1)
    assert "Without Pete" not in body
    other_feed = new_feed_url(client, lga.derby_organiser)  # not a peer in it
    assert "Interview with the DCS" not in client.get(other_feed).content.decode()


def test_a_peer_removed_from_the_team_loses_the_sessions_from_the_feed(lga, challenge):
    save(lga, challenge, "Interview", at(DAY1, 10), at(DAY1, 11), peers=[lga.peer])
    with scope(alliance=lga.alliance):
        assert [
            (event.title, event.day, event.starts_at, event.ends_at)
            for event in cspc_session_events(lga.peer)
        ] == [("Interview (Derby peer challenge)", DAY1, at(DAY1, 10), at(DAY1, 11))]
        challenge.team.filter(user=lga.peer).delete()
        assert cspc_session_events(lga.peer) == []


def test_the_feed_provider_queries_do_not_grow(lga, challenge, django_assert_max_num_queries):
    with scopes_disabled():  # test set-up: a second challenge for the same peer
        other = ChallengeFactory(
            offer=lga.offer, local_authority=council("Leicester"), onsite_start=DAY1
        )
        TeamMemberFactory(challenge=other, user=lga.peer, role="senior_manager", indicative_days=6)
    for hour in range(9, 17):
        save(lga, challenge, f"Derby {hour}", at(DAY1, hour), at(DAY1, hour, 30), peers=[lga.peer])
        save(lga, other, f"Leicester {hour}", at(DAY2, hour), at(DAY2, hour, 30), peers=[lga.peer])
    alliance_ids_of(lga.peer)  # the person's memberships, read once a request by the middleware
    with scope(alliance=lga.alliance), django_assert_max_num_queries(2):
        events = cspc_session_events(lga.peer)
    assert len(events) == 16


# Queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [6, 60])
def test_timetable_page_queries_do_not_grow(
    client, lga, challenge, teammate, count, django_assert_max_num_queries
):
    for n in range(count):
        day = DAY1 + datetime.timedelta(days=n % 4)
        start = at(day, 8) + datetime.timedelta(minutes=30 * (n // 4))
        save(
            lga,
            challenge,
            f"Session {n}",
            start,
            start + datetime.timedelta(minutes=30),
            room=f"Room {n % 3}",
            peers=[lga.peer, teammate],
            attendees="Heads of service",
        )
    client.force_login(lga.derby_organiser)
    with django_assert_max_num_queries(16):
        response = client.get(url("timetable", lga, challenge))
    assert response.status_code == 200
    assert sum(len(sessions) for _, _, sessions in response.context["days"]) == count
    assert response.content.decode().count("Pete Peer<br>Tess Teammate") == count
