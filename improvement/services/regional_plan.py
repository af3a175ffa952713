"""The regional development plan: its planners write the introduction and the collective
responses to the common priorities, and issue it as a PDF (through the reports pipeline)
that every member of the alliance reads. Issuing again after a change makes a new
version."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from peerchallenge.models import User
from reports.models import ReportVersion
from reports.services import report_request_once

from ..models import MENU_THEMES, CollectiveResponse, Cycle, RegionalPlan
from ..selectors import REGIONAL_PLAN_PDF


def regional_plan_start(*, cycle: Cycle) -> RegionalPlan:
    try:
        with transaction.atomic():
            plan, _ = RegionalPlan.objects.get_or_create(alliance_id=cycle.alliance_id, cycle=cycle)
    except IntegrityError:
        plan = RegionalPlan.objects.get(cycle=cycle)
    return plan


def introduction_save(*, cycle: Cycle, introduction: str) -> RegionalPlan:
    plan = regional_plan_start(cycle=cycle)
    plan.introduction = introduction.strip()
    plan.save(update_fields=["introduction"])
    return plan


def _check(*, theme, title, owner, starts_on, ends_on) -> dict:
    errors = {}
    if theme not in MENU_THEMES:
        errors["theme"] = "Choose the priority it answers."
    if not title.strip():
        errors["title"] = "Enter the response."
    if not owner.strip():
        errors["owner"] = "Enter the regional group that owns it."
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "The end must be on or after the start."
    return errors


def response_add(
    *,
    cycle: Cycle,
    theme: str,
    kind: str,
    title: str,
    description: str,
    owner: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> CollectiveResponse:
    errors = _check(theme=theme, title=title, owner=owner, starts_on=starts_on, ends_on=ends_on)
    if errors:
        raise ValidationError(errors)
    plan = regional_plan_start(cycle=cycle)
    return CollectiveResponse.objects.create(
        alliance_id=plan.alliance_id,
        plan=plan,
        theme=theme,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        owner=owner.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )


def response_change(*, response: CollectiveResponse, **fields) -> CollectiveResponse:
    errors = _check(
        theme=fields["theme"],
        title=fields["title"],
        owner=fields["owner"],
        starts_on=fields["starts_on"],
        ends_on=fields["ends_on"],
    )
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(response, name, value.strip() if isinstance(value, str) else value)
    response.save()
    return response


def response_remove(*, response: CollectiveResponse) -> None:
    response.delete()


@transaction.atomic
def regional_plan_issue(*, cycle: Cycle, issued_by: User) -> ReportVersion:
    """Issue the plan: a new PDF version, made by the worker, that every member of the
    alliance may download. Pressing twice while it is made gives the one version."""
    plan = regional_plan_start(cycle=cycle)
    plan = RegionalPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.responses.exists():
        raise ValidationError("Add at least one collective response before issuing the plan.")
    plan.issued_by, plan.issued_at = issued_by, timezone.now()
    plan.save(update_fields=["issued_by", "issued_at"])
    return report_request_once(identifier=REGIONAL_PLAN_PDF, subject=plan, requested_by=issued_by)
