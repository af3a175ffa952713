"""Private calendar feeds: a secret, revocable address with the person's events only."""

import dataclasses
import datetime
import re

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peerchallenge import calendar
from peerchallenge.calendar import CalendarEvent, calendar_render, event_uid, invitation_render
from peerchallenge.models import CalendarFeed
from tests import clock
from tests.factories import council
from tests.triads.factories import CycleFactory, make_triads


def ics_events(body: str) -> list[dict]:
    """The file's events parsed back with icalendar, each as {property: value}: text as
    str, DTSTART and DTEND as aware datetimes or dates. DTSTAMP, the time of the call, is
    left out."""
    return [
        {name: vevent.decoded(name) for name in vevent if name != "DTSTAMP"}
        for vevent in icalendar.Calendar.from_ical(body).events
    ]


def new_feed_url(client, user):
    client.force_login(user)
    client.post(reverse("calendar_settings"), {"create": "1"})
    page = client.get(reverse("calendar_settings")).content.decode()
    return (
        re.search(r'id="calendar-url"[^>]*>([^<]+)<', page)
        .group(1)
        .replace("http://testserver", "")
    )


def test_feed_lists_my_alliances_cycles_and_my_deadlines(client, world):
    CycleFactory(alliance=world.em, name="March 2028", event_date=datetime.date(2028, 3, 16))
    CycleFactory(alliance=world.london, name="London 2028")
    url = new_feed_url(client, world.pm)
    client.logout()  # calendar apps are not signed in
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    events = ics_events(body)
    [day] = [e for e in events if e["SUMMARY"] == "March 2028: event day"]
    assert (day["DTSTART"], day["DTEND"]) == (
        datetime.date(2028, 3, 16),
        datetime.date(2028, 3, 17),
    )
    # The deadline the programme manager acts on (triads.arrange), from the obligations.
    [deadline] = [e for e in events if e["UID"].startswith("due-triads.arrange-triads.cycle-")]
    assert deadline["UID"].endswith("@peerchallenge")
    assert (deadline["DTSTART"], deadline["DTEND"], deadline["SUMMARY"]) == (
        datetime.date(2028, 2, 17),
        datetime.date(2028, 2, 18),
        "Put the councils of March 2028 into triads",
    )
    assert "key lines of enquiry due" not in body  # the councils' deadline, not theirs
    assert "London 2028" not in body


def test_the_deadlines_are_those_of_the_people_who_act_on_them(client, world):
    cycle = CycleFactory(alliance=world.em, name="March 2028")
    make_triads(cycle, [[council("Derby"), council("Leicester"), council("Rutland")]])
    shared = "Share Derby's key lines of enquiry for March 2028"

    def events_of(person):
        return ics_events(client.get(new_feed_url(client, person)).content.decode())

    [organisers] = [e for e in events_of(world.organiser) if e["SUMMARY"] == shared]
    assert organisers["DTSTART"] == datetime.date(2028, 2, 17)  # four weeks before the event
    assert organisers["UID"].startswith("due-triads.share_kloes-triads.triadmember-")
    planners = [e["SUMMARY"] for e in events_of(world.pm)]
    assert shared not in planners  # sees the cycle, does not act on Derby's part
    # Done (the councils are in triads), the planners' deadline stays in their diary.
    assert "Put the councils of March 2028 into triads" in planners
    for person in (world.admin, world.tier2):  # follow the cycle, act on nothing
        events = events_of(person)
        assert "March 2028: event day" in [e["SUMMARY"] for e in events]
        assert [e for e in events if e["UID"].startswith("due-")] == []


def test_the_feed_queries_do_not_grow_with_deadlines(client, world, django_assert_num_queries):
    """The same number of queries with one cycle's deadline or six."""
    cycle = CycleFactory(alliance=world.em, name="Cycle 2028")
    make_triads(cycle, [[council("Derby"), council("Leicester"), council("Rutland")]])
    url = new_feed_url(client, world.organiser)
    client.logout()
    client.get(url)  # the content types, cached from then on as in a running site
    with CaptureQueriesContext(connection) as before:
        first = client.get(url).content.decode()
    for year in range(2029, 2034):
        more = CycleFactory(
            alliance=world.em, name=f"Cycle {year}", event_date=datetime.date(year, 3, 16)
        )
        make_triads(more, [[council("Derby"), council("Leicester"), council("Rutland")]])
    with django_assert_num_queries(len(before.captured_queries)):
        body = client.get(url).content.decode()
    assert [e["UID"].startswith("due-") for e in ics_events(first)].count(True) == 1
    assert [e["UID"].startswith("due-") for e in ics_events(body)].count(True) == 6


