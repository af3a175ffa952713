"""A nominee's invitation: the event as a calendar file they can add (most nominees have no
account, so no feed), an updated file when the arrangements change, and the key lines of
enquiry when they were published before the nominee was added."""

import datetime
from email.utils import parseaddr

import icalendar
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from peerchallenge.calendar import event_uid
from tests.factories import council
from tests.peerchallenge.test_calendar import ics_events, new_feed_url
from tests.thematic.factories import event, nomination
from thematic.services.events import event_change, event_kloe_add, event_kloes_publish
from thematic.services.nominations import nomination_add


@pytest.fixture
def em(world):
    with scope(alliance=world.em):
        yield world


def next_day_of(month: int) -> datetime.date:
    """The 15th of `month` a year or less from now: summer (BST) or winter (GMT)."""
    today = timezone.localdate()
    day = datetime.date(today.year, month, 15)
    return day if day > today else day.replace(year=today.year + 1)


def move(upcoming, day: datetime.date) -> None:
    upcoming.date = day
    upcoming.nominations_due = timezone.localdate()
    upcoming.next_steps_due = day + datetime.timedelta(weeks=2)
    upcoming.save()


def nominate(upcoming, email="nia@example.org", council_name="Derby", by=None):
    return nomination_add(
        event=upcoming,
        council=council(council_name),
        full_name="Nia Officer",
        job_role="Head of service",
        email=email,
        nominated_by=by,
    )


def calendar_of(message) -> tuple[str, str, dict]:
    """The message's one attachment: (filename, mimetype, {property: value}) of its one
    event parsed back (`ics_events`), with the calendar's METHOD; asserts it is an
    invitation to the message's recipient in London time."""
    assert len(message.attachments) == 1
    filename, content, mimetype = message.attachments[0]
    calendar = icalendar.Calendar.from_ical(content)
    assert (calendar["VERSION"], calendar["PRODID"]) == (
        "2.0",
        "-//Peer Challenge//Calendar feed//EN",
    )
    assert [zone.tz_name for zone in calendar.timezones] == ["Europe/London"]
    [event] = ics_events(content)
    assert event.pop("ORGANIZER") == f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}"
    assert event.pop("ATTENDEE") == f"mailto:{message.to[0]}"
    assert event["DTSTART"].tzinfo.key == "Europe/London"
    return filename, mimetype, {"METHOD": calendar["METHOD"], **event}


def london(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
    )


def test_invitation_carries_the_event_in_london_summer_time(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em, venue="Leicester City Hall, Committee Room 2")
    move(upcoming, next_day_of(7))
    with django_capture_on_commit_callbacks(execute=True):
        nominate(upcoming)
    [message] = mailoutbox
    filename, mimetype, ics = calendar_of(message)
    assert (filename, mimetype) == ("event.ics", "text/calendar; method=REQUEST")
    day = upcoming.date
    path = reverse(
        "thematic:event_detail", kwargs={"alliance": "east-midlands", "event": upcoming.pk}
    )
    # The UID of the files already sent: a calendar that took one replaces it.
    assert ics == {
        "METHOD": "REQUEST",
        "UID": f"thematic-event-{upcoming.pk}@peerchallenge",
        "SEQUENCE": 0,
        "DTSTART": london(day, 9, 30),
        "DTEND": london(day, 13),
        "SUMMARY": "Reduction of Harm thematic peer challenge",
        "LOCATION": "Leicester City Hall, Committee Room 2",
        "DESCRIPTION": (
            "East Midlands RIIA's thematic peer challenge on Reduction of Harm (in person).\n"
            f"The event in Peer Challenge: {settings.SITE_URL}{path}"
        ),
        "URL": f"{settings.SITE_URL}{path}",
    }
    # July: British Summer Time.
    assert ics["DTSTART"].utcoffset() == datetime.timedelta(hours=1)
    raw = message.message().as_string()
    assert 'Content-Type: text/calendar; method="REQUEST"; charset="utf-8"' in raw
    assert 'Content-Disposition: attachment; filename="event.ics"' in raw
    assert "The event is attached as a calendar entry (event.ics)" in message.body
    assert "The event is attached as a calendar entry (event.ics)" in message.alternatives[0][0]


def test_a_winter_online_event_is_at_its_link_without_an_hour_shift(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em, format="online", venue="", online_link="https://meet.example.org/harm")
    move(upcoming, next_day_of(1))
    with django_capture_on_commit_callbacks(execute=True):
        nominate(upcoming)
    _, _, ics = calendar_of(mailoutbox[0])
    assert (ics["DTSTART"], ics["DTEND"]) == (
        london(upcoming.date, 9, 30),
        london(upcoming.date, 13),
    )
    assert ics["DTSTART"].utcoffset() == datetime.timedelta(0)  # January: GMT
    assert ics["LOCATION"] == "https://meet.example.org/harm"


def test_invitation_before_the_kloes_are_published_promises_them(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em)
    event_kloe_add(event=upcoming, question="Draft question nobody may read yet")
    with django_capture_on_commit_callbacks(execute=True):
        nominate(upcoming)
    message = mailoutbox[0]
    assert "The key lines of enquiry will be shared with you before the event." in message.body
    assert "Draft question" not in message.body
    assert "Draft question" not in message.alternatives[0][0]


