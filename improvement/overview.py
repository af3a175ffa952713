"""The improvement cycle on the alliance overview: the open cycle, how many councils have
submitted their self-evaluations, and those late once the deadline has passed (read from
the same selector as the obligations)."""

import datetime

from django.urls import reverse

from peerchallenge.overview import ChallengeRow, challenge_row

from .selectors import open_cycles_of

OFFER = "Improvement cycle"


def cycle_rows(*, alliance, today: datetime.date) -> list[ChallengeRow]:
    entry = open_cycles_of([alliance.pk], today=today).get(alliance.pk)
    if entry is None:
        return []
    cycle = entry.cycle
    submitted = {council_id for council_id, state in entry.states.items() if state == "submitted"}
    missing = [council.name for council in entry.councils if council.pk not in submitted]
    late = (
        [f"self-evaluations not submitted: {', '.join(missing)}"]
        if missing and cycle.self_evaluation_due < today
        else []
    )
    return [
        challenge_row(
            offer=OFFER,
            uid=f"improvement-cycle-{cycle.pk}",
            name=(
                f"Improvement cycle {cycle.label} ({len(submitted)} of {len(entry.councils)} "
                "self-evaluations submitted)"
            ),
            stage="Self-evaluations due" if missing else "Self-evaluations in",
            position=1 if missing else 2,
            url=reverse(
                "improvement:board",
                kwargs={"alliance": alliance.slug, "improvement_cycle": cycle.pk},
            ),
            dates=[(cycle.self_evaluation_due, "self-evaluations due")],
            late=late,
            today=today,
        )
    ]
