"""Stored versions of rendered reports.

Files live in the default storage under a random name, like evidence documents: no URL
serves that folder (settings: STORAGES, base_url None); `reports.views` streams a file to
whoever may download it and writes the access log."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from peerchallenge.models import AllianceOwned


def _report_path(version: "ReportVersion", filename: str) -> str:
    # A random name: the download name is kept in the database, never used as a path.
    return f"reports/{version.alliance_id}/{uuid.uuid4().hex}"


class ReportVersion(AllianceOwned):
    """One rendering of a registered report about one object, numbered 1, 2, ... per
    (report, subject). Each request adds a version; earlier ones stay downloadable.

    The row is the durable record of the work, not the queue message: pending (queued;
    `queued_at` says when it was last handed to the broker, None while the broker was
    unreachable), rendering (a worker holds it since `started_at`, its lease), rendered or
    failed. The reaper (`reports.services.report_reap`, on the beat) queues again what the
    broker lost or a dead worker left, and fails a version after MAX_ATTEMPTS starts."""

    class Status(models.TextChoices):
        PENDING = "pending", "Queued"
        RENDERING = "rendering", "Being produced"
        RENDERED = "rendered", "Ready"
        FAILED = "failed", "Could not be produced"

    report = models.CharField(max_length=100)  # the registry identifier, e.g. "triads.summary"
    title = models.CharField(max_length=200)  # the report's title when it was requested
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to=_report_path, max_length=200, blank=True)
    filename = models.CharField(max_length=255, blank=True)  # what a download is saved as
    size = models.PositiveBigIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    rendered_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)  # last handed to the broker
    # The broker refused it when last handed over (None once it takes it).
    unqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)  # a worker's lease
    attempts = models.PositiveSmallIntegerField(default=0)  # renders started
    error = models.TextField(blank=True)
    # What the person chose for this version, read by the report (an export's filters).
    options = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["report", "subject_type", "subject_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "subject_type", "subject_id", "number"],
                name="report_version_once",
            )
        ]
        permissions = [("download_report", "Can download a rendered report")]

    def __str__(self):
        return f"{self.title} (version {self.number})"

    @property
    def is_rendered(self) -> bool:
        return self.status == self.Status.RENDERED

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_waiting_for_the_service(self) -> bool:
        """Queued while the task broker was unreachable: the reaper hands it over later."""
        return (
            self.status == self.Status.PENDING
            and self.queued_at is None
            and self.unqueued_at is not None
        )

    @property
    def state_note(self) -> str:
        """What a person is told about a version that is not ready (lower case, to follow
        "Version 2: ")."""
        if self.is_waiting_for_the_service:
            return "queued, it will be produced when the report service is back"
        return self.get_status_display().lower()
