"""Email reminders of stage deadlines: each alliance's settings, and the log of every send.

A `ReminderLog` row is written with its email's outbox row (`OutboundEmail`) in one
transaction; its unique key (kind, subject, recipient, due date) is what makes a reminder go
to each person at most once, however often the daily scan runs and however many workers
race. Delivery, retries and the delivery state are the outbox's."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .outbox import OutboundEmail
from .tenancy import AllianceOwned


class ReminderSetting(AllianceOwned):
    """An alliance's choice for one kind of reminder; a kind without a row uses its defaults."""

    kind = models.CharField(max_length=40)
    # Days before the due date (for an "overdue" kind: days after it).
    days = models.PositiveSmallIntegerField()
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alliance", "kind"], name="reminder_setting_once")
        ]

    def __str__(self):
        return f"{self.kind}: {self.days} days"


class ReminderScan(AllianceOwned):
    """The last day whose reminder scan finished for the alliance: the next scan looks only
    at "overdue" reminders whose day has come since (peerchallenge.reminders)."""

    scanned_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alliance"], name="reminder_scan_once")]

    def __str__(self):
        return f"scanned on {self.scanned_on}"


class ReminderLog(AllianceOwned):
    Status = OutboundEmail.State

    kind = models.CharField(max_length=40)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    due_date = models.DateField("due by")
    email_subject = models.CharField("subject", max_length=300, blank=True)
    # When the scan recorded it (the name dates from when the scan also sent it).
    claimed_at = models.DateTimeField(default=timezone.now)
    email = models.OneToOneField(
        OutboundEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="reminder"
    )

    class Meta:
        ordering = ["-claimed_at", "-pk"]
        constraints = [
            # One reminder of a kind, about one thing, to one person, per due date.
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "recipient", "due_date"],
                name="reminder_once",
            )
        ]
        indexes = [
            models.Index(fields=["alliance", "-claimed_at"]),
            # The daily scan's "already queued?" read: a few weeks of due dates.
            models.Index(fields=["alliance", "kind", "due_date"], name="reminder_log_scan"),
        ]

    def __str__(self):
        return f"{self.kind} to {self.recipient_id} ({self.status})"

    # The delivery state is the outbox row's.
    @property
    def status(self) -> str:
        return self.email.state if self.email else ""

    @property
    def attempts(self) -> int:
        return self.email.attempts if self.email else 0

    @property
    def sent_at(self):
        return self.email.sent_at if self.email else None

    @property
    def error(self) -> str:
        return self.email.last_error if self.email else ""
