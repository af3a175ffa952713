"""The quarterly local return's obligations (part of obligations.py): each council of an
alliance with an open quarter owes its return by the quarter's deadline, until it submits
or the quarter is published; its organisers and DCS act, and are reminded the alliance's
number of days before the deadline (reminder kind `return_due`).

What each alliance's councils owe comes from `selectors_returns.open_returns_of` (cached,
three queries when cold, whatever the number of quarters and councils), and the people told
in one more: a home page or calendar asks nothing when the cache is warm."""

import datetime

from django.urls import reverse

from peerchallenge.offers.obligations import Obligation
from peerchallenge.permissions import council_ids_in, roles_in
from peerchallenge.recipients import council_people_by_alliance

from .permissions import FLAG_ANSWERERS
from .selectors_returns import open_returns_of

KIND = "benchmarking.return_due"
REMINDER = "return_due"
REMINDER_KIND = {
    "key": REMINDER,
    "label": "Local return due",
    "default_days": 7,
    "description": "Reminds the organisers and DCS of each council that has not submitted "
    "its quarterly local return before the quarter's deadline.",
}


def return_obligations(
    *, alliances, today: datetime.date, user=None, reminder_days=None, people=True
) -> list[Obligation]:
    alliances = list(alliances)
    mine = None
    if user is not None:  # the home page, the calendar: the councils this person reports for
        mine = {
            alliance_id: council_ids_in(user, alliance_id)
            for alliance_id in alliances
            if roles_in(user, alliance_id) & FLAG_ANSWERERS
        }
        mine = {key: value for key, value in mine.items() if value}
        if not mine:
            return []
        alliances = list(mine)
    owing = open_returns_of(alliances)
    quarters = [quarter for entry in owing.values() for quarter in entry.quarters]
    if reminder_days is not None:
        if REMINDER not in reminder_days:
            return []
        # Only quarters of which a reminder may be sent today: due between today and the
        # alliance's number of days ahead.
        last = today + datetime.timedelta(days=reminder_days[REMINDER])
        quarters = [quarter for quarter in quarters if today <= quarter.deadline <= last]
    owed = [
        (quarter, council)
        for quarter in quarters
        for council in owing[quarter.alliance_id].councils
        if mine is None or council.pk in mine.get(quarter.alliance_id, ())
    ]
    if user is not None:
        who = {(quarter.alliance_id, council.pk): (user,) for quarter, council in owed}
    elif people:
        who = council_people_by_alliance(pairs={(q.alliance_id, c.pk) for q, c in owed})
    else:
        who = {}
    return [
        _obligation(
            quarter,
            council,
            done=council.pk in owing[quarter.alliance_id].submitted[quarter.pk],
            actors=who.get((quarter.alliance_id, council.pk), ()),
        )
        for quarter, council in owed
    ]


def _obligation(quarter, council, *, done: bool, actors) -> Obligation:
    alliance = quarter.alliance
    deadline = f"{quarter.deadline:%-d %B %Y}"
    return Obligation(
        kind=KIND,
        subject=quarter,
        alliance=alliance,
        council=council,
        title=f"Submit {council.name}'s local return for {quarter.label}",
        url=reverse(
            "benchmarking:return",
            kwargs={"alliance": alliance.slug, "quarter": quarter.pk, "gss": council.gss_code},
        ),
        due=quarter.deadline,
        done=done,
        actors=actors,
        reminders={
            REMINDER: f"{council.name}'s local return for {quarter.label} is due on {deadline}"
        },
        todo=(
            f"Enter {council.name}'s figures for {quarter.label} and submit the return "
            f"by {deadline}."
        ),
    )
