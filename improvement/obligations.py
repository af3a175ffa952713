"""What the improvement cycle asks of whom (peerchallenge.offers.obligations).

- Each council of an alliance with an open cycle owes its self-evaluation by the cycle's
  deadline, until its DCS submits it (returned: again, until resubmitted): its organisers
  and DCS act, and are reminded the alliance's number of days before the deadline
  (reminder kind `self_evaluation_due`).

- Each scrutiny of a submitted self-evaluation owes its moderation note by the cycle's
  scrutiny deadline: the scrutinising council's organisers and DCS act, reminded before it
  (reminder kind `scrutiny_due`).
- Each council whose self-evaluation is submitted owes its development plan by the
  cycle's plan deadline, until its DCS submits it: its organisers and DCS act, reminded
  before it (reminder kind `plan_due`).
- Each brokered match of the menu of support waiting for a council's answer: that
  council's DCS takes part or declines, told once some days after it was brokered
  (reminder kind `support_answer`, counted from that day).
- The menu of support, once it has needs, until each is brokered to an offer: the
  planners, reminded before its date (reminder kind `menu_due`).
- The cycle's regional development plan, until it is issued: the alliance's programme
  managers and coordinators, reminded before its date (reminder kind `regional_plan_due`).
- Each moderation note not yet replied to: the scrutinised council's organisers and DCS
  reply (no deadline of its own, so no reminder).

Read in five queries (open_cycles_of, cached: none when warm), and the people told in one
more, whatever the number of alliances, councils and scrutinies."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse

from peerchallenge.models import Role
from peerchallenge.offers.obligations import Obligation
from peerchallenge.permissions import PLANNERS, council_ids_in, roles_in
from peerchallenge.recipients import (
    council_dcs,
    council_people_by_alliance,
    planners_by_alliance,
)

from .models import SelfEvaluation, SupportMatch, SupportNeed
from .permissions import COUNCIL_WRITERS
from .selectors import open_cycles_of

KIND = "improvement.self_evaluation"
SCRUTINY = "improvement.scrutiny"
REPLY = "improvement.scrutiny_reply"
REMINDER = "self_evaluation_due"
SCRUTINY_REMINDER = "scrutiny_due"
PLAN = "improvement.plan"
PLAN_REMINDER = "plan_due"
CHALLENGE = "improvement.challenge"
CHALLENGE_REPLY = "improvement.challenge_reply"
CHALLENGE_REMINDER = "challenge_due"
ANSWER = "improvement.match_answer"
ANSWER_REMINDER = "support_answer"
REGIONAL = "improvement.regional_plan"
MENU = "improvement.menu"
MENU_REMINDER = "menu_due"
REGIONAL_REMINDER = "regional_plan_due"
REMINDER_KINDS = [
    {
        "key": REMINDER,
        "label": "Self-evaluation due",
        "default_days": 14,
        "description": "Reminds the organisers and DCS of each council that has not submitted "
        "its self-evaluation before the cycle's deadline.",
    },
    {
        "key": SCRUTINY_REMINDER,
        "label": "Peer scrutiny due",
        "default_days": 7,
        "description": "Reminds the organisers and DCS of each council scrutinising another's "
        "self-evaluation that has not recorded its moderation note before the deadline.",
    },
    {
        "key": PLAN_REMINDER,
        "label": "Development plan due",
        "default_days": 14,
        "description": "Reminds the organisers and DCS of each council that has submitted its "
        "self-evaluation but not its development plan before the plan's deadline.",
    },
    {
        "key": CHALLENGE_REMINDER,
        "label": "Peer challenge of a plan due",
        "default_days": 7,
        "description": "Reminds the organisers and DCS of each council challenging another's "
        "development plan that has not recorded its moderation note before the deadline.",
    },
    {
        "key": ANSWER_REMINDER,
        "label": "Brokered support awaiting an answer",
        "default_days": 7,
        "description": "Tells a council's DCS once, this many days after support was brokered "
        "between their council and another, if they have not said whether it takes part.",
        "after_due": True,
    },
    {
        "key": MENU_REMINDER,
        "label": "Menu of support due",
        "default_days": 14,
        "description": "Reminds the programme managers and coordinators before the menu of "
        "support's date while needs on it have no support brokered.",
    },
    {
        "key": REGIONAL_REMINDER,
        "label": "Regional development plan due",
        "default_days": 21,
        "description": "Reminds the programme managers and coordinators while the cycle's "
        "regional development plan is not issued before its deadline.",
    },
]


def obligations(
    *, alliances, today: datetime.date, user=None, reminder_days=None, people=True
) -> list[Obligation]:
    alliances = list(alliances)
    regional = _regional_plan_obligations(
        alliances=alliances,
        today=today,
        user=user,
        reminder_days=reminder_days,
        people=people,
    )
    mine = None
    if user is not None:  # the home page, the calendar: the councils this person writes for
        mine = {
            alliance_id: council_ids_in(user, alliance_id)
            for alliance_id in alliances
            if roles_in(user, alliance_id) & COUNCIL_WRITERS
        }
        mine = {key: value for key, value in mine.items() if value}
        if not mine:
            return regional
        alliances = list(mine)
    open_cycles = open_cycles_of(alliances, today=today)
    due_soon = _due_soon(today, reminder_days)
    owed = [
        (entry, council)
        for alliance_id, entry in open_cycles.items()
        if due_soon(REMINDER, entry.cycle.self_evaluation_due)
        for council in entry.councils
        if mine is None or council.pk in mine.get(alliance_id, ())
    ]
    plans = [
        (entry, council)
        for alliance_id, entry in open_cycles.items()
        if due_soon(PLAN_REMINDER, entry.cycle.plan_due)
        for council in entry.councils
        if entry.states.get(council.pk) == SelfEvaluation.State.SUBMITTED
        and (reminder_days is None or entry.plans.get(council.pk) != "submitted")
        and (mine is None or council.pk in mine.get(alliance_id, ()))
    ]
    names = {council.pk: council for entry in open_cycles.values() for council in entry.councils}
    # (entry, scrutinised council, scrutinising council, kind): the scrutinies owed.
    scrutinies = [
        (entry, names[council_id], names[scrutineer_id], kind)
        for alliance_id, entry in open_cycles.items()
        for stage, council_id, scrutineer_id, moderated, replied in entry.scrutinies
        if council_id in names and scrutineer_id in names
        for kind, acting, live in _scrutiny_kinds(
            entry, stage, council_id, scrutineer_id, moderated, due_soon, reminder_days
        )
        if live and (mine is None or acting in mine.get(alliance_id, ()))
    ]
    answers = [
        (entry, match_id, names[acting], side, names[other], title, brokered)
        for alliance_id, entry in open_cycles.items()
        for match_id, acting, side, other, title, brokered in entry.answers
        if acting in names
        and other in names
        and (
            reminder_days is None
            or (
                ANSWER_REMINDER in reminder_days
                and brokered + datetime.timedelta(days=reminder_days[ANSWER_REMINDER]) <= today
            )
        )
        and (
            mine is None
            or (acting in mine.get(alliance_id, ()) and Role.DCS in roles_in(user, alliance_id))
        )
    ]
    pairs = {(entry.cycle.alliance_id, council.pk) for entry, council in [*owed, *plans]} | {
        (entry.cycle.alliance_id, (scrutineer if kind in (SCRUTINY, CHALLENGE) else council).pk)
        for entry, council, scrutineer, kind in scrutinies
    }
    if user is not None:
        who = dict.fromkeys(pairs, (user,))
    elif people:
        who = council_people_by_alliance(pairs=pairs)
    else:
        who = {}
    found = [
        _obligation(
            entry.cycle,
            council,
            state=entry.states.get(council.pk, ""),
            actors=who.get((entry.cycle.alliance_id, council.pk), ()),
        )
        for entry, council in owed
    ]
    if user is not None:
        deciders = {(e.cycle.alliance_id, acting.pk): (user,) for e, _m, acting, *_ in answers}
    else:
        deciders = _dcs_of(answers) if people else {}
    found += [
        _answer_obligation(
            entry,
            match_id,
            acting,
            side,
            other,
            title,
            brokered,
            actors=deciders.get((entry.cycle.alliance_id, acting.pk), ()),
        )
        for entry, match_id, acting, side, other, title, brokered in answers
    ]
    found += [
        _plan_obligation(entry, council, actors=who.get((entry.cycle.alliance_id, council.pk), ()))
        for entry, council in plans
    ]
    found += [
        _scrutiny_obligation(
            entry,
            council,
            scrutineer,
            kind,
            actors=who.get(
                (
                    entry.cycle.alliance_id,
                    (scrutineer if kind in (SCRUTINY, CHALLENGE) else council).pk,
                ),
                (),
            ),
        )
        for entry, council, scrutineer, kind in scrutinies
    ]
    return found + regional


def _regional_plan_obligations(*, alliances, today, user, reminder_days, people) -> list:
    """The alliance's planners issue the cycle's regional development plan by its date."""
    if user is not None:
        alliances = [a for a in alliances if roles_in(user, a) & PLANNERS]
        if not alliances:
            return []
    due_soon = _due_soon(today, reminder_days)
    entries = [
        entry
        for entry in open_cycles_of(alliances, today=today).values()
        if due_soon(REGIONAL_REMINDER, entry.cycle.regional_plan_due)
        and (reminder_days is None or not entry.plan_issued)
    ]
    if user is not None:
        who = {entry.cycle.alliance_id: (user,) for entry in entries}
    elif people and entries:
        who = planners_by_alliance(alliances=[entry.cycle.alliance_id for entry in entries])
    else:
        who = {}
    found = []
    for entry in entries:
        cycle = entry.cycle
        deadline = f"{cycle.regional_plan_due:%-d %B %Y}"
        found.append(
            Obligation(
                kind=REGIONAL,
                subject=cycle,
                alliance=cycle.alliance,
                title=f"Issue the regional development plan for {cycle.label}",
                url=reverse(
                    "improvement:regional_plan",
                    kwargs={"alliance": cycle.alliance.slug, "improvement_cycle": cycle.pk},
                ),
                due=cycle.regional_plan_due,
                done=entry.plan_issued,
                actors=who.get(cycle.alliance_id, ()),
                reminders={
                    REGIONAL_REMINDER: f"The regional development plan for {cycle.label} is "
                    f"due on {deadline}"
                },
                todo=(
                    "Write the collective response to the common priorities and issue the "
                    f"plan by {deadline}."
                ),
            )
        )
    return found + _menu_obligations(
        alliances=alliances, today=today, user=user, reminder_days=reminder_days, who=who
    )


def _menu_obligations(*, alliances, today, user, reminder_days, who) -> list:
    """The planners broker the menu of support by its date: every need on it matched with an
    offer (declined matches do not count). Asked once the menu has a need; one query for the
    needs of the cycles concerned."""
    due_soon = _due_soon(today, reminder_days)
    entries = {
        entry.cycle.pk: entry
        for entry in open_cycles_of(alliances, today=today).values()
        if due_soon(MENU_REMINDER, entry.cycle.menu_due)
    }
    if not entries:
        return []
    waiting: dict[int, list[int]] = {}  # cycle id -> [needs, needs without support]
    for cycle_id, active in (
        SupportNeed.objects.filter(cycle__in=list(entries))
        .annotate(active=Count("matches", filter=~Q(matches__state=SupportMatch.State.DECLINED)))
        .values_list("cycle_id", "active")
    ):
        counts = waiting.setdefault(cycle_id, [0, 0])
        counts[0] += 1
        counts[1] += active == 0
    if user is None and reminder_days is not None and not who:
        who = planners_by_alliance(alliances=[e.cycle.alliance_id for e in entries.values()])
    found = []
    for cycle_id, (needs, unmatched) in waiting.items():
        if reminder_days is not None and not unmatched:
            continue
        cycle = entries[cycle_id].cycle
        deadline = f"{cycle.menu_due:%-d %B %Y}"
        noun = "need" if unmatched == 1 else "needs"
        found.append(
            Obligation(
                kind=MENU,
                subject=cycle,
                alliance=cycle.alliance,
                title=f"Broker the menu of support for {cycle.label}: {unmatched} {noun} "
                "without support",
                url=reverse(
                    "improvement:menu",
                    kwargs={"alliance": cycle.alliance.slug, "improvement_cycle": cycle.pk},
                ),
                due=cycle.menu_due,
                done=unmatched == 0,
                actors=(user,) if user is not None else who.get(cycle.alliance_id, ()),
                reminders={
                    MENU_REMINDER: f"The menu of support for {cycle.label} is due on {deadline}"
                },
                todo=f"Broker each need on the menu to an offer that fits it by {deadline}.",
                context={"needs": needs, "unmatched": unmatched},
            )
        )
    return found


def _dcs_of(answers) -> dict:
    """(alliance id, council id) -> the council's active DCS, for the councils asked to
    answer: one query per alliance with answers waiting."""
    found = {}
    for alliance_id in {entry.cycle.alliance_id for entry, *_ in answers}:
        councils = {
            acting.pk for entry, _m, acting, *_ in answers if entry.cycle.alliance_id == alliance_id
        }
        for council_id, people in council_dcs(alliance=alliance_id, council_ids=councils).items():
            found[(alliance_id, council_id)] = tuple(people)
    return found


def _answer_obligation(
    entry, match_id, acting, side, other, title, brokered, *, actors
) -> Obligation:
    alliance = entry.cycle.alliance
    if side == "receiving":
        said = f"Take up {other.name}'s support for {acting.name}: {title}"
    else:
        said = f"Offer {acting.name}'s support to {other.name}: {title}"
    return Obligation(
        kind=ANSWER,
        subject=entry.cycle,
        alliance=alliance,
        council=acting,
        title=f"{said}?",
        url=reverse(
            "improvement:match", kwargs={"alliance": alliance.slug, "support_match": match_id}
        ),
        since=brokered,
        actors=actors,
        reminders={ANSWER_REMINDER: f"{said}: your answer is awaited"},
        todo="Say whether your council takes part, or declines with a reason.",
    )


def _scrutiny_kinds(entry, stage, council_id, scrutineer_id, moderated, due_soon, reminder_days):
    """What a scrutiny (or a plan's challenge) asks: (kind, the council acting, live now)."""
    plan = stage == "plan"
    submitted = (
        entry.plans.get(council_id) == "submitted"
        if plan
        else entry.states.get(council_id) == SelfEvaluation.State.SUBMITTED
    )
    cycle = entry.cycle
    return (
        (
            CHALLENGE if plan else SCRUTINY,
            scrutineer_id,
            submitted
            and due_soon(
                CHALLENGE_REMINDER if plan else SCRUTINY_REMINDER,
                cycle.challenge_due if plan else cycle.scrutiny_due,
            )
            and (not moderated or reminder_days is None),
        ),
        (CHALLENGE_REPLY if plan else REPLY, council_id, moderated and reminder_days is None),
    )


def _due_soon(today, reminder_days):
    """Whether an obligation with this reminder kind and date is asked about: always, but
    for the daily scan only when the alliance's reminder kind is on and the date within its
    days."""

    def check(kind: str, due: datetime.date) -> bool:
        if reminder_days is None:
            return True
        if kind not in reminder_days:
            return False
        return today <= due <= today + datetime.timedelta(days=reminder_days[kind])

    return check


def _plan_obligation(entry, council, *, actors) -> Obligation:
    cycle = entry.cycle
    alliance = cycle.alliance
    deadline = f"{cycle.plan_due:%-d %B %Y}"
    return Obligation(
        kind=PLAN,
        subject=cycle,
        alliance=alliance,
        council=council,
        title=f"Write and submit {council.name}'s development plan for {cycle.label}",
        url=reverse(
            "improvement:plan",
            kwargs={
                "alliance": alliance.slug,
                "improvement_cycle": cycle.pk,
                "gss": council.gss_code,
            },
        ),
        due=cycle.plan_due,
        done=entry.plans.get(council.pk) == "submitted",
        actors=actors,
        reminders={
            PLAN_REMINDER: f"{council.name}'s development plan for {cycle.label} is due on "
            f"{deadline}"
        },
        todo=(
            f"Write {council.name}'s priorities for the year, each with its owner and date; "
            f"your director of children's services submits the plan by {deadline}."
        ),
    )


def _scrutiny_obligation(entry, council, scrutineer, kind, *, actors) -> Obligation:
    cycle = entry.cycle
    alliance = cycle.alliance
    plan = kind in (CHALLENGE, CHALLENGE_REPLY)
    work = "development plan" if plan else "self-evaluation"
    url = reverse(
        "improvement:plan" if plan else "improvement:self_evaluation",
        kwargs={"alliance": alliance.slug, "improvement_cycle": cycle.pk, "gss": council.gss_code},
    )
    stage = "plan" if plan else "self_evaluation"
    done = next(
        (
            replied if kind in (REPLY, CHALLENGE_REPLY) else moderated
            for st, c, s, moderated, replied in entry.scrutinies
            if st == stage and c == council.pk and s == scrutineer.pk
        ),
        False,
    )
    if kind in (REPLY, CHALLENGE_REPLY):
        noun = "challenge" if plan else "scrutiny"
        return Obligation(
            kind=kind,
            subject=cycle,
            alliance=alliance,
            council=council,
            title=f"Reply to {scrutineer.name}'s {noun} of {council.name}'s {work}",
            url=f"{url}#{'peer-challenge' if plan else 'peer-scrutiny'}",
            done=done,
            actors=actors,
            action_required=False,
        )
    due = cycle.challenge_due if plan else cycle.scrutiny_due
    deadline = f"{due:%-d %B %Y}"
    reminder = CHALLENGE_REMINDER if plan else SCRUTINY_REMINDER
    verb = "Challenge" if plan else "Scrutinise"
    noun = "challenge" if plan else "scrutiny"
    return Obligation(
        kind=kind,
        subject=cycle,
        alliance=alliance,
        council=scrutineer,
        title=f"{verb} {council.name}'s {work} for {cycle.label}",
        url=url,
        due=due,
        done=done,
        actors=actors,
        reminders={
            reminder: f"{scrutineer.name}'s {noun} of {council.name}'s {work} is due on {deadline}"
        },
        todo=(
            f"Comment on {council.name}'s {work} "
            f"{'priority by priority' if plan else 'section by section'} and record "
            f"{scrutineer.name}'s moderation note by {deadline}."
        ),
    )


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
