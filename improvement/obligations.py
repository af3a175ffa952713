"""What the improvement cycle asks of whom (peerchallenge.offers.obligations).

- Each council of an alliance with an open cycle owes its self-evaluation by the cycle's
  deadline, until its DCS submits it (returned: again, until resubmitted): its organisers
  and DCS act, and are reminded the alliance's number of days before the deadline
  (reminder kind `self_evaluation_due`).

Read in three queries (open_cycles_of), and the people told in one more, whatever the
number of alliances and councils."""

import datetime

from django.urls import reverse

from peerchallenge.offers.obligations import Obligation
from peerchallenge.permissions import council_ids_in, roles_in
from peerchallenge.recipients import council_people_by_alliance

from .models import SelfEvaluation
from .permissions import COUNCIL_WRITERS
from .selectors import open_cycles_of

KIND = "improvement.self_evaluation"
REMINDER = "self_evaluation_due"
REMINDER_KINDS = [
    {
        "key": REMINDER,
        "label": "Self-evaluation due",
        "default_days": 14,
        "description": "Reminds the organisers and DCS of each council that has not submitted "
        "its self-evaluation before the cycle's deadline.",
    }
]


def obligations(
    *, alliances, today: datetime.date, user=None, reminder_days=None, people=True
) -> list[Obligation]:
    alliances = list(alliances)
    mine = None
    if user is not None:  # the home page, the calendar: the councils this person writes for
        mine = {
            alliance_id: council_ids_in(user, alliance_id)
            for alliance_id in alliances
            if roles_in(user, alliance_id) & COUNCIL_WRITERS
        }
        mine = {key: value for key, value in mine.items() if value}
        if not mine:
            return []
        alliances = list(mine)
    open_cycles = open_cycles_of(alliances, today=today)
    if reminder_days is not None:
        if REMINDER not in reminder_days:
            return []
        last = today + datetime.timedelta(days=reminder_days[REMINDER])
        open_cycles = {
            key: entry
            for key, entry in open_cycles.items()
            if today <= entry.cycle.self_evaluation_due <= last
        }
    owed = [
        (entry, council)
        for alliance_id, entry in open_cycles.items()
        for council in entry.councils
        if mine is None or council.pk in mine.get(alliance_id, ())
    ]
    if user is not None:
        who = {(entry.cycle.alliance_id, council.pk): (user,) for entry, council in owed}
    elif people:
        who = council_people_by_alliance(
            pairs={(entry.cycle.alliance_id, council.pk) for entry, council in owed}
        )
    else:
        who = {}
    return [
        _obligation(
            entry.cycle,
            council,
            state=entry.states.get(council.pk, ""),
            actors=who.get((entry.cycle.alliance_id, council.pk), ()),
        )
        for entry, council in owed
    ]


def _obligation(cycle, council, *, state: str, actors) -> Obligation:
    alliance = cycle.alliance
    deadline = f"{cycle.self_evaluation_due:%-d %B %Y}"
    returned = state == SelfEvaluation.State.RETURNED
    if returned:
        title = f"Change and resubmit {council.name}'s self-evaluation for {cycle.label}"
    else:
        title = f"Write and submit {council.name}'s self-evaluation for {cycle.label}"
    return Obligation(
        kind=KIND,
        subject=cycle,
        alliance=alliance,
        council=council,
        title=title,
        url=reverse(
            "improvement:self_evaluation",
            kwargs={
                "alliance": alliance.slug,
                "improvement_cycle": cycle.pk,
                "gss": council.gss_code,
            },
        ),
        due=cycle.self_evaluation_due,
        done=state == SelfEvaluation.State.SUBMITTED,
        actors=actors,
        reminders={
            REMINDER: f"{council.name}'s self-evaluation for {cycle.label} is due on {deadline}"
        },
        todo=(
            f"Write each section of {council.name}'s self-evaluation; your director of "
            f"children's services signs it off and submits it by {deadline}."
        ),
    )
