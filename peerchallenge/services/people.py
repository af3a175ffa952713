"""Writes: every change to alliances, memberships, invitations and councils goes through here.

Functions are named `<entity>_<action>`, take keyword arguments only, and say in their
docstring what they write and what they send.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import KombuError

from ..models import (
    AccessLog,
    Alliance,
    Invitation,
    LocalAuthority,
    Membership,
    Role,
    User,
    validate_role_council,
)
from ..selectors import councils_of_alliance
from .email import email_queue, outbox_cancel


def _check_council(*, alliance: Alliance, role: str, local_authority) -> None:
    validate_role_council(role, local_authority)
    if (
        local_authority is not None
        and not councils_of_alliance(alliance=alliance).filter(pk=local_authority.pk).exists()
    ):
        message = f"{local_authority} is not one of {alliance.short_name}'s councils."
        raise ValidationError({"local_authority": message})


@transaction.atomic
def invitation_create(
    *,
    alliance: Alliance,
    email: str,
    full_name: str,
    role: str,
    local_authority: LocalAuthority | None,
    invited_by: User,
) -> tuple[Invitation, str]:
    """Create an invitation and queue its email in the outbox, all or nothing. Returns
    it with its token.

    Refuses (ValidationError) a person who already holds that role there. Inviting again a
    person with an open invitation for the same role sends a fresh invitation and cancels the
    old one (its link stops working): that is how an invitation is re-sent. If the email
    cannot be queued (the broker is down), nothing is saved and a ValidationError says so.
    """
    email = email.strip().lower()
    _check_council(alliance=alliance, role=role, local_authority=local_authority)
    if Membership.objects.filter(
        alliance=alliance, user__email__iexact=email, role=role, local_authority=local_authority
    ).exists():
        raise ValidationError({"email": "This person already has that role in this alliance."})
    try:
        with transaction.atomic():
            # An open invitation (pending, or expired unused) is replaced by the new one, and
            # its email is not sent if it is still waiting in the outbox.
            replaced = Invitation.objects.filter(
                alliance=alliance,
                email__iexact=email,
                role=role,
                accepted_at__isnull=True,
                cancelled_at__isnull=True,
            )

            for old_pk in replaced.values_list("pk", flat=True):
                outbox_cancel(dedupe_key=f"invitation:{old_pk}")
            replaced.update(cancelled_at=timezone.now())
            token, token_hash = Invitation.new_token()
            invitation = Invitation.objects.create(
                alliance=alliance,
                email=email,
                full_name=full_name.strip(),
                role=role,
                local_authority=local_authority,
                token_hash=token_hash,
                invited_by=invited_by,
                expires_at=timezone.now() + timedelta(days=settings.PEERCHALLENGE_INVITATION_DAYS),
            )
            invitation_email_queue(invitation=invitation, token=token)
    except (KombuError, OSError) as error:
        raise ValidationError(
            "The invitation email could not be sent just now, so no invitation was made. "
            "Try again in a few minutes."
        ) from error
    return invitation, token


def invitation_email_queue(*, invitation: Invitation, token: str) -> None:
    """Queue the invitation's email, inside the caller's transaction: if it cannot be queued
    the invitation is not saved. The one place that hands the email on (point it at a
    durable outbox)."""
    invitation_send_email(invitation=invitation, token=token)


def invitation_send_email(*, invitation: Invitation, token: str) -> None:
    """Queue the invitation email with the one link that carries the token (in the outbox,
    whose copy of the link is erased once sent)."""
    email_queue(
        template="invitation",
        to=[invitation.email],
        context={
            "invitation": invitation,
            "accept_url": settings.SITE_URL + reverse("invitation_accept", args=[token]),
        },
        dedupe_key=f"invitation:{invitation.pk}",
        alliance=invitation.alliance,
        sensitive=True,
    )


def invitation_cancel(*, invitation: Invitation) -> None:
    """Mark a pending invitation cancelled; its link stops working, and its email is not
    sent if it is still waiting in the outbox."""
    if invitation.accepted_at is None and invitation.cancelled_at is None:
        invitation.cancelled_at = timezone.now()
        invitation.save(update_fields=["cancelled_at"])
        outbox_cancel(dedupe_key=f"invitation:{invitation.pk}")


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User | None = None, full_name: str = "", password: str = ""
) -> User:
    """Accept an invitation: create the person (with a verified email) if new, add the role.

    Either `user` (an existing, signed-in person whose address matches) or a name and
    password for a new account.
    """
    if not invitation.is_pending:
        raise ValidationError("This invitation has expired or has already been used.")
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError("An account with this email address exists: sign in first.")
        user = User.objects.create_user(
            email=invitation.email, password=password, full_name=full_name or invitation.full_name
        )
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError("This invitation was sent to a different email address.")
    # Following the link in the email proves the address.
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    try:
        with transaction.atomic():
            Membership.objects.create(
                alliance=invitation.alliance,
                user=user,
                role=invitation.role,
                local_authority=invitation.local_authority,
            )
    except IntegrityError:
        pass  # they already hold the role: accepting again changes nothing
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


def membership_change_role(
    *, membership: Membership, role: str, local_authority: LocalAuthority | None
) -> Membership:
    """Change a membership's role (and council). Keeps at least one alliance admin."""
    _check_council(alliance=membership.alliance, role=role, local_authority=local_authority)
    if membership.role == Role.ALLIANCE_ADMIN and role != Role.ALLIANCE_ADMIN:
        _ensure_another_admin(membership)
    if (
        Membership.objects.filter(
            alliance=membership.alliance,
            user=membership.user,
            role=role,
            local_authority=local_authority,
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError({"role": "This person already holds that role."})
    membership.role = role
    membership.local_authority = local_authority
    membership.save(update_fields=["role", "local_authority"])
    return membership


def membership_remove(*, membership: Membership) -> None:
    """Remove a membership. Keeps at least one alliance admin."""
    if membership.role == Role.ALLIANCE_ADMIN:
        _ensure_another_admin(membership)
    membership.delete()


def _ensure_another_admin(membership: Membership) -> None:
    others = Membership.objects.filter(
        alliance=membership.alliance, role=Role.ALLIANCE_ADMIN
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(
            {"role": "An alliance needs at least one admin. Make someone else admin first."}
        )


def access_log_record(
    *,
    alliance: Alliance,
    user: User,
    action: str,
    obj,
    ip_address: str | None,
    description: str = "",
) -> AccessLog:
    """Write one line of the access log: who saw or downloaded which record (`description`
    says what of it, in words, where the record's own name would not)."""
    return AccessLog.objects.create(
        alliance=alliance,
        user=user,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=(description or str(obj))[:300],
        ip_address=ip_address,
    )
