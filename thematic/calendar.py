"""The thematic offer's events for calendar feeds: the event day (times in the title, as
calendar events are whole days), and the next-steps deadline for the councils' people."""

from django.urls import reverse

from peerchallenge.calendar import CalendarEvent

from .selectors import events_for_calendar


def thematic_events(user) -> list[CalendarEvent]:
    """The participating councils' organisers and DCSs, and nominees with an account."""
    events = []
    for event in events_for_calendar(user=user):
        path = reverse(
            "thematic:event_detail", kwargs={"alliance": event.alliance.slug, "event": event.pk}
        )
        times = f"{event.start_time:%H:%M}-{event.end_time:%H:%M}"
        events += [
            CalendarEvent(
                f"thematic-{event.pk}-event",
                f"{times} {event.theme.name} thematic peer challenge",
                event.date,
                f"{event.get_format_display()}: {event.where}",
                path,
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
