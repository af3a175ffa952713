"""The common framework's rows on the alliance overview: each council with flags on its
latest figures, at "Flags to answer" until every one is answered, then "Flags answered",
read from the same obligations as the home page (obligations.flag_obligations), with nobody
looked up; and each open quarter of the local return, with how many councils have
submitted."""

import datetime

from django.urls import reverse

from peerchallenge.overview import ChallengeRow, challenge_row

from .obligations import KIND, flag_obligations
from .selectors_returns import open_returns_of

OFFER = "Data pack flags"
RETURNS = "Local returns"


def flag_rows(*, alliance, today: datetime.date) -> list[ChallengeRow]:
    found = [
        obligation
        for obligation in flag_obligations(alliances=[alliance.pk], today=today, people=False)
        if obligation.kind == KIND
    ]
    rows = []
    for obligation in sorted(found, key=lambda o: o.council.name):
        flagged, waiting = obligation.context["flagged"], obligation.context["to_answer"]
        answered = flagged - waiting
        rows.append(
            challenge_row(
                offer=OFFER,
                uid=f"benchmarking-flags-{obligation.council.pk}",
                name=f"{obligation.council.name} ({answered} of {flagged} answered)",
                stage="Flags answered" if obligation.done else "Flags to answer",
                position=2 if obligation.done else 1,
                url=obligation.url,
                dates=[],
                late=[],
                today=today,
            )
        )
    return rows


def return_rows(*, alliance, today: datetime.date) -> list[ChallengeRow]:
    """Each open quarter of the local return: how many councils have submitted, its
    deadline, and the councils late once it has passed (from the same cached read as the
    obligations)."""
    owing = open_returns_of([alliance.pk])[alliance.pk]
    rows = []
    for quarter in owing.quarters:
        submitted = owing.submitted.get(quarter.pk, set())
        missing = [council.name for council in owing.councils if council.pk not in submitted]
        late = (
            [f"returns not submitted: {', '.join(missing)}"]
            if missing and quarter.deadline < today
            else []
        )
        rows.append(
            challenge_row(
                offer=RETURNS,
                uid=f"benchmarking-quarter-{quarter.pk}",
                name=(
                    f"Local return {quarter.label} ({len(submitted)} of "
                    f"{len(owing.councils)} submitted)"
                ),
                stage="Returns due" if missing else "Ready to publish",
                position=1 if missing else 2,
                url=reverse(
                    "benchmarking:quarter",
                    kwargs={"alliance": alliance.slug, "quarter": quarter.pk},
                ),
                dates=[(quarter.deadline, "returns due")],
                late=late,
                today=today,
            )
        )
    return rows
