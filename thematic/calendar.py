"""The thematic offer's events for calendar feeds: the event itself (with its times), and
the next-steps deadline (all day) for the councils' people. And the one-event iCalendar
file e-mailed to the nominees."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

# The core's RFC 5545 text escaping and line folding, shared rather than copied.
from peerchallenge.calendar import CalendarEvent, _escape, _fold

from .selectors import events_for_calendar


def thematic_events(user) -> list[CalendarEvent]:
    """The participating councils' organisers and DCSs, and nominees with an account."""
    events = []
    for event in events_for_calendar(user=user):
        path = reverse(
            "thematic:event_detail", kwargs={"alliance": event.alliance.slug, "event": event.pk}
        )
        zone = timezone.get_default_timezone()
        events += [
            CalendarEvent(
                f"thematic-{event.pk}-event",
                f"{event.theme.name} thematic peer challenge",
                event.date,
                f"{event.get_format_display()}: {event.where}",
                path,
                starts_at=datetime.datetime.combine(event.date, event.start_time, tzinfo=zone),
                ends_at=datetime.datetime.combine(event.date, event.end_time, tzinfo=zone),
            ),
            CalendarEvent(
                f"thematic-{event.pk}-next-steps",
                f"{event.theme.name} thematic challenge: next steps due",
                event.next_steps_due,
                "",
                path,
            ),
        ]
    return events


def _utc(day: datetime.date, time: datetime.time) -> str:
    """An event's wall-clock time (the site's zone, Europe/London) as a UTC date-time, so
    the file needs no VTIMEZONE and summer time is taken care of."""
    local = datetime.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())
    return local.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_ics(event) -> str:
    """The event as an iCalendar file with one timed VEVENT, for the nominees' own calendars
    (those without an account have no feed). The UID is stable and the SEQUENCE follows
    `calendar_sequence`, so a changed event's file replaces the earlier one."""
    path = reverse(
        "thematic:event_detail", kwargs={"alliance": event.alliance.slug, "event": event.pk}
    )
    link = f"{settings.SITE_URL}{path}"
    description = (
        f"{event.alliance.name}'s thematic peer challenge on {event.theme.name} "
        f"({event.get_format_display().lower()}).\nThe event in Peer Challenge: {link}"
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Peer Challenge//Thematic peer challenge//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:thematic-event-{event.pk}@peerchallenge",
        f"SEQUENCE:{event.calendar_sequence}",
        f"DTSTAMP:{timezone.now().astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART:{_utc(event.date, event.start_time)}",
        f"DTEND:{_utc(event.date, event.end_time)}",
        f"SUMMARY:{_escape(f'{event.theme.name} thematic peer challenge')}",
        f"LOCATION:{_escape(event.where)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{link}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
