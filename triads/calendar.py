"""The triad offer's events for calendar feeds: each cycle's event day. Its deadlines (key
lines of enquiry, event-day templates, the summary report) are the obligations' and reach
the feeds of the people who act on them (peerchallenge.calendar.deadline_events)."""

from django.urls import reverse

from peerchallenge.calendar import CalendarEvent

from .selectors import cycles_for_calendar


def triad_events(user) -> list[CalendarEvent]:
    return [
        CalendarEvent(
            f"triads-{cycle.pk}-event",
            f"{cycle.name}: event day",
            cycle.event_date,
            cycle.venue or cycle.online_link,
            reverse(
                "triads:cycle_detail", kwargs={"alliance": cycle.alliance.slug, "cycle": cycle.pk}
            ),
        )
        for cycle in cycles_for_calendar(user=user)
    ]
