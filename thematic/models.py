"""Thematic peer challenges: an event of a few hours to a day on one theme, with officers
nominated by each participating council, key lines of enquiry published in advance, each
council's next steps afterwards (they become agreed actions monitored by the theme's Tier 2
group), and a brief summary of emerging themes issued as a PDF."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from peerchallenge.models import AllianceOwned, LocalAuthority, Tier2Group

STANDARD_THEMES = [
    "Reduction of Harm",
    "Reforms Implementation",
    "Abuse and Violence",
    "Partnership Engagement",
]

# Default deadlines, counted from the event day.
NOMINATIONS_DUE_BEFORE = timedelta(weeks=2)
NEXT_STEPS_DUE_AFTER = timedelta(weeks=2)


class Theme(AllianceOwned):
    """One area of practice the alliance runs thematic challenges on."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "alliance", name="thematic_theme_unique_name")
        ]

    def __str__(self):
        return self.name


class ThemeSuggestion(AllianceOwned):
    """A council member's suggestion of a new theme, supported by others, decided by the
    programme manager or coordinator."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    name = models.CharField("theme", max_length=120)
    reason = models.TextField("why this theme")
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    council = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "alliance",
                condition=models.Q(status="open"),
                name="thematic_one_open_suggestion_per_name",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class SuggestionSupport(AllianceOwned):
    suggestion = models.ForeignKey(
        ThemeSuggestion, on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "user"], name="thematic_support_once")
        ]

    def __str__(self):
        return f"{self.user} supports {self.suggestion}"


class ThematicEvent(AllianceOwned):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="events")
    date = models.DateField("date of the event")
    start_time = models.TimeField("starts at")
    end_time = models.TimeField("ends at")
    format = models.CharField(max_length=10, choices=Format.choices)
    venue = models.CharField(max_length=300, blank=True)
    online_link = models.URLField("online meeting link", blank=True)
    councils = models.ManyToManyField(
        LocalAuthority, related_name="thematic_events", verbose_name="participating councils"
    )
    tier2_group = models.ForeignKey(
        Tier2Group,
        on_delete=models.PROTECT,
        related_name="thematic_events",
        verbose_name="Tier 2 group that owns the theme",
    )
    nominations_due = models.DateField("officers nominated by")
    next_steps_due = models.DateField("next steps submitted by")
    kloes_published_at = models.DateTimeField(null=True, blank=True)
    # The iCalendar SEQUENCE of the entry emailed to the nominees: raised each time the
    # arrangements change, so their calendars take the update over the earlier copy.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[councils])

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = "thematic event"

    def __str__(self):
        return f"{self.theme.name} thematic challenge, {self.date.day} {self.date:%B %Y}"

    @staticmethod
    def default_deadlines(date) -> dict:
        return {
            "nominations_due": date - NOMINATIONS_DUE_BEFORE,
            "next_steps_due": date + NEXT_STEPS_DUE_AFTER,
        }

    @property
    def is_past(self) -> bool:
        return self.date < timezone.localdate()

    @property
    def where(self) -> str:
        return self.venue if self.format == self.Format.IN_PERSON else self.online_link

    @property
    def kloes_published(self) -> bool:
        return self.kloes_published_at is not None


class EventKloe(AllianceOwned):
    """A key line of enquiry of the event's theme, written by the planners for every
    participant (peerchallenge's KLOE belongs to one council; these belong to the event)."""

    event = models.ForeignKey(ThematicEvent, on_delete=models.CASCADE, related_name="kloes")
    question = models.TextField("the line of enquiry")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "key line of enquiry"

    def __str__(self):
        return self.question[:80]


class Nomination(AllianceOwned):
    """An officer a participating council sends to the event."""

    event = models.ForeignKey(ThematicEvent, on_delete=models.CASCADE, related_name="nominations")
    council = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField("full name", max_length=200)
    job_role = models.CharField("role", max_length=200)
    email = models.EmailField("email address")
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    invited_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "full_name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("email"), "event", name="thematic_nominee_once")
        ]

    def __str__(self):
        return f"{self.full_name} ({self.council})"


class NextSteps(AllianceOwned):
    """A council's completed 'next steps' template; its rows are Actions whose source is
    the event. Accepted after the deadline too, marked late."""

    event = models.ForeignKey(ThematicEvent, on_delete=models.CASCADE, related_name="next_steps")
    council = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField("what the council took from the event", blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_late = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name"]
        verbose_name = "next steps template"
        constraints = [
            models.UniqueConstraint(fields=["event", "council"], name="thematic_next_steps_once")
        ]

    def __str__(self):
        return f"Next steps of {self.council} for {self.event}"


class EmergingSummary(AllianceOwned):
    """The brief summary of emerging themes and proposed next steps across councils."""

    event = models.OneToOneField(ThematicEvent, on_delete=models.CASCADE, related_name="summary")
    emerging_themes = models.TextField("emerging themes", blank=True)
    proposed_next_steps = models.TextField("proposed next steps", blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # First issued: from then on participants read each other's next steps.
    issued_at = models.DateTimeField(null=True, blank=True)
    # What the last issue showed (services.summary_fingerprint): the same content is not
    # issued twice.
    issued_fingerprint = models.CharField(max_length=64, blank=True, default="")
    history = HistoricalRecords()

    def __str__(self):
        return f"Summary of {self.event}"
