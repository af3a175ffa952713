"""The thematic offer's events for calendar feeds: the event itself (with its times); its
deadlines (nominations, next steps, the summary) are the obligations' and reach the feeds of
the people who act on them (peerchallenge.calendar.deadline_events). And the one-event
iCalendar file e-mailed to the nominees."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from peerchallenge.calendar import CalendarEvent, calendar_render

from .selectors import events_for_calendar


def thematic_events(user) -> list[CalendarEvent]:
    """The participating councils' organisers and DCSs, and nominees with an account."""
    zone = timezone.get_default_timezone()
    return [
        CalendarEvent(
            f"thematic-{event.pk}-event",
            f"{event.theme.name} thematic peer challenge",
            event.date,
            f"{event.get_format_display()}: {event.where}",
            reverse(
                "thematic:event_detail",
                kwargs={"alliance": event.alliance.slug, "event": event.pk},
            ),
            starts_at=datetime.datetime.combine(event.date, event.start_time, tzinfo=zone),
            ends_at=datetime.datetime.combine(event.date, event.end_time, tzinfo=zone),
        )
        for event in events_for_calendar(user=user)
    ]


def event_ics(event) -> str:
    """The event as an iCalendar file with one timed event, for the nominees' own calendars
    (those without an account have no feed). The UID is stable and the SEQUENCE follows
    `calendar_sequence`, so a changed event's file replaces the earlier one."""
    path = reverse(
        "thematic:event_detail", kwargs={"alliance": event.alliance.slug, "event": event.pk}
    )
    zone = timezone.get_default_timezone()
    description = (
        f"{event.alliance.name}'s thematic peer challenge on {event.theme.name} "
        f"({event.get_format_display().lower()}).\n"
        f"The event in Peer Challenge: {settings.SITE_URL}{path}"
    )
    return calendar_render(
        events=[
            CalendarEvent(
                f"thematic-event-{event.pk}",
                f"{event.theme.name} thematic peer challenge",
                event.date,
                description,
                path,
                starts_at=datetime.datetime.combine(event.date, event.start_time, tzinfo=zone),
                ends_at=datetime.datetime.combine(event.date, event.end_time, tzinfo=zone),
                location=event.where,
                sequence=event.calendar_sequence,
            )
        ],
        name=f"{event.theme.name} thematic peer challenge",
    )