def test_council_people_see_only_their_councils_cycles(client, world):
    from tests.factories import council

    CycleFactory(alliance=world.em, name="Derby's cycle")
    CycleFactory(
        alliance=world.em,
        name="Without Derby",
        councils=[council("Rutland"), council("Leicester"), council("Lincolnshire")],
    )
    url = new_feed_url(client, world.organiser)  # Derby organiser
    body = client.get(url).content.decode()
    assert "Derby's cycle" in body
    assert "Without Derby" not in body


def test_address_is_shown_once_and_a_new_one_revokes_the_old(client, world):
    old = new_feed_url(client, world.pm)
    assert 'id="calendar-url"' not in client.get(reverse("calendar_settings")).content.decode()
    new = new_feed_url(client, world.pm)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    client.post(reverse("calendar_settings"), {"revoke": "1"})
    assert client.get(new).status_code == 404
    assert not CalendarFeed.objects.filter(user=world.pm).exists()


def test_feed_stops_when_the_person_is_deactivated(client, world):
    url = new_feed_url(client, world.pm)
    world.pm.is_active = False
    world.pm.save()
    assert client.get(url).status_code == 404


TEXT = "Café, Leeds; room 2\nsecond line"


def test_ics_text_round_trips_escaped_and_long_lines_fold_at_75_octets():
    day = clock.days(30)
    body = calendar_render(
        events=[CalendarEvent("u1", TEXT, day, description="é" * 60, location="x" * 100)],
        name=TEXT,
    )
    assert "SUMMARY:Café\\, Leeds\\; room 2\\nsecond line\r\n" in body
    lines = body.split("\r\n")
    assert body.endswith("\r\n") and lines[-1] == ""
    assert all(len(line.encode()) <= 75 for line in lines)
    [location] = [line for line in lines if line.startswith("LOCATION:")]
    assert 70 < len(location) <= 75  # folded at the limit, not before
    # é is two octets: a fold falls between characters, never inside one.
    assert any(line.startswith(" é") for line in lines)
    assert "X-WR-CALNAME:Café\\, Leeds\\; room 2\\nsecond line\r\n" in body
    [event] = ics_events(body)
    assert event == {
        "UID": "u1@peerchallenge",
        "SUMMARY": TEXT,
        "DESCRIPTION": "é" * 60,
        "LOCATION": "x" * 100,
        "DTSTART": day,
        "DTEND": day + datetime.timedelta(days=1),
    }


def next_15th(month: int) -> datetime.date:
    """The 15th of `month` within the year after the suite's today."""
    day = datetime.date(clock.TODAY.year, month, 15)
    return day if day > clock.TODAY else day.replace(year=day.year + 1)


def test_timed_events_are_in_london_time_with_its_zone_and_all_day_events_dates():
    summer, winter = next_15th(7), next_15th(1)
    events = [
        CalendarEvent(
            "summer",
            "Interview",
            summer,
            starts_at=datetime.datetime.combine(summer, datetime.time(13), tzinfo=datetime.UTC),
            ends_at=datetime.datetime.combine(summer, datetime.time(14, 30), tzinfo=clock.LONDON),
        ),
        CalendarEvent(
            "winter",
            "Overview",
            winter,
            starts_at=datetime.datetime.combine(winter, datetime.time(9), tzinfo=clock.LONDON),
            ends_at=datetime.datetime.combine(winter, datetime.time(9, 20), tzinfo=clock.LONDON),
        ),
        CalendarEvent("deadline", "Report due", winter),
    ]
    body = calendar_render(events=events, name="N")
    # 13:00 UTC in July is written as London's 14:00, summer time.
    assert f"DTSTART;TZID=Europe/London:{summer:%Y%m%d}T140000\r\n" in body
    assert f"DTSTART;VALUE=DATE:{winter:%Y%m%d}\r\n" in body
    calendar = icalendar.Calendar.from_ical(body)
    assert (calendar["VERSION"], calendar["PRODID"], calendar["METHOD"]) == (
        "2.0",
        "-//Peer Challenge//Calendar feed//EN",
        "PUBLISH",
    )
    assert [zone.tz_name for zone in calendar.timezones] == ["Europe/London"]
    assert calendar.get_missing_tzids() == set()
    # The zone's own rules, as a calendar app would read them: BST in summer, GMT in winter.
    london = calendar.timezones[0].to_tz(lookup_tzid=False)
    assert [
        datetime.datetime.combine(day, datetime.time(12), tzinfo=london).utcoffset()
        for day in (summer, winter)
    ] == [datetime.timedelta(hours=1), datetime.timedelta(0)]
    first, second, deadline = ics_events(body)
    assert (first["DTSTART"].isoformat(), first["DTEND"].isoformat()) == (
        f"{summer}T14:00:00+01:00",
        f"{summer}T14:30:00+01:00",
    )
    assert (second["DTSTART"].isoformat(), second["DTEND"].isoformat()) == (
        f"{winter}T09:00:00+00:00",
        f"{winter}T09:20:00+00:00",
    )
    assert (deadline["DTSTART"], deadline["DTEND"]) == (winter, winter + datetime.timedelta(1))
    assert [e["UID"] for e in (first, second, deadline)] == [
        "summer@peerchallenge",
        "winter@peerchallenge",
        "deadline@peerchallenge",
    ]


