"""The one way the application sends email: queue it in the outbox, deliver it from a task.

`email_queue` renders a message (`templates/emails/<template>_subject.txt`, `.txt`, `.html`)
and writes an `OutboundEmail` row in the caller's transaction, so the mail exists exactly
when the thing that causes it does. Once that transaction commits, one Celery task per row
(`peerchallenge.outbox.deliver`) claims the row, hands the message to the mail server and
marks it sent; a claim is a conditional UPDATE, so a row already sent (or being sent) is
never sent again by a retry or a duplicate task. A failed attempt puts the row back with an
exponential backoff; after `OUTBOX_MAX_ATTEMPTS` it is failed (see docs/operations.md to
retry). `outbox_sweep` (beat, every minute) re-queues rows that are due and not sent: a task
lost with Redis, a worker killed mid-send. Nothing here raises into a web request because
the mail server or the broker is down: the row waits for the next try.

The one gap no outbox can close: a worker killed after the mail server accepted a message
but before the row is marked sent. The row is then sent again once its claim goes stale, with
the same Message-ID (mail clients show one message per Message-ID).
"""

import logging
import uuid
from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from ..models import Alliance, OutboundEmail

logger = logging.getLogger(__name__)

State = OutboundEmail.State
SWEEP_BATCH = 1000


def _setting(name: str, default):
    return getattr(settings, name, default)


def email_render(*, template: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, HTML) of `emails/<template>`, with `site_url` in the context."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = _plain(f"emails/{template}_subject.txt", context).strip()
    text = _plain(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    return " ".join(subject.split()), text, html


def email_queue(
    *,
    template: str,
    to: list[str],
    context: dict,
    attachments: Iterable[tuple[str, str, str]] = (),
    dedupe_key: str = "",
    alliance: Alliance | None = None,
    sensitive: bool = False,
) -> OutboundEmail:
    """Render `emails/<template>` and queue it for `to`, with any `attachments` as (file
    name, content, MIME type). Writes one `OutboundEmail` row in the current transaction and
    delivers it from a task once that commits. With `dedupe_key`, queueing the same key again
    returns the first row and sends nothing more. `sensitive`: the message carries a secret
    (e.g. a sign-in link), so its bodies are erased once sent."""
    subject, text, html = email_render(template=template, context=context)
    email, _created = outbox_add(
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        attachments=attachments,
        template=template,
        dedupe_key=dedupe_key,
        alliance=alliance,
        sensitive=sensitive,
    )
    return email


def outbox_add(
    *,
    to: list[str],
    subject: str,
    body_text: str,
    body_html: str = "",
    attachments: Iterable[tuple[str, str, str]] = (),
    template: str = "",
    dedupe_key: str = "",
    alliance: Alliance | None = None,
    sensitive: bool = False,
) -> tuple[OutboundEmail, bool]:
    """Write one already rendered message to the outbox; (row, created). A `dedupe_key`
    already there returns the existing row, created False, and queues nothing."""
    key = dedupe_key or f"once:{uuid.uuid4().hex}"
    try:
        # A savepoint: a duplicate key leaves the caller's transaction usable.
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                alliance=alliance,
                dedupe_key=key,
                template=template,
                to=list(to),
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                attachments=[list(attachment) for attachment in attachments],
                message_id=_message_id(),
                sensitive=sensitive,
            )
    except IntegrityError:
        return OutboundEmail.objects.get(dedupe_key=key), False
    outbox_dispatch_on_commit(email_ids=[email.pk])
    return email, True


def outbox_add_many(messages: list[dict]) -> dict[str, OutboundEmail]:
    """Write many already rendered messages (the keyword arguments of `outbox_add`, each
    with a `dedupe_key`) in one insert; return the rows written, by dedupe key. A key
    already there (another scan's, racing) is skipped, not an error, and queues nothing."""
    rows = [
        OutboundEmail(
            alliance=message.get("alliance"),
            dedupe_key=message["dedupe_key"],
            template=message.get("template", ""),
            to=list(message["to"]),
            subject=message["subject"],
            body_text=message["body_text"],
            body_html=message.get("body_html", ""),
            attachments=[list(a) for a in message.get("attachments", ())],
            message_id=_message_id(),
            sensitive=message.get("sensitive", False),
        )
        for message in messages
    ]
    if not rows:
        return {}
    # ON CONFLICT DO NOTHING leaves no ids on the rows: read back the keys, and a row is
    # ours where its message id is the one we wrote (a racing scan's has its own).
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True)
    ours = {row.dedupe_key: row.message_id for row in rows}
    written = {
        email.dedupe_key: email
        for email in OutboundEmail.objects.filter(dedupe_key__in=list(ours))
        if email.message_id == ours[email.dedupe_key]
    }
    outbox_dispatch_on_commit(email_ids=[email.pk for email in written.values()])
    return written


def outbox_dispatch_on_commit(*, email_ids: list[int]) -> None:
    """Enqueue a delivery task for each row once the current transaction commits."""
    if email_ids:
        transaction.on_commit(lambda: outbox_dispatch(email_ids=email_ids), robust=True)


