"""The outbox: every email the application sends, as a durable row written in the same
transaction as whatever causes it (see peerchallenge.services.email)."""

import uuid

from django.db import models
from django.utils import timezone

from .core import Alliance


class OutboundEmail(models.Model):
    """One message to deliver. A Celery task per row delivers it; a sweeper re-queues rows
    whose task was lost. The state moves queued -> sending -> sent, or back to queued (with a
    later `next_attempt_at`) after a failed attempt, and to failed after the last attempt."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"  # no longer wanted, e.g. a cancelled invitation

    # Not tenant-scoped on purpose: the outbox is the platform's, read by the delivery task,
    # the sweeper and the admin; an alliance sees its rows only through its own records (e.g.
    # ReminderLog.email). `alliance` says whose work caused the message, where one did.
    alliance = models.ForeignKey(
        Alliance, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Unique: queueing the same message twice (a re-run scan, a retried render) adds nothing.
    dedupe_key = models.CharField(max_length=255, unique=True)
    template = models.CharField(max_length=100, blank=True)
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=998)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # [[file name, content, MIME type], ...], e.g. an event's iCalendar file.
    attachments = models.JSONField(default=list, blank=True)
    # The same Message-ID on every attempt, so a resend is recognisably the same message.
    message_id = models.CharField(max_length=255, unique=True)
    # Carries a secret (an invitation or sign-in link): its bodies are erased once sent.
    sensitive = models.BooleanField(default=False)

    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # Not before: the claim refuses a row whose time has not come (backoff after a failure).
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # When a delivery task was last enqueued for it; the sweeper re-queues after a while.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]
        verbose_name = "outbound email"

    def __str__(self):
        return f"{self.subject} to {', '.join(self.to)} ({self.state})"

    @staticmethod
    def new_message_id() -> str:
        return f"<{uuid.uuid4().hex}@peerchallenge.invalid>"
