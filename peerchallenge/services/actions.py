"""Writes for agreed actions, shared by every offer."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Action, ActionStatus, ActionUpdate, LocalAuthority, Tier2Group, User
from ..text_limits import LONG, SHORT, text_errors


def action_create(
    *,
    source,
    local_authority: LocalAuthority,
    what: str,
    owner: str,
    due_date: datetime.date | None,
    tier2_group: Tier2Group | None,
    created_by: User,
    not_before: datetime.date | None = None,
) -> Action:
    """A council's agreed action arising from `source` (a cycle, an event, a review).
    `not_before` is the earliest sensible due date (e.g. the event day)."""
    errors = text_errors(what=("What", what, LONG), owner=("Owner", owner, SHORT))
    if not (what or "").strip():
        errors["what"] = "Enter what the council will do."
    if not (owner or "").strip():
        errors["owner"] = "Enter who owns the action (a name or a role)."
    if due_date is None:
        errors["due_date"] = "Enter the date the action is due by."
    elif not_before and due_date < not_before:
        errors["due_date"] = (
            f"The due date must be on or after {not_before.day} {not_before:%B %Y}, "
            "the day it was agreed."
        )
    if tier2_group is not None and tier2_group.alliance_id != source.alliance_id:
        errors["tier2_group"] = "Choose one of this alliance's Tier 2 groups."
    if errors:
        raise ValidationError(errors)
    return Action.objects.create(
        alliance_id=source.alliance_id,
        local_authority=local_authority,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        what=what.strip(),
        owner=owner.strip(),
        due_date=due_date,
        tier2_group=tier2_group,
        created_by=created_by,
    )


@transaction.atomic
def action_record_progress(
    *, action: Action, author: User, note: str, status: str = "", kind: str = "progress"
) -> ActionUpdate:
    """A progress update (which may change the RAG status) or a Tier 2 monitoring note."""
    if not (note or "").strip():
        raise ValidationError({"note": "Enter a note."})
    if errors := text_errors(note=("Note", note, LONG)):
        raise ValidationError(errors)
    if status and status not in ActionStatus.values:
        raise ValidationError({"status": "Choose a status."})
    update = ActionUpdate.objects.create(
        alliance_id=action.alliance_id,
        action=action,
        kind=kind,
        status=status,
        note=note.strip(),
        author=author,
    )
    if status and status != action.status:
        action.status = status
        action.save(update_fields=["status"])
    return update


def tier2_group_create(*, alliance, name: str, members) -> Tier2Group:
    """A new Tier 2 group of the alliance with its members; names are unique per alliance."""
    name = (name or "").strip()
    if Tier2Group.objects.filter(alliance=alliance, name__iexact=name).exists():
        raise ValidationError({"name": "There is already a group with this name."})
    with transaction.atomic():
        group = Tier2Group.objects.create(alliance=alliance, name=name)
        group.members.set(members)
    return group