def test_a_nominee_added_after_the_kloes_were_published_gets_them(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em)
    event_kloe_add(event=upcoming, question="How do partners share risk?")
    event_kloe_add(event=upcoming, question="Who leads on harm outside the home?")
    with django_capture_on_commit_callbacks(execute=True):
        event_kloes_publish(event=upcoming)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        nominate(upcoming, email="late@example.org")
    [message] = mailoutbox
    assert message.to == ["late@example.org"]
    assert "will be shared with you before the event" not in message.body
    assert (
        "The key lines of enquiry for the event are:\n\n"
        "1. How do partners share risk?\n"
        "2. Who leads on harm outside the home?\n"
    ) in message.body
    html = message.alternatives[0][0]
    assert (
        "<ol><li>How do partners share risk?</li><li>Who leads on harm outside the home?</li></ol>"
        in html
    )


def test_kloes_are_not_published_once_the_event_has_taken_place(em, mailoutbox):
    held = event(em.em, days_from_today=-1)
    event_kloe_add(event=held, question="Too late")
    with pytest.raises(
        ValidationError, match="The event has taken place: its key lines of"
    ) as error:
        event_kloes_publish(event=held)
    assert error.value.messages == [
        "The event has taken place: its key lines of enquiry can no longer be published."
    ]
    held.refresh_from_db()
    assert held.kloes_published_at is None
    assert mailoutbox == []


def test_publishing_after_the_event_shows_the_refusal(client, world, mailoutbox):
    held = event(world.em, days_from_today=-1)
    with scope(alliance=world.em):
        event_kloe_add(event=held, question="Too late")
    client.force_login(world.pm)
    kloes = reverse("thematic:event_kloes", kwargs={"alliance": "east-midlands", "event": held.pk})
    response = client.post(kloes, {"publish": "1"})
    assert response.status_code == 200
    assert (
        "The event has taken place: its key lines of enquiry can no longer be published."
        in response.content.decode()
    )
    assert mailoutbox == []


def change(upcoming, **overrides):
    values = {
        "date": upcoming.date,
        "start_time": upcoming.start_time,
        "end_time": upcoming.end_time,
        "format": upcoming.format,
        "venue": upcoming.venue,
        "online_link": upcoming.online_link,
        "councils": list(upcoming.councils.order_by("name")),
        "tier2_group": upcoming.tier2_group,
        "nominations_due": upcoming.nominations_due,
        "next_steps_due": upcoming.next_steps_due,
    }
    return event_change(event=upcoming, **{**values, **overrides})


def test_a_change_sends_the_nominees_the_updated_entry_with_a_higher_sequence(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em)
    move(upcoming, next_day_of(1))  # GMT: UTC times are the wall-clock ones
    with django_capture_on_commit_callbacks(execute=True):
        nominate(upcoming, email="lee@example.org", council_name="Leicester")
    _, _, invited = calendar_of(mailoutbox[0])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change(upcoming, venue="Derby Council House", start_time=datetime.time(10, 0))
    by_address = {m.to[0]: m for m in mailoutbox}
    assert sorted(by_address) == ["dee@example.org", "lee@example.org", "oscar@example.org"]
    # Derby's organiser and DCS follow the change in their feed: no file for them.
    assert by_address["oscar@example.org"].attachments == []
    assert "attached" not in by_address["oscar@example.org"].body
    nominee = by_address["lee@example.org"]
    assert "The updated calendar entry is attached (event.ics)" in nominee.body
    _, _, updated = calendar_of(nominee)
    assert updated["UID"] == invited["UID"]
    assert (invited["SEQUENCE"], updated["SEQUENCE"]) == (0, 1)
    assert updated["DTSTART"] == london(upcoming.date, 10)
    assert updated["LOCATION"] == "Derby Council House"
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change(upcoming, end_time=datetime.time(14, 0))
    _, _, again = calendar_of({m.to[0]: m for m in mailoutbox}["lee@example.org"])
    assert (again["SEQUENCE"], again["DTEND"]) == (2, london(upcoming.date, 14))


def test_a_change_of_deadlines_only_keeps_the_sequence(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em)
    nomination(upcoming, "Leicester", email="lee@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        change(upcoming, next_steps_due=upcoming.next_steps_due + datetime.timedelta(days=3))
    upcoming.refresh_from_db()
    assert upcoming.calendar_sequence == 0
    assert mailoutbox == []


def test_the_feed_and_the_invitation_carry_one_event(
    client, em, mailoutbox, django_capture_on_commit_callbacks
):
    """A nominee with an account has the event twice, in their feed and from the email: the
    same UID and SEQUENCE and the same details, so their calendar holds one event; a change
    raises the SEQUENCE of both and keeps the UID."""
    upcoming = event(em.em, venue="Café, Leeds; room 2")
    feed = new_feed_url(client, em.tier2)
    client.logout()

    def both():
        [message] = [m for m in mailoutbox if m.to == [em.tier2.email]]
        mailoutbox.clear()
        _, _, invited = calendar_of(message)
        del invited["METHOD"]
        [in_feed] = [
            e
            for e in ics_events(client.get(feed).content.decode())
            if e["UID"].startswith("thematic-")
        ]
        return in_feed, invited

    with django_capture_on_commit_callbacks(execute=True):
        nominate(upcoming, email=em.tier2.email)
    in_feed, invited = both()
    assert in_feed == invited
    assert (invited["UID"], invited["SEQUENCE"]) == (event_uid(f"thematic-event-{upcoming.pk}"), 0)
    assert invited["LOCATION"] == "Café, Leeds; room 2"
    with django_capture_on_commit_callbacks(execute=True):
        change(upcoming, start_time=datetime.time(10, 0))
    moved_in_feed, moved = both()
    assert moved_in_feed == moved
    assert (moved["UID"], moved["SEQUENCE"]) == (invited["UID"], 1)
    assert moved["DTSTART"] == london(upcoming.date, 10)
