"""Private calendar feeds: a secret, revocable address with the person's events only."""

import datetime
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peerchallenge import calendar
from peerchallenge.calendar import CalendarEvent, calendar_render
from peerchallenge.models import CalendarFeed
from tests.factories import council
from tests.triads.factories import CycleFactory, make_triads


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
    assert "SUMMARY:March 2028: event day" in body
    assert "DTSTART;VALUE=DATE:20280316" in body
    # The deadline the programme manager acts on (triads.arrange), from the obligations.
    [deadline] = [e for e in vevents(body) if "UID:due-triads.arrange-triads.cycle-" in e[0]]
    assert deadline[1:4] == [
        "DTSTART;VALUE=DATE:20280217",
        "DTEND;VALUE=DATE:20280218",
        "SUMMARY:Put the councils of March 2028 into triads",
    ]
    assert "key lines of enquiry due" not in body  # the councils' deadline, not theirs
    assert "London 2028" not in body


def test_the_deadlines_are_those_of_the_people_who_act_on_them(client, world):
    cycle = CycleFactory(alliance=world.em, name="March 2028")
    make_triads(cycle, [[council("Derby"), council("Leicester"), council("Rutland")]])
    shared = "SUMMARY:Share Derby's key lines of enquiry for March 2028"
    organiser = client.get(new_feed_url(client, world.organiser)).content.decode()
    assert shared in organiser
    assert "DTSTART;VALUE=DATE:20280217" in organiser  # four weeks before the event
    assert "UID:due-triads.share_kloes-triads.triadmember-" in organiser
    planner = client.get(new_feed_url(client, world.pm)).content.decode()
    assert shared not in planner  # sees the cycle, does not act on Derby's part
    # Done (the councils are in triads), the planners' deadline stays in their diary.
    assert "SUMMARY:Put the councils of March 2028 into triads" in planner
    for person in (world.admin, world.tier2):  # follow the cycle, act on nothing
        body = client.get(new_feed_url(client, person)).content.decode()
        assert "SUMMARY:March 2028: event day" in body
        assert "UID:due-" not in body


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
    assert first.count("UID:due-") == 1
    assert body.count("UID:due-") == 6


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Early help, neglect; and more", "SUMMARY:Early help\\, neglect\\; and more"),
    ],
)
def test_ics_text_is_escaped_and_long_lines_folded(text, expected):
    body = calendar_render(
        events=[CalendarEvent("u1", text, datetime.date(2028, 1, 2), description="é" * 60)],
        name="N",
    )
    assert expected in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert "\r\n DESCRIPTION" not in body


def vevents(body: str) -> list[list[str]]:
    """Each VEVENT's lines, without the UID and the DTSTAMP (which is the time of the call)."""
    return [
        [line for line in chunk.split("\r\n") if line and not line.startswith("DTSTAMP")]
        for chunk in body.split("BEGIN:VEVENT\r\n")[1:]
    ]


def test_timed_events_are_written_in_utc_and_all_day_events_as_dates():
    london = zoneinfo.ZoneInfo("Europe/London")
    events = [
        CalendarEvent(
            "summer",
            "Interview",
            datetime.date(2027, 5, 11),
            starts_at=datetime.datetime(2027, 5, 11, 14, 0, tzinfo=london),  # BST, UTC+1
            ends_at=datetime.datetime(2027, 5, 11, 15, 30, tzinfo=london),
        ),
        CalendarEvent(
            "winter",
            "Overview",
            datetime.date(2027, 12, 1),
            starts_at=datetime.datetime(2027, 12, 1, 9, 0, tzinfo=london),  # GMT
            ends_at=datetime.datetime(2027, 12, 1, 9, 20, tzinfo=london),
        ),
        CalendarEvent("deadline", "Report due", datetime.date(2027, 12, 1)),
    ]
    assert vevents(calendar_render(events=events, name="N")) == [
        [
            "UID:summer@peerchallenge",
            "DTSTART:20270511T130000Z",
            "DTEND:20270511T143000Z",
            "SUMMARY:Interview",
            "END:VEVENT",
        ],
        [
            "UID:winter@peerchallenge",
            "DTSTART:20271201T090000Z",
            "DTEND:20271201T092000Z",
            "SUMMARY:Overview",
            "END:VEVENT",
        ],
        [
            "UID:deadline@peerchallenge",
            "DTSTART;VALUE=DATE:20271201",
            "DTEND;VALUE=DATE:20271202",
            "SUMMARY:Report due",
            "END:VEVENT",
            "END:VCALENDAR",
        ],
    ]


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