def outbox_dispatch(*, email_ids: list[int]) -> None:
    """Enqueue one delivery task per row, now. A broker that is down is logged, not raised:
    the sweeper enqueues the rows again later."""
    # Here, not at the top: peerchallenge.tasks imports this module, through reminders (a cycle).
    from ..tasks import outbox_deliver_task

    OutboundEmail.objects.filter(pk__in=email_ids, state=State.QUEUED).update(
        dispatched_at=timezone.now()
    )
    for email_id in email_ids:
        try:
            outbox_deliver_task.apply_async((email_id,), retry=False)
        except Exception:
            logger.warning(
                "Could not queue email %s for delivery; the sweeper will", email_id, exc_info=True
            )


def outbox_deliver(*, email_id: int) -> bool:
    """Claim the row and send it; True if this call sent it.

    The claim is a conditional UPDATE (queued and due -> sending) that only one caller can
    win, so a row that is sent, being sent or not yet due is left alone. A failure puts the
    row back for a later try (or fails it after the last attempt) and is not raised, except a
    soft time limit, which must stop the task."""
    now = timezone.now()
    won = OutboundEmail.objects.filter(
        pk=email_id, state=State.QUEUED, next_attempt_at__lte=now
    ).update(state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not won:
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        _message(email).send()
    except Exception as error:
        _record_failure(email=email, error=error)
        if isinstance(error, SoftTimeLimitExceeded):
            raise
        return False
    erase = {"body_text": "", "body_html": "", "attachments": []} if email.sensitive else {}
    OutboundEmail.objects.filter(pk=email_id).update(
        state=State.SENT, sent_at=timezone.now(), last_error="", **erase
    )
    logger.info("Sent email %s (%s)", email_id, email.template or "no template")
    return True


def outbox_sweep() -> int:
    """Re-queue what is due and not sent; return how many rows were enqueued.

    A row claimed longer ago than `OUTBOX_SENDING_TIMEOUT` (longer than the delivery task may
    run) belongs to a worker that died: it goes back to queued. A queued row that is due and
    was not enqueued within `OUTBOX_REDISPATCH_AFTER` (its task lost with the broker, or a
    retry whose backoff has passed) is enqueued again."""
    now = timezone.now()
    sending_timeout = timedelta(seconds=_setting("OUTBOX_SENDING_TIMEOUT", 180))
    redispatch_after = timedelta(seconds=_setting("OUTBOX_REDISPATCH_AFTER", 300))
    stale = OutboundEmail.objects.filter(
        state=State.SENDING, claimed_at__lt=now - sending_timeout
    ).update(
        state=State.QUEUED,
        dispatched_at=None,
        last_error="The worker sending it stopped before it was marked sent.",
    )
    if stale:
        logger.warning("%d email(s) were being sent by a worker that stopped; re-queued", stale)
    due = list(
        OutboundEmail.objects.filter(state=State.QUEUED, next_attempt_at__lte=now)
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lte=now - redispatch_after))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    outbox_dispatch(email_ids=due)
    return len(due)


def outbox_retry(*, email_ids: Iterable[int]) -> int:
    """Give failed rows a fresh set of attempts, now; return how many."""
    ids = list(
        OutboundEmail.objects.filter(pk__in=list(email_ids), state=State.FAILED).values_list(
            "pk", flat=True
        )
    )
    OutboundEmail.objects.filter(pk__in=ids).update(
        state=State.QUEUED, attempts=0, next_attempt_at=timezone.now(), dispatched_at=None
    )
    outbox_dispatch_on_commit(email_ids=ids)
    return len(ids)


def outbox_cancel(*, dedupe_key: str) -> bool:
    """Stop the message with this key if it is not sent yet (nor being sent)."""
    return bool(
        OutboundEmail.objects.filter(dedupe_key=dedupe_key, state=State.QUEUED).update(
            state=State.CANCELLED
        )
    )


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4 ... minutes, at most 2 hours."""
    base = _setting("OUTBOX_BACKOFF_SECONDS", 60)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 7200))


def _record_failure(*, email: OutboundEmail, error: BaseException) -> None:
    last = email.attempts >= _setting("OUTBOX_MAX_ATTEMPTS", 10)
    message = f"{type(error).__name__}: {error}"[:2000]
    logger.warning(
        "Email %s failed (attempt %d%s): %s",
        email.pk,
        email.attempts,
        ", the last" if last else "",
        message,
    )
    OutboundEmail.objects.filter(pk=email.pk).update(
        state=State.FAILED if last else State.QUEUED,
        next_attempt_at=timezone.now() + backoff(email.attempts),
        dispatched_at=None,
        last_error=message,
    )


def _message(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=None,
        to=email.to,
        headers={"Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for name, content, mimetype in email.attachments:
        message.attach(name, content, mimetype)
    return message


def _message_id() -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


def _plain(name: str, context: dict) -> str:
    """A plain-text part: no HTML escaping (an apostrophe stays an apostrophe)."""
    return get_template(name).template.render(Context(context, autoescape=False))
