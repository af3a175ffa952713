"""The triad offer's rows on the alliance overview: each live cycle (obligations.live_cycles)
whose summary report is not issued yet, at its stage, with what is late (its overdue
obligations, in the words of obligations.LATE). The offer's obligations' queries and no
more, whatever the number of cycles."""

import datetime

from django.urls import reverse

from peerchallenge.overview import ChallengeRow, challenge_key, challenge_row, late_by_challenge

from .obligations import LATE, obligations

OFFER = "Triad peer challenge"


def triad_rows(*, alliance, today: datetime.date) -> list[ChallengeRow]:
    due = obligations(alliances=[alliance.pk], today=today, people=False)
    # Every live cycle has one planners' obligation: to put its councils into triads before
    # its event, to issue its summary report after it. So the cycles come with them, with no
    # query of their own (the page's query budget is tight).
    planners = [o for o in due if o.kind in ("triads.arrange", "triads.summary")]
    cycles = sorted(
        (o.subject for o in planners if not (o.kind == "triads.summary" and o.done)),
        key=lambda cycle: (cycle.event_date, cycle.name),
    )
    # Before the event a cycle is being planned until its councils are in triads.
    arranged = {o.subject.pk for o in planners if o.kind == "triads.arrange" and o.done}
    late = late_by_challenge(obligations=due, sentences=LATE, today=today)
    return [
        _row(cycle, today, cycle.pk in arranged, late.get(challenge_key(cycle), []))
        for cycle in cycles
    ]


def _row(cycle, today, has_triads: bool, late: list[str]) -> ChallengeRow:
    """The cycle's stage from its dates and what is done."""
    dates = [
        (cycle.kloes_due, "key lines of enquiry due"),
        (cycle.event_date, "event day"),
        (cycle.templates_due, "event-day templates due"),
        (cycle.report_due, "summary report due"),
    ]
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
