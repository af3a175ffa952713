"""The triad offer's events and deadlines for calendar feeds."""

from django.urls import reverse

from peerchallenge.calendar import CalendarEvent

from .selectors import cycles_for_calendar


def triad_events(user) -> list[CalendarEvent]:
    events = []
    for cycle in cycles_for_calendar(user=user):
        path = reverse(
            "triads:cycle_detail", kwargs={"alliance": cycle.alliance.slug, "cycle": cycle.pk}
        )
        where = cycle.venue or cycle.online_link
        events += [
            CalendarEvent(
                f"triads-{cycle.pk}-event",
                f"{cycle.name}: event day",
                cycle.event_date,
                where,
                path,
            ),
            CalendarEvent(
                f"triads-{cycle.pk}-kloes",
                f"{cycle.name}: key lines of enquiry due",
                cycle.kloes_due,
                "",
                path,
            ),
            CalendarEvent(
                f"triads-{cycle.pk}-templates",
                f"{cycle.name}: event-day templates due",
                cycle.templates_due,
                "",
                path,
            ),
            CalendarEvent(
                f"triads-{cycle.pk}-report",
                f"{cycle.name}: summary report due",
                cycle.report_due,
                "",
                path,
            ),
        ]
    return events
