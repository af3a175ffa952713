"""The improvement cycle on the alliance overview: the open cycle's self-evaluations (how
many are submitted, the councils late once the deadline has passed), their peer scrutiny
and the development plans, read from the same cached selector as the obligations."""

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
    url = reverse(
        "improvement:board", kwargs={"alliance": alliance.slug, "improvement_cycle": cycle.pk}
    )
    rows = [
        challenge_row(
            offer=OFFER,
            uid=f"improvement-cycle-{cycle.pk}",
            name=(
                f"Improvement cycle {cycle.label} ({len(submitted)} of {len(entry.councils)} "
                "self-evaluations submitted)"
            ),
            stage="Self-evaluations due" if missing else "Self-evaluations in",
            position=1 if missing else 2,
            url=url,
            dates=[(cycle.self_evaluation_due, "self-evaluations due")],
            late=late,
            today=today,
        )
    ]
    scrutinies = [s for s in entry.scrutinies if s[0] == "self_evaluation"]
    if scrutinies:
        noted = sum(1 for s in scrutinies if s[3])
        rows.append(
            challenge_row(
                offer=OFFER,
                uid=f"improvement-scrutiny-{cycle.pk}",
                name=f"Peer scrutiny {cycle.label} ({noted} of {len(scrutinies)} notes in)",
                stage="Scrutiny under way" if noted < len(scrutinies) else "Scrutiny done",
                position=3 if noted < len(scrutinies) else 4,
                url=url,
                dates=[(cycle.scrutiny_due, "peer scrutiny due")],
                late=["moderation notes missing"]
                if noted < len(scrutinies) and cycle.scrutiny_due < today
                else [],
                today=today,
            )
        )
    if entry.plans:
        done = sum(1 for state in entry.plans.values() if state == "submitted")
        rows.append(
            challenge_row(
                offer=OFFER,
                uid=f"improvement-plans-{cycle.pk}",
                name=(
                    f"Development plans {cycle.label} ({done} of {len(entry.councils)} submitted)"
                ),
                stage="Plans due" if done < len(entry.councils) else "Plans in",
                position=5 if done < len(entry.councils) else 6,
                url=url,
                dates=[(cycle.plan_due, "development plans due")],
                late=["development plans not submitted"]
                if done < len(entry.councils) and cycle.plan_due < today
                else [],
                today=today,
            )
        )
    return rows
