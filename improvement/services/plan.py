"""A council's development plan: its organisers and DCS write its priorities (what the
council will do, who owns it, by when); its DCS submits it, and each priority becomes an
agreed action whose source is the plan, which the council's improvement plan and its Tier 2
group's board then follow (the core's actions). Submitted: locked."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from peerchallenge.models import LocalAuthority, Tier2Group, User
from peerchallenge.services.actions import action_create

from ..models import Cycle, DevelopmentPlan, Priority


def plan_start(*, cycle: Cycle, council: LocalAuthority) -> DevelopmentPlan:
    """The council's plan for the cycle, made on its first priority (two at once make one)."""
    try:
        with transaction.atomic():
            plan, _ = DevelopmentPlan.objects.get_or_create(
                alliance_id=cycle.alliance_id, cycle=cycle, council=council
            )
    except IntegrityError:
        plan = DevelopmentPlan.objects.get(cycle=cycle, council=council)
    return plan


def _lock_open(plan: DevelopmentPlan) -> DevelopmentPlan:
    plan = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_locked:
        raise ValidationError("The development plan is submitted: it can no longer change.")
    return plan


def _check(*, title: str, what: str, owner: str, due_date: datetime.date | None) -> dict:
    errors = {}
    if not title.strip():
        errors["title"] = "Enter the priority."
    if not what.strip():
        errors["what"] = "Enter what the council will do about it."
    if not owner.strip():
        errors["owner"] = "Enter who owns it (a name or a role)."
    if due_date is None:
        errors["due_date"] = "Enter the date it is due by."
    elif due_date < timezone.localdate():
        errors["due_date"] = "The date it is due by must be today or in the future."
    return errors


@transaction.atomic
def priority_add(
    *,
    cycle: Cycle,
    council: LocalAuthority,
    title: str,
    what: str,
    owner: str,
    due_date: datetime.date | None,
) -> Priority:
    errors = _check(title=title, what=what, owner=owner, due_date=due_date)
    if errors:
        raise ValidationError(errors)
    plan = _lock_open(plan_start(cycle=cycle, council=council))
    last = plan.priorities.aggregate(last=Max("position"))["last"] or 0
    return Priority.objects.create(
        alliance_id=plan.alliance_id,
        plan=plan,
        position=last + 1,
        title=title.strip(),
        what=what.strip(),
        owner=owner.strip(),
        due_date=due_date,
    )


@transaction.atomic
def priority_change(
    *, priority: Priority, title: str, what: str, owner: str, due_date: datetime.date | None
) -> Priority:
    errors = _check(title=title, what=what, owner=owner, due_date=due_date)
    if errors:
        raise ValidationError(errors)
    _lock_open(priority.plan)
    priority.title, priority.what, priority.owner = title.strip(), what.strip(), owner.strip()
    priority.due_date = due_date
    priority.save(update_fields=["title", "what", "owner", "due_date"])
    return priority


@transaction.atomic
def priority_remove(*, priority: Priority) -> None:
    plan = _lock_open(priority.plan)
    priority.delete()
    for number, each in enumerate(plan.priorities.order_by("position", "pk"), start=1):
        if each.position != number:
            each.position = number
            each.save(update_fields=["position"])


@transaction.atomic
def plan_submit(
    *, plan: DevelopmentPlan, submitted_by: User, tier2_group: Tier2Group | None
) -> DevelopmentPlan:
    """The DCS submits the plan: each priority becomes an agreed action of the council,
    followed by `tier2_group` if one is chosen. Needs at least one priority. Submitting twice
    is submitting once (the actions made once)."""
    plan = DevelopmentPlan.objects.select_for_update().select_related("council").get(pk=plan.pk)
    if plan.is_locked:
        return plan
    priorities = list(plan.priorities.order_by("position", "pk"))
    if not priorities:
        raise ValidationError("Add at least one priority before submitting the plan.")
    if tier2_group is not None and tier2_group.alliance_id != plan.alliance_id:
        raise ValidationError({"tier2_group": "Choose one of this alliance's Tier 2 groups."})
    late = [p for p in priorities if p.due_date < timezone.localdate()]
    if late:
        raise ValidationError(
            "Change the date of each priority now due in the past: "
            + "; ".join(f"“{p.title}”" for p in late)
            + "."
        )
    for priority in priorities:
        priority.action = action_create(
            source=plan,
            local_authority=plan.council,
            what=f"{priority.title}: {priority.what}",
            owner=priority.owner,
            due_date=priority.due_date,
            tier2_group=tier2_group,
            created_by=submitted_by,
        )
        priority.save(update_fields=["action"])
    plan.state = DevelopmentPlan.State.SUBMITTED
    plan.submitted_by, plan.submitted_at = submitted_by, timezone.now()
    plan.save(update_fields=["state", "submitted_by", "submitted_at"])
    return plan
