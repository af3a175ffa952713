"""Celery tasks: thin. Take ids, load under scopes_disabled, return quietly if gone."""

import logging

from celery import shared_task
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from .heartbeat import heartbeat_record
from .models import Alliance, Invitation
from .reminders import reminders_send
from .services import invitation_send_email

logger = logging.getLogger(__name__)


class _NotCommittedYet(Exception):
    """The invitation's row is not visible yet: it is queued inside its transaction."""


@shared_task(
    name="peerchallenge.invitations.send",
    autoretry_for=(OSError, _NotCommittedYet),
    retry_backoff=True,
    max_retries=5,
)
def invitation_send(invitation_id: int, token: str) -> None:
    """Send the invitation e-mail, unless the invitation was cancelled or used meanwhile.

    It is queued before its transaction commits (so that a broker failure saves nothing):
    a row not found yet is looked for again a few times, then the task gives up (the
    transaction was rolled back)."""
    # Task entry point: no request scope here; the invitation names its alliance.
    with scopes_disabled():
        invitation = Invitation.objects.select_related("alliance").filter(pk=invitation_id).first()
    if invitation is None:
        raise _NotCommittedYet(invitation_id)
    if not invitation.is_pending:
        return
    with scope(alliance=invitation.alliance):
        invitation_send_email(invitation=invitation, token=token)


@shared_task(name="peerchallenge.reminders.scan")
def reminders_scan() -> int:
    """The daily beat task: send every alliance's reminders due today. Idempotent: a second
    run (or a racing worker) sends nothing twice (see peerchallenge.reminders)."""
    # Beat entry point: no request scope; the scan visits every alliance in turn.
    with scopes_disabled():
        alliances = list(Alliance.objects.order_by("pk"))
    today = timezone.localdate()
    sent = 0
    for alliance in alliances:
        with scope(alliance=alliance):
            try:
                sent += reminders_send(alliance=alliance, today=today)
            except Exception:
                # One alliance's failure must not hold back the others' reminders.
                logger.exception("Reminder scan failed for alliance %s", alliance.pk)
    return sent


@shared_task(name="peerchallenge.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """The worker's heartbeat for /healthz, sent by beat every minute (beat records its own
    as it sends it)."""
    heartbeat_record(process="worker")
