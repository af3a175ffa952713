"""What the common framework asks of whom (peerchallenge.offers.obligations).

- Each council with flags on its latest figures that nobody has answered: its organisers
  and DCS answer them (home page). The alliance's programme managers and data lead may
  answer them too, for any council, but are not asked: a region's dozen packs of flags on
  their home page would bury what only they can do; they follow the councils on the
  alliance overview (overview.flag_rows), which counts these same obligations.

The local returns owed are in returns_due.py, with their reminder kind.

No reminder for flags: a flag has no deadline (it appears when figures are loaded and stays
until it is answered or the figures move on), so nothing would count a reminder's days from
it.

The flags cost no query once worked out (selectors_flags: the flags of every council of an
alliance, cached under the state of its figures, framework and answers, that state itself
kept a minute and forgotten when an answer is saved), one when the state is read again,
whatever the number of alliances and councils; and the people told when they are looked
up."""

from django.urls import reverse

from peerchallenge.offers.obligations import Obligation
from peerchallenge.permissions import council_ids_in, roles_in
from peerchallenge.recipients import council_people_by_alliance

from .permissions import FLAG_ANSWERERS
from .returns_due import REMINDER_KIND, return_obligations
from .selectors_flags import councils_with_flags, flag_states

KIND = "benchmarking.flags"
REMINDER_KINDS = [REMINDER_KIND]


def obligations(
    *, alliances, today, user=None, reminder_days=None, people=True
) -> list[Obligation]:
    """The flags to answer, and the local returns owed (returns_due.py)."""
    alliances = list(alliances)
    narrowing = {"user": user, "reminder_days": reminder_days, "people": people}
    return [
        *flag_obligations(alliances=alliances, today=today, **narrowing),
        *return_obligations(alliances=alliances, today=today, **narrowing),
    ]


def flag_obligations(
    *, alliances, today, user=None, reminder_days=None, people=True
) -> list[Obligation]:
    if reminder_days is not None:  # no reminder kinds: none is ever due
        return []
    council_ids = None
    if user is not None:  # the home page: the councils this person answers for
        council_ids = {
            alliance_id: council_ids_in(user, alliance_id)
            for alliance_id in alliances
            if roles_in(user, alliance_id) & FLAG_ANSWERERS
        }
        council_ids = {key: value for key, value in council_ids.items() if value}
        if not council_ids:
            return []
        alliances = list(council_ids)
    found = councils_with_flags(alliances=flag_states(alliances), council_ids=council_ids)
    if user is not None:
        who = {(alliance.pk, flags.council.pk): (user,) for alliance, flags in found}
    elif people:
        who = council_people_by_alliance(
            pairs={(alliance.pk, flags.council.pk) for alliance, flags in found}
        )
    else:
        who = {}
    return [
        _obligation(alliance, flags, who.get((alliance.pk, flags.council.pk), ()))
        for alliance, flags in found
    ]


def _obligation(alliance, flags, actors) -> Obligation:
    council = flags.council
    waiting = len(flags.to_answer)
    noun = "flag" if waiting == 1 else "flags"
    return Obligation(
        kind=KIND,
        subject=council,
        alliance=alliance,
        council=council,
        title=f"Answer {waiting} {noun} on {council.name}'s data pack",
        url=reverse(
            "benchmarking:data_pack", kwargs={"alliance": alliance.slug, "gss": council.gss_code}
        ),
        done=waiting == 0,
        actors=actors,
        context={"flagged": len(flags.flagged), "to_answer": waiting},
    )
