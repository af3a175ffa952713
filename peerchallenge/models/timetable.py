"""An on-site timetable: sessions by day and time, with a room and the peers attending.
Shared by the offers that run on-site days (the LGA's peer challenge, on-demand reviews);
the clash rules live in peerchallenge.services.timetable."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .tenancy import AllianceOwned


class SessionKind(models.TextChoices):
    OVERVIEW = "overview", "Council overview presentation"
    INTERVIEW = "interview", "Interview"
    FOCUS_GROUP = "focus_group", "Focus group"
    OBSERVATION = "observation", "Practice observation"
    SITE_VISIT = "site_visit", "Site visit"
    CASE_RECORDS = "case_records", "Case record sampling"
    TEAM_TIME = "team_time", "Peer team time"
    FEEDBACK = "feedback", "Feedback presentation"
    OTHER = "other", "Other"


class Session(AllianceOwned):
    challenge_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    challenge_id = models.PositiveBigIntegerField()
    challenge = GenericForeignKey("challenge_type", "challenge_id")
    kind = models.CharField(max_length=20, choices=SessionKind.choices)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    room = models.CharField(max_length=120, blank=True)
    attendees = models.TextField("who attends from the council and partners", blank=True)
    peers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[peers])

    class Meta:
        ordering = ["starts_at", "room", "pk"]
        indexes = [models.Index(fields=["challenge_type", "challenge_id", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return self.title
