"""Celery tasks: thin. Take ids, load under scopes_disabled, return quietly if gone."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from .form_tokens import form_tokens_purge as purge
from .heartbeat import heartbeat_record
from .models import Alliance, Invitation
from .reminders import reminders_queue
from .services import invitation_send_email
from .services.email import outbox_deliver, outbox_sweep

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
    """Send the invitation email, unless the invitation was cancelled or used meanwhile.

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
    """The daily beat task: queue every alliance's reminders due today in the outbox; it
    sends nothing itself (the outbox's tasks do). Idempotent: a second run (or a racing
    worker) queues nothing twice (see peerchallenge.reminders)."""
    # Beat entry point: no request scope; the scan visits every alliance in turn.
    with scopes_disabled():
        alliances = list(Alliance.objects.order_by("pk"))
    today = timezone.localdate()
    queued = 0
    for alliance in alliances:
        with scope(alliance=alliance):
            try:
                queued += reminders_queue(alliance=alliance, today=today)
            except SoftTimeLimitExceeded:
                raise  # out of time: stop; the next run queues what this one did not
            except Exception:
                # One alliance's failure must not hold back the others' reminders.
                logger.exception("Reminder scan failed for alliance %s", alliance.pk)
    return queued


@shared_task(name="peerchallenge.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """The worker's heartbeat for /healthz, sent by beat every minute (beat records its own
    as it sends it)."""
    heartbeat_record(process="worker")


@shared_task(name="peerchallenge.form_tokens.purge")
def form_tokens_purge() -> int:
    """The daily beat task: forget one-time form tokens older than
    PEERCHALLENGE_FORM_TOKEN_DAYS (peerchallenge.form_tokens). Idempotent."""
    return purge()


# One message per task, however slow the mail server: well inside the hard limit, and the
# sweeper's stale-claim timeout (OUTBOX_SENDING_TIMEOUT) is longer than this limit.
@shared_task(
    name="peerchallenge.outbox.deliver",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    time_limit=settings.OUTBOX_TASK_TIME_LIMIT,
    soft_time_limit=settings.OUTBOX_TASK_TIME_LIMIT - 10,
)
def outbox_deliver_task(email_id: int) -> bool:
    """Deliver one outbox row, unless it is sent, being sent or not yet due. Idempotent."""
    # Task entry point: the outbox is not tenant-scoped; nothing here reads alliance data.
    with scopes_disabled():
        return outbox_deliver(email_id=email_id)


@shared_task(name="peerchallenge.outbox.sweep", ignore_result=True)
def outbox_sweep_task() -> int:
    """Beat, every minute: re-queue outbox rows that are due and not sent."""
    with scopes_disabled():
        return outbox_sweep()
