"""Writes for a council's next steps after an event: each row becomes an agreed action
monitored by the event's Tier 2 group."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from peerchallenge.models import LocalAuthority, User
from peerchallenge.services import action_create

from ..models import NextSteps, ThematicEvent
from .events import event_council_ids_of


@transaction.atomic
def next_steps_submit(
    *,
    event: ThematicEvent,
    council: LocalAuthority,
    rows: list[dict],
    notes: str,
    submitted_by: User,
) -> NextSteps:
    """Submit a council's next steps template: each row (what, owner, due_date) becomes an
    agreed action monitored by the event's Tier 2 group. After the deadline it is still
    accepted, marked late. Once per council."""
    ThematicEvent.objects.select_for_update().filter(pk=event.pk).first()  # one at a time
    if council.pk not in event_council_ids_of(event):
        raise ValidationError("This council is not taking part in the event.")
    if not event.is_past and event.date != timezone.localdate():
        raise ValidationError("Next steps are submitted after the event.")
    if NextSteps.objects.filter(event=event, council=council).exists():
        raise ValidationError("Your council's next steps have already been submitted.")
    rows = [row for row in rows if any(str(value or "").strip() for value in row.values())]
    if not rows:
        raise ValidationError("Enter at least one next step: what, who owns it and by when.")
    steps = NextSteps.objects.create(
        alliance_id=event.alliance_id,
        event=event,
        council=council,
        notes=(notes or "").strip(),
        submitted_by=submitted_by,
        is_late=timezone.localdate() > event.next_steps_due,
    )
    errors = {}
    for index, row in enumerate(rows):
        try:
            action_create(
                source=event,
                local_authority=council,
                what=row.get("what", ""),
                owner=row.get("owner", ""),
                due_date=row.get("due_date"),
                tier2_group=event.tier2_group,
                created_by=submitted_by,
                not_before=event.date,
            )
        except ValidationError as error:
            for message in error.messages:
                errors.setdefault(f"row {index + 1}", []).append(message)
    if errors:  # leaving the atomic block with the error undoes the template and every row
        raise ValidationError(
            [f"Next step {key[4:]}: {msg}" for key, msgs in errors.items() for msg in msgs]
        )
    return steps
