"""Celery tasks: thin. Take ids, load under scopes_disabled, return quietly if gone."""

from celery import shared_task
from django_scopes import scope, scopes_disabled

from .models import Invitation
from .services import invitation_send_email


@shared_task(
    name="peerchallenge.invitations.send",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def invitation_send(invitation_id: int, token: str) -> None:
    """Send the invitation e-mail, unless the invitation was cancelled or used meanwhile."""
    # Task entry point: no request scope here; the invitation names its alliance.
    with scopes_disabled():
        invitation = Invitation.objects.select_related("alliance").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_pending:
        return
    with scope(alliance=invitation.alliance):
        invitation_send_email(invitation=invitation, token=token)
