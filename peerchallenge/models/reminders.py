"""E-mail reminders of stage deadlines: each alliance's settings, and the log of every send.

A `ReminderLog` row is claimed before its e-mail goes out; its unique key (kind, subject,
recipient, due date) is what makes a reminder go to each person at most once, however often
the daily scan runs and however many workers race."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from .core import Alliance


class ReminderSetting(models.Model):
    """An alliance's choice for one kind of reminder; a kind without a row uses its defaults."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    # Days before the due date (for an "overdue" kind: days after it).
    days = models.PositiveSmallIntegerField()
    enabled = models.BooleanField(default=True)

    objects = ScopedManager(alliance="alliance")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alliance", "kind"], name="reminder_setting_once")
        ]

    def __str__(self):
        return f"{self.kind}: {self.days} days"


class ReminderLog(models.Model):
    class Status(models.TextChoices):
        CLAIMED = "claimed", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    due_date = models.DateField("due by")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    email_subject = models.CharField("subject", max_length=300, blank=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)
    error = models.TextField(blank=True)

    objects = ScopedManager(alliance="alliance")

    class Meta:
        ordering = ["-claimed_at", "-pk"]
        constraints = [
            # The claim: one reminder of a kind, about one thing, to one person, per due date.
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "recipient", "due_date"],
                name="reminder_once",
            )
        ]
        indexes = [models.Index(fields=["alliance", "-claimed_at"])]

    def __str__(self):
        return f"{self.kind} to {self.recipient_id} ({self.status})"
