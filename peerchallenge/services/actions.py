"""Writes for agreed actions, shared by every offer."""

import datetime
import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..dates import day_text
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
    errors = _wording_errors(what=what, owner=owner, due_date=due_date, agreed_on=not_before)
    if tier2_group is not None and tier2_group.alliance_id != source.alliance_id:
        errors["tier2_group"] = "Choose one of this alliance's Tier 2 groups."
    if errors:
        raise ValidationError(errors)
    action = Action(
        alliance_id=source.alliance_id,
        local_authority=local_authority,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        what=what.strip(),
        owner=owner.strip(),
        due_date=due_date,
        tier2_group=tier2_group,
        created_by=created_by,
        # Without a rule from the offer, any due date was accepted: agreed today, or on the
        # due date when that is earlier (the rule then holds for what was accepted).
        agreed_on=not_before or min(timezone.localdate(), due_date),
    )
    action._history_user = created_by  # the history names who recorded it, request or not
    action.save()
    return action


def _wording_errors(*, what, owner, due_date, agreed_on) -> dict[str, str]:
    """What an action needs, whether it is being agreed or changed later."""
    errors = text_errors(what=("What", what, LONG), owner=("Owner", owner, SHORT))
    if not (what or "").strip():
        errors["what"] = "Enter what the council will do."
    if not (owner or "").strip():
        errors["owner"] = "Enter who owns the action (a name or a role)."
    elif len(owner.strip()) > Action._meta.get_field("owner").max_length:
        errors["owner"] = "The owner must be 200 characters or fewer."
    if due_date is None:
        errors["due_date"] = "Enter the date the action is due by."
    elif agreed_on and due_date < agreed_on:
        errors["due_date"] = (
            f"The due date must be on or after {day_text(agreed_on)}, the day it was agreed."
        )
    return errors


# What a person may change about an agreed action, in the order the history lists it.
CHANGEABLE_FIELDS = ("what", "owner", "due_date")


def action_fingerprint(action: Action) -> str:
    """A short digest of the changeable fields as they are now. The change form carries the
    one it was loaded with, so a save over someone else's newer change is refused, not
    silently lost."""
    text = "\x1f".join(str(getattr(action, name)) for name in CHANGEABLE_FIELDS)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class ActionRemoved(Exception):
    """The action was removed (by someone else, or by an earlier click) in the meantime."""


@transaction.atomic
def action_change(
    *,
    action: Action,
    what: str,
    owner: str,
    due_date: datetime.date | None,
    changed_by: User,
    fingerprint: str = "",
) -> list[str]:
    """Change an agreed action's wording, owner or due date; the due date stays on or after
    the day it was agreed. Writes one history record (who, when, what changed) when anything
    changed. Returns the names of the fields that changed (empty: nothing to save).
    Refuses (ValidationError) when `fingerprint` no longer matches the action, i.e. someone
    changed it since the form was loaded, and raises ActionRemoved for a removed action."""
    current = Action.all_objects.select_for_update().get(pk=action.pk)
    if current.is_removed:
        raise ActionRemoved
    errors = _wording_errors(
        what=what,
        owner=owner,
        due_date=due_date,
        # An unchanged due date stands as it was accepted.
        agreed_on=current.agreed_on if due_date != current.due_date else None,
    )
    if errors:
        raise ValidationError(errors)
    if fingerprint and fingerprint != action_fingerprint(current):
        raise ValidationError(
            "Someone else changed this action while you were editing it. "
            "Check the action as it is now and make your change again."
        )
    new = {"what": what.strip(), "owner": owner.strip(), "due_date": due_date}
    changed = [name for name in CHANGEABLE_FIELDS if getattr(current, name) != new[name]]
    if not changed:
        return []
    for name in changed:
        setattr(current, name, new[name])
    current._history_user = changed_by
    current.save(update_fields=changed)
    for name in changed:
        setattr(action, name, new[name])
    return changed


@transaction.atomic
def action_remove(*, action: Action, removed_by: User, reason: str) -> bool:
    """Remove an agreed action, with the reason: a soft delete that keeps the action and its
    history, so plans, boards, counts and reminders leave it out while its page still says
    who removed it, when and why. Returns False (and changes nothing) when it was already
    removed, so a second click is harmless."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the action is being removed."})
    current = Action.all_objects.select_for_update().get(pk=action.pk)
    if current.is_removed:
        return False
    current.removed_at = timezone.now()
    current.removed_by = removed_by
    current.removal_reason = reason
    current._history_user = removed_by
    current.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    action.removed_at, action.removed_by, action.removal_reason = (
        current.removed_at,
        removed_by,
        reason,
    )
    return True


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
    if action.is_removed:
        raise ValidationError("This action has been removed: it takes no more updates.")
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