def test_a_revised_or_cancelled_event_carries_its_sequence_and_status():
    day = clock.days(10)
    kept = CalendarEvent("kept", "Kept", day)
    moved = CalendarEvent("moved", "Moved", day, sequence=2)
    dropped = CalendarEvent("dropped", "Dropped", day, sequence=3, cancelled=True)
    body = calendar_render(events=[kept, moved, dropped], name="N")
    assert [(e.get("SEQUENCE"), e.get("STATUS")) for e in ics_events(body)] == [
        (None, None),
        (2, None),
        (3, "CANCELLED"),
    ]


def test_an_invitation_is_a_request_and_a_cancelled_event_a_cancellation(settings):
    settings.DEFAULT_FROM_EMAIL = "Peer Challenge <noreply@example.org>"
    start = clock.at(20, 9, 30)
    event = CalendarEvent(
        "meeting-1", "Meeting", start.date(), starts_at=start, ends_at=clock.at(20, 11), sequence=1
    )
    body = invitation_render(event=event, name="Meeting", attendees=["nia@example.org"])
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["METHOD"] == "REQUEST"
    [vevent] = calendar.events
    assert vevent["ORGANIZER"] == "mailto:noreply@example.org"
    assert vevent["ORGANIZER"].params["CN"] == "Peer Challenge"
    assert vevent["ATTENDEE"] == "mailto:nia@example.org"
    assert dict(vevent["ATTENDEE"].params) == {
        "ROLE": "REQ-PARTICIPANT",
        "PARTSTAT": "NEEDS-ACTION",
        "RSVP": "FALSE",
    }
    assert (vevent["UID"], vevent["SEQUENCE"], vevent.get("STATUS")) == (
        event_uid("meeting-1"),
        1,
        None,
    )
    assert [zone.tz_name for zone in calendar.timezones] == ["Europe/London"]
    cancelled = dataclasses.replace(event, sequence=2, cancelled=True)
    body = invitation_render(event=cancelled, name="Meeting", attendees=["nia@example.org"])
    calendar = icalendar.Calendar.from_ical(body)
    [vevent] = calendar.events
    assert (calendar["METHOD"], vevent["UID"], vevent["SEQUENCE"], vevent["STATUS"]) == (
        "CANCEL",
        "meeting-1@peerchallenge",
        2,
        "CANCELLED",
    )


def test_a_day_lists_its_all_day_events_first_then_timed_ones_by_start(monkeypatch):
    day = datetime.date(2027, 5, 11)

    def at(hour):
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)

    events = [
        CalendarEvent("b", "A later", day, starts_at=at(15), ends_at=at(16)),
        CalendarEvent("a", "Z earlier", day, starts_at=at(9), ends_at=at(10)),
        CalendarEvent("c", "Deadline", day),
        CalendarEvent("d", "The day before", day - datetime.timedelta(days=1)),
    ]
    monkeypatch.setattr(calendar, "PROVIDERS", [lambda user: events])
    monkeypatch.setattr(calendar, "booked_events", lambda **kwargs: [])  # no sessions here
    assert [event.uid for event in calendar.events_for(user=None)] == ["d", "c", "a", "b"]


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "message"),
    [
        (datetime.datetime(2027, 5, 11, 9, tzinfo=datetime.UTC), None, "both a start and an end"),
        (datetime.datetime(2027, 5, 11, 9), datetime.datetime(2027, 5, 11, 10), "timezone-aware"),
        (
            datetime.datetime(2027, 5, 11, 9, tzinfo=datetime.UTC),
            datetime.datetime(2027, 5, 11, 9, tzinfo=datetime.UTC),
            "end must be after the start",
        ),
    ],
)
def test_a_timed_event_needs_an_aware_start_before_its_end(starts_at, ends_at, message):
    with pytest.raises(ValueError, match=message):
        CalendarEvent("u", "T", datetime.date(2027, 5, 11), starts_at=starts_at, ends_at=ends_at)
