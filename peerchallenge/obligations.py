"""The core's own obligations (peerchallenge.offers.obligations): agreed actions, whatever
offer they came from, and the Tier 2 groups that follow them up.

- An agreed action not complete: its council's organisers and DCS are reminded before it is
  due and once when it is overdue (they track it on the council's improvement plan, so it
  is not a home-page item of theirs).
- A Tier 2 group with overdue actions: its members follow them up (home page, one item per
  group, the oldest due date first).

A fixed number of queries, whatever the number of actions or groups."""

from django.db.models import Count, Min, Q
from django.urls import reverse

from .dates import day_text
from .models import Action, ActionStatus, Tier2Group
from .offers import obligations as contract
from .offers.obligations import Obligation
from .recipients import council_people
from .reminders import KINDS, last_scanned_on, register_kind, reminder_due_dates
from .selectors import cached_for_actions

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
    groups = Tier2Group.objects.filter(alliance__in=alliances).select_related("alliance")
    if user is not None:  # the home page: this person's groups
        groups = groups.filter(members=user)
    elif people:  # the reminders: each group with its members
        groups = groups.prefetch_related("members")
    groups = {group.pk: group for group in groups}
    if not groups:
        return []
    late = {}
    for alliance in {group.alliance for group in groups.values()}:
        late.update(overdue_by_group(alliance=alliance, today=today))
    found = []
    for group_id, group in groups.items():
        if group_id not in late:
            continue
        overdue, oldest = late[group_id]
        noun = "action is" if overdue == 1 else "actions are"
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
                title=f"{overdue} {noun} overdue in {group.name}: follow them up",
                url=f"{url}?overdue=1",
                due=oldest,
                actors=actors,
            )
        )
    return found


def overdue_by_group(*, alliance, today) -> dict[int, tuple[int, object]]:
    """For each Tier 2 group of the alliance with overdue actions: how many, and the oldest
    due date. Counted from the actions' side, over the index of each group's actions by due
    date (only the overdue ones are read), and cached until an action of the alliance changes:
    at 100,000 actions in one group, 27,000 of them overdue, the count took 20 ms of every
    home page of its members."""

    def count():
        rows = (
            Action.objects.filter(
                tier2_group__in=Tier2Group.objects.filter(alliance=alliance).values("pk"),
                due_date__lt=today,
            )
            .exclude(status=ActionStatus.COMPLETE)
            .order_by()
            .values_list("tier2_group")
            # COUNT(*), not of the id: the index alone answers.
            .annotate(overdue=Count("*"), oldest=Min("due_date"))
        )
        return {group_id: (overdue, oldest) for group_id, overdue, oldest in rows}

    return cached_for_actions(alliance=alliance, what=f"tier2-overdue:{today}", compute=count)


def _action_obligations(*, alliances, today, days, people) -> list[Obligation]:
    actions = Action.objects.filter(alliance__in=alliances).exclude(status=ActionStatus.COMPLETE)
    if days is not None:  # only actions with a reminder due today
        # The overdue reminders only since the alliances' last finished scan (one query).
        since = last_scanned_on(alliances=alliances) if "action_overdue" in days else None
        windows = Q(pk__in=[])
        for kind in ("action_due", "action_overdue"):
            if kind in days:
                first, last = reminder_due_dates(
                    kind=KINDS[kind], days=days[kind], today=today, since=since
                )
                window = Q(due_date__lte=last)
                windows |= window if first is None else window & Q(due_date__gte=first)
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
