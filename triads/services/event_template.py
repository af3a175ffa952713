"""Writes of the event template stage: a council's event template and next steps."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from peerchallenge.concurrency import record_lock_unchanged
from peerchallenge.models import Action, User

from ..models import (
    Cycle,
    EventTemplate,
)


def event_template_for(*, cycle: Cycle, council) -> EventTemplate:
    """The council's template for the cycle (created empty on first use)."""

    template, _ = EventTemplate.objects.get_or_create(
        cycle=cycle, local_authority=council, defaults={"alliance": cycle.alliance}
    )
    return template


NEXT_STEPS_FIELDS = ("next_steps",)


@transaction.atomic
def event_template_save(
    *, template, next_steps: str, complete: bool, user: User, base_version: str | None = None
):
    """Save the next steps; marking the template complete needs at least one action.
    Raises EditConflict if someone saved the next steps since `base_version`
    (peerchallenge.concurrency)."""
    record_lock_unchanged(record=template, fields=NEXT_STEPS_FIELDS, base_version=base_version)
    template.next_steps = (next_steps or "").strip()
    if complete:
        has_actions = Action.objects.filter(
            source_type=ContentType.objects.get_for_model(Cycle),
            source_id=template.cycle_id,
            local_authority=template.local_authority,
        ).exists()
        if not has_actions:
            raise ValidationError(
                {"next_steps": "Add at least one agreed action before marking it complete."}
            )
        if template.completed_at is None:
            template.completed_at = timezone.now()
            template.completed_by = user
    template.save()
    return template
