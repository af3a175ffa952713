"""The thematic offer's events for calendar feeds: the event itself (with its times); its
deadlines (nominations, next steps, the summary) are the obligations' and reach the feeds of
the people who act on them (peerchallenge.calendar.deadline_events). And the one-event
iCalendar file emailed to the nominees.

Both come from one builder (`event_calendar_event`): the feed and the emailed file carry the
same event, with one UID and the event's `calendar_sequence`, so a nominee with an account
who has both sees it once, and a change replaces it in either."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from peerchallenge.calendar import CalendarEvent, invitation_render

from .models import ThematicEvent
from .selectors import events_for_calendar


def event_calendar_event(event: ThematicEvent) -> CalendarEvent:
    """The event as a calendar event. Reads its alliance and theme (select them)."""
    path = reverse(
        "thematic:event_detail", kwargs={"alliance": event.alliance.slug, "event": event.pk}
    )
    zone = timezone.get_default_timezone()
    return CalendarEvent(
        f"thematic-event-{event.pk}",
        f"{event.theme.name} thematic peer challenge",
        event.date,
        (
            f"{event.alliance.name}'s thematic peer challenge on {event.theme.name} "
            f"({event.get_format_display().lower()}).\n"
            f"The event in Peer Challenge: {settings.SITE_URL}{path}"
        ),
        path,
        starts_at=datetime.datetime.combine(event.date, event.start_time, tzinfo=zone),
        ends_at=datetime.datetime.combine(event.date, event.end_time, tzinfo=zone),
        location=event.where,
        sequence=event.calendar_sequence,
    )


def thematic_events(user) -> list[CalendarEvent]:
    """The participating councils' organisers and DCSs, and nominees with an account."""
    return [event_calendar_event(event) for event in events_for_calendar(user=user)]


def event_ics(event: ThematicEvent, *, attendees: list[str]) -> str:
    """The event as an invitation's iCalendar file (METHOD:REQUEST) to `attendees`, for the
    nominees' own calendars (those without an account have no feed). Its SEQUENCE follows
    `calendar_sequence`, so a changed event's file replaces the earlier one."""
    return invitation_render(
        event=event_calendar_event(event),
        name=f"{event.theme.name} thematic peer challenge",
        attendees=attendees,
    )
