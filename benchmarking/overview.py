"""The common framework's rows on the alliance overview: each council with flags on its
latest figures, at "Flags to answer" until every one is answered, then "Flags answered",
read from the same obligations as the home page (obligations.flag_obligations), with nobody
looked up."""

import datetime

from peerchallenge.overview import ChallengeRow, challenge_row

from .obligations import KIND, flag_obligations

OFFER = "Data pack flags"


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
