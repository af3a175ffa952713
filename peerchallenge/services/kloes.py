"""Writes for key lines of enquiry, shared by every offer."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..concurrency import record_lock_unchanged
from ..models import KeyLineOfEnquiry, KloeComment, LocalAuthority, User

KLOE_FIELDS = ("title", "question", "why_it_matters", "evidence")


def _check(fields: dict) -> None:
    errors = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = "Enter a short title."
    if not (fields.get("question") or "").strip():
        errors["question"] = "Enter the question the peers should explore."
    if errors:
        raise ValidationError(errors)


def kloe_create(
    *, challenge, local_authority: LocalAuthority, created_by: User, **fields
) -> KeyLineOfEnquiry:
    """A council's draft KLOE for a challenge (not shared with anyone yet)."""
    _check(fields)
    return KeyLineOfEnquiry.objects.create(
        alliance_id=challenge.alliance_id,
        local_authority=local_authority,
        challenge_type=ContentType.objects.get_for_model(challenge),
        challenge_id=challenge.pk,
        created_by=created_by,
        **{name: (fields.get(name) or "").strip() for name in KLOE_FIELDS},
    )


@transaction.atomic
def kloe_update(
    *, kloe: KeyLineOfEnquiry, base_version: str | None = None, **fields
) -> KeyLineOfEnquiry:
    """Change a KLOE's text (its history keeps every version). Raises EditConflict if
    someone saved it since `base_version` (the version the form was filled from:
    peerchallenge.concurrency), so the earlier save is not silently lost."""
    _check(fields)
    record_lock_unchanged(record=kloe, fields=KLOE_FIELDS, base_version=base_version)
    for name in KLOE_FIELDS:
        setattr(kloe, name, (fields.get(name) or "").strip())
    kloe.save()
    return kloe


def kloe_share(*, kloe: KeyLineOfEnquiry, shared_by: User) -> KeyLineOfEnquiry:
    """Mark a KLOE shared: from now on the challenge's audience may read it."""
    if kloe.shared_at is None:
        kloe.shared_at = timezone.now()
        kloe.shared_by = shared_by
        kloe.save(update_fields=["shared_at", "shared_by"])
    return kloe


def kloe_comment_add(*, kloe: KeyLineOfEnquiry, author: User, text: str) -> KloeComment:
    if not text.strip():
        raise ValidationError({"text": "Enter a comment."})
    return KloeComment.objects.create(
        alliance_id=kloe.alliance_id, kloe=kloe, author=author, text=text.strip()
    )
