"""The thematic offer's reminders: councils that have not nominated officers before the
deadline, and councils whose next steps are due or late after the event. Registered from
ThematicConfig.ready()."""

import datetime

from django.db.models import Q
from django.urls import reverse

from peerchallenge.models import Alliance
from peerchallenge.reminders import Due, council_people, register_kind, register_source

from .models import NextSteps, Nomination, ThematicEvent


def _when(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def thematic_dues(alliance, today: datetime.date, days_by_kind: dict) -> list[Due]:
    """Participating councils without a nomination, or without next steps, for events whose
    deadline is in the reminder window (or past, for the late kind). Five queries at most."""
    windows = Q(pk__in=[])
    if "thematic_nominations_due" in days_by_kind:
        last = today + datetime.timedelta(days=days_by_kind["thematic_nominations_due"])
        windows |= Q(nominations_due__gte=today, nominations_due__lte=last, date__gte=today)
    if "thematic_next_steps_due" in days_by_kind:
        last = today + datetime.timedelta(days=days_by_kind["thematic_next_steps_due"])
        windows |= Q(next_steps_due__gte=today, next_steps_due__lte=last, date__lt=today)
    if "thematic_next_steps_late" in days_by_kind:
        first = today - datetime.timedelta(days=days_by_kind["thematic_next_steps_late"])
        windows |= Q(next_steps_due__lte=first, summary__issued_at__isnull=True)
    events = list(
        ThematicEvent.objects.filter(alliance=alliance)
        .filter(windows)
        .select_related("theme")
        .prefetch_related("councils")
    )
    if not events:
        return []
    nominated = set(
        Nomination.objects.filter(event__in=events).values_list("event_id", "council_id")
    )
    submitted = set(
        NextSteps.objects.filter(event__in=events).values_list("event_id", "council_id")
    )
    councils = {c.pk for event in events for c in event.councils.all()}
    people = council_people(alliance=alliance, council_ids=councils)
    dues = []
    for event in events:
        where = f"the {event.theme.name} thematic challenge on {_when(event.date)}"
        for council in event.councils.all():
            key = (event.pk, council.pk)
            recipients = people.get(council.pk, [])
            kwargs = {"alliance": alliance.slug, "event": event.pk, "gss": council.gss_code}
            if (
                "thematic_nominations_due" in days_by_kind
                and event.date >= today
                and key not in nominated
            ):
                dues.append(
                    Due(
                        kind="thematic_nominations_due",
                        subject=event,
                        recipients=recipients,
                        due_date=event.nominations_due,
                        summary=f"Nominate {council}'s officers for {where} by "
                        f"{_when(event.nominations_due)}",
                        path=reverse("thematic:nominations", kwargs=kwargs),
                        context={"todo": "Nominate the officers best suited to the theme."},
                    )
                )
            if event.date < today and key not in submitted:
                late = event.next_steps_due < today
                kind = "thematic_next_steps_late" if late else "thematic_next_steps_due"
                if kind not in days_by_kind:
                    continue
                verb = "were due on" if late else "are due by"
                dues.append(
                    Due(
                        kind=kind,
                        subject=event,
                        recipients=recipients,
                        due_date=event.next_steps_due,
                        summary=f"{council}'s next steps from {where} {verb} "
                        f"{_when(event.next_steps_due)}",
                        path=reverse("thematic:next_steps", kwargs=kwargs),
                        context={
                            "todo": "Submit your council's next steps template: what it will "
                            "do, who owns it and by when."
                        },
                    )
                )
    return dues


def register() -> None:
    regional = (Alliance.Kind.REGIONAL,)  # the national alliance runs no thematic challenges
    register_kind(
        "thematic_nominations_due",
        label="Thematic challenge: officers to nominate",
        default_days=7,
        alliance_kinds=regional,
        description="Reminds the organisers and DCS of each participating council that has "
        "not nominated officers before the nominations deadline.",
    )
    register_kind(
        "thematic_next_steps_due",
        label="Thematic challenge: next steps due",
        default_days=3,
        alliance_kinds=regional,
        description="Reminds the organisers and DCS of each participating council that has "
        "not submitted its next steps before the deadline after the event.",
    )
    register_kind(
        "thematic_next_steps_late",
        label="Thematic challenge: next steps late",
        default_days=1,
        description="Tells the organisers and DCS once when their council's next steps are "
        "late (they are still accepted, marked late).",
        after_due=True,
        alliance_kinds=regional,
    )
    register_source(thematic_dues)
