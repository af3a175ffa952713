"""The triad offer's rows on the alliance overview: each cycle whose summary report is not
issued yet, at its stage, with what is late. Five queries, whatever the number of cycles.

A cycle whose event is more than HISTORY_AFTER ago is history, not work in progress: an
alliance records its earlier cycles (so the grouping avoids their pairings) without running
them in the app, and a two-year-old cycle listed as overdue for ever would bury what is
really late."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.urls import reverse

from peerchallenge.dates import day_text
from peerchallenge.models import KeyLineOfEnquiry
from peerchallenge.overview import ChallengeRow, challenge_row

from .models import Cycle, EventTemplate, TriadMember
from .selectors import issued_summaries

OFFER = "Triad peer challenge"
HISTORY_AFTER = datetime.timedelta(days=365)


def triad_rows(*, alliance, today: datetime.date) -> list[ChallengeRow]:
    cycle_type = ContentType.objects.get_for_model(Cycle)
    issued = issued_summaries(alliances=[alliance.pk])
    cycles = list(
        Cycle.objects.filter(alliance=alliance, event_date__gte=today - HISTORY_AFTER)
        .exclude(pk__in=issued)
        .annotate(participants=Count("councils"))
        .select_related("alliance")
        .order_by("event_date", "name")
    )
    if not cycles:
        return []
    ids = [cycle.pk for cycle in cycles]
    with_triads = set(
        TriadMember.objects.filter(cycle__in=ids).values_list("cycle_id", flat=True).distinct()
    )
    shared = dict(
        KeyLineOfEnquiry.objects.filter(
            challenge_type=cycle_type, challenge_id__in=ids, shared_at__isnull=False
        )
        .order_by()
        .values_list("challenge_id")
        .annotate(councils=Count("local_authority", distinct=True))
    )
    completed = dict(
        EventTemplate.objects.filter(cycle__in=ids, completed_at__isnull=False)
        .order_by()
        .values_list("cycle_id")
        .annotate(councils=Count("local_authority", distinct=True))
    )
    return [
        _row(
            cycle,
            today,
            cycle.pk in with_triads,
            shared.get(cycle.pk, 0),
            completed.get(cycle.pk, 0),
        )
        for cycle in cycles
    ]


def _row(cycle, today, has_triads: bool, shared: int, completed: int) -> ChallengeRow:
    """The cycle's stage from its dates and what is done; the first thing late, if any."""
    dates = [
        (cycle.kloes_due, "key lines of enquiry due"),
        (cycle.event_date, "event day"),
        (cycle.templates_due, "event-day templates due"),
        (cycle.report_due, "summary report due"),
    ]
    late = []
    if not has_triads and today > cycle.kloes_due:
        late.append(f"the councils were to be in triads before {day_text(cycle.kloes_due)}")
    missing_kloes = cycle.participants - shared
    if today > cycle.kloes_due and today <= cycle.event_date and missing_kloes > 0:
        late.append(
            f"{missing_kloes} of {cycle.participants} councils have not shared key lines of "
            f"enquiry, due {day_text(cycle.kloes_due)}"
        )
    missing_templates = cycle.participants - completed
    if today > cycle.templates_due and missing_templates > 0:
        late.append(
            f"{missing_templates} of {cycle.participants} event-day templates not completed, "
            f"due {day_text(cycle.templates_due)}"
        )
    if today > cycle.report_due:
        late.append(f"the summary report was due on {day_text(cycle.report_due)}")
    if not has_triads and today <= cycle.event_date:
        stage, position = "Planning", 1
    elif today <= cycle.kloes_due:
        stage, position = "Key lines of enquiry", 2
    elif today <= cycle.event_date:
        stage, position = "Preparing for the event", 3
    elif today <= cycle.templates_due:
        stage, position = "Event-day templates", 4
    else:
        stage, position = "Summary report", 5
    return challenge_row(
        offer=OFFER,
        uid=f"triads-{cycle.pk}",
        name=cycle.name,
        stage=stage,
        position=position,
        url=reverse(
            "triads:cycle_detail", kwargs={"alliance": cycle.alliance.slug, "cycle": cycle.pk}
        ),
        dates=dates,
        late=late,
        today=today,
    )
