"""The core's own obligations (peerchallenge.offers.obligations): agreed actions, whatever
offer they came from, and the Tier 2 groups that follow them up.

- An agreed action not complete: its council's organisers and DCS are reminded before it is
  due and once when it is overdue (they track it on the council's improvement plan, so it
  is not a home-page item of theirs).
- A Tier 2 group with overdue actions: its members follow them up (home page, one item per
  group, the oldest due date first).

A fixed number of queries, whatever the number of actions or groups."""

import datetime

from django.db.models import Count, Min, Q
from django.urls import reverse

from .dates import day_text
from .models import Action, ActionStatus, Tier2Group
from .offers import obligations as contract
from .offers.obligations import Obligation
from .recipients import council_people
from .reminders import register_kind

REMINDER_KINDS = [
    {
        "key": "action_due",
        "label": "Agreed action due",
        "default_days": 7,
        "description": "Reminds the council's organisers and DCS before an agreed action is due.",
    },
    {
        "key": "action_overdue",
        "label": "Agreed action overdue",
        "default_days": 1,
        "description": "Tells the council's organisers and DCS once when an agreed action is "
        "overdue.",
        "after_due": True,
    },
]


def obligations(
    *, alliances, today, user=None, reminder_days=None, people=True
) -> list[Obligation]:
    found = []
    if reminder_days is None:
        found += _tier2_obligations(alliances=alliances, today=today, user=user, people=people)
    if user is None:  # nobody's home page lists single actions
        found += _action_obligations(
            alliances=alliances, today=today, days=reminder_days, people=people
        )
    return found


def _tier2_obligations(*, alliances, today, user, people) -> list[Obligation]:
    late = Q(actions__due_date__lt=today) & ~Q(actions__status=ActionStatus.COMPLETE)
    groups = (
        Tier2Group.objects.filter(alliance__in=alliances)
        .annotate(
            overdue=Count("actions", filter=late), oldest=Min("actions__due_date", filter=late)
        )
        .filter(overdue__gt=0)
        .select_related("alliance")
    )
    if people and user is None:
        groups = groups.prefetch_related("members")
    if user is not None:
        groups = groups.filter(members=user)
    found = []
    for group in groups:
        noun = "action is" if group.overdue == 1 else "actions are"
        url = reverse("tier2_board", kwargs={"alliance": group.alliance.slug, "group": group.pk})
        if user is not None:
            actors = (user,)
        elif people:
            actors = tuple(member for member in group.members.all() if member.is_active)
        else:
            actors = ()
        found.append(
            Obligation(
                kind="tier2.follow_up",
                subject=group,
                alliance=group.alliance,
                title=f"{group.overdue} {noun} overdue in {group.name}: follow them up",
                url=f"{url}?overdue=1",
                due=group.oldest,
                actors=actors,
            )
        )
    return found


def _action_obligations(*, alliances, today, days, people) -> list[Obligation]:
    actions = Action.objects.filter(alliance__in=alliances).exclude(status=ActionStatus.COMPLETE)
    if days is not None:  # only actions with a reminder due today
        windows = Q(pk__in=[])
        if "action_due" in days:
            last = today + datetime.timedelta(days=days["action_due"])
            windows |= Q(due_date__gte=today, due_date__lte=last)
        if "action_overdue" in days:
            windows |= Q(due_date__lte=today - datetime.timedelta(days=days["action_overdue"]))
        actions = actions.filter(windows)
    actions = list(actions.select_related("local_authority", "alliance"))
    told: dict[tuple[int, int], tuple] = {}
    for alliance in {action.alliance for action in actions} if people else ():
        councils = {a.local_authority_id for a in actions if a.alliance_id == alliance.pk}
        for council_id, users in council_people(alliance=alliance, council_ids=councils).items():
            told[(alliance.pk, council_id)] = tuple(users)
    found = []
    for action in actions:
        when = day_text(action.due_date)
        what = action.what if len(action.what) <= 80 else action.what[:79] + "…"
        council = action.local_authority
        found.append(
            Obligation(
                kind="actions.agreed",
                subject=action,
                alliance=action.alliance,
                council=council,
                title=f"{council}'s agreed action: {what}",
                url=reverse(
                    "action_detail",
                    kwargs={"alliance": action.alliance.slug, "action": action.pk},
                ),
                due=action.due_date,
                told=told.get((action.alliance_id, action.local_authority_id), ()),
                reminders={
                    "action_due": f"{council}'s agreed action is due by {when}: {what}",
                    "action_overdue": f"{council}'s agreed action was due on {when}: {what}",
                },
                todo="Record progress on the action, or mark it complete.",
            )
        )
    return found


def register() -> None:
    for kind in REMINDER_KINDS:
        register_kind(**kind)
    contract.register(obligations)
