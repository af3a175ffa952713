"""Writes for the officers a participating council nominates to an event: the nomination,
with its invitation and calendar file, and its withdrawal."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from peerchallenge.models import LocalAuthority, User

from ..models import Nomination, ThematicEvent
from .emails import email_send_with_event
from .events import event_council_ids_of


@transaction.atomic
def nomination_add(
    *,
    event: ThematicEvent,
    council: LocalAuthority,
    full_name: str,
    job_role: str,
    email: str,
    nominated_by: User,
) -> Nomination:
    """Nominate an officer of a participating council and email them an invitation (once
    the nomination is saved) with the event's calendar file, and the key lines of enquiry
    when they are already published (the nominee missed that email)."""
    full_name, job_role = (full_name or "").strip(), (job_role or "").strip()
    email = (email or "").strip()
    # Lock the event as event_change does, so a council cannot be removed from the event
    # while one of its officers is being nominated (nor one person nominated twice at once).
    ThematicEvent.objects.select_for_update().filter(pk=event.pk).first()
    # Read again under the lock: the invitation tells of the arrangements and KLOEs as they
    # are now, which may have changed since `event` was loaded.
    event.refresh_from_db()
    errors = {}
    if council is None or council.pk not in event_council_ids_of(event):
        errors["council"] = "This council is not taking part in the event."
    if not full_name:
        errors["full_name"] = "Enter the officer's full name."
    if not job_role:
        errors["job_role"] = "Enter the officer's role."
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Enter an email address in the correct format, like name@example.org."
    else:
        if event.nominations.filter(email__iexact=email).exists():
            errors["email"] = "This person is already nominated for the event."
    if event.is_past:
        errors["__all__"] = "The event has taken place: nominations are closed."
    if errors:
        raise ValidationError(errors)
    nomination = Nomination.objects.create(
        alliance_id=event.alliance_id,
        event=event,
        council=council,
        full_name=full_name,
        job_role=job_role,
        email=email,
        nominated_by=nominated_by,
    )
    path = reverse(
        "thematic:event_detail", kwargs={"alliance": event.alliance.slug, "event": event.pk}
    )
    kloes = list(event.kloes.all()) if event.kloes_published else []
    email_send_with_event(
        template="thematic_invitation",
        to=[nomination.email],
        context={"event": event, "nomination": nomination, "path": path, "kloes": kloes},
    )
    # Queued in the outbox with the nomination (delivered once this commits).
    Nomination.objects.filter(pk=nomination.pk).update(invited_at=timezone.now())
    return nomination


def nomination_withdraw(*, nomination: Nomination) -> None:
    if nomination.event.is_past:
        raise ValidationError("The event has taken place: its nominations are kept.")
    nomination.delete()
