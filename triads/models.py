"""A biennial cycle of triad peer challenges: councils in groups of three (or four), each
with an independent consultant."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from peerchallenge.models import Alliance, AllianceOwned, LocalAuthority

# Default deadlines, counted from the event day.
KLOES_DUE_BEFORE = timedelta(weeks=4)
TEMPLATES_DUE_AFTER = timedelta(weeks=1)
REPORT_DUE_AFTER = timedelta(weeks=6)


class Cycle(AllianceOwned):
    # Overridden only so that the migration state stays as it is: nothing reads
    # `alliance.cycles` (`cycles_of_alliance` reads through the scoped manager); dropping the
    # accessor is a state-only migration, for a day this app makes one anyway.
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(max_length=200)
    event_date = models.DateField("date of the event")
    venue = models.CharField(max_length=300, blank=True)
    online_link = models.URLField("online meeting link", blank=True)
    councils = models.ManyToManyField(
        LocalAuthority, related_name="triad_cycles", verbose_name="participating councils"
    )
    kloes_due = models.DateField("key lines of enquiry shared by")
    templates_due = models.DateField("event-day templates completed by")
    report_due = models.DateField("summary report issued by")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[councils])

    class Meta:
        ordering = ["-event_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "name"], name="cycle_unique_name")
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def default_deadlines(event_date) -> dict:
        return {
            "kloes_due": event_date - KLOES_DUE_BEFORE,
            "templates_due": event_date + TEMPLATES_DUE_AFTER,
            "report_due": event_date + REPORT_DUE_AFTER,
        }

    def clean(self):
        errors = {}
        if self.event_date and self.kloes_due and self.kloes_due > self.event_date:
            errors["kloes_due"] = "Key lines of enquiry must be shared on or before the event."
        for field in ("templates_due", "report_due"):
            due = getattr(self, field)
            if self.event_date and due and due < self.event_date:
                label = self._meta.get_field(field).verbose_name
                errors[field] = f"The date “{label}” must be on or after the event."
        if errors:
            raise ValidationError(errors)

    @property
    def is_past(self) -> bool:
        return self.event_date < timezone.localdate()


class Triad(AllianceOwned):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="triads")
    number = models.PositiveSmallIntegerField()
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consulted_triads",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="triad_unique_number")
        ]

    def __str__(self):
        return f"Triad {self.number}"


class TriadMember(AllianceOwned):
    """A council in a triad. One triad per council per cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="members")
    triad = models.ForeignKey(Triad, on_delete=models.CASCADE, related_name="members")
    council = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["triad__number", "council__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "council"], name="triad_member_once")
        ]

    def __str__(self):
        return f"{self.council} in {self.triad}"


# django-guardian with direct foreign keys (not its generic tables): a person's rights on one
# triad, e.g. its consultant's.
class TriadUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Triad, on_delete=models.CASCADE)


class TriadGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Triad, on_delete=models.CASCADE)


class EventTemplate(AllianceOwned):
    """A council's standard event-day template: its next steps (the agreed actions are
    peerchallenge.Action rows whose source is the cycle). It seeds the improvement plan."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="templates")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+", verbose_name="council"
    )
    next_steps = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "local_authority"], name="template_once")
        ]

    def __str__(self):
        return f"Event-day template of {self.local_authority} for {self.cycle}"


class CycleSummary(AllianceOwned):
    """The summary report's text, written by the lead consultant and the programme manager
    after the event; each triad's section is `TriadSummary`."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="summary")
    overview = models.TextField(blank=True)
    recommendations = models.TextField(
        "recommendations for addressing identified challenges", blank=True
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self):
        return f"Summary of {self.cycle}"


class TriadSummary(AllianceOwned):
    triad = models.OneToOneField(Triad, on_delete=models.CASCADE, related_name="summary")
    text = models.TextField(blank=True)

    def __str__(self):
        return f"Summary of {self.triad}"


class SupportOffer(AllianceOwned):
    """LA-to-LA support: council X offers support to council Y on a topic."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="support_offers")
    from_council = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    to_council = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(max_length=300)

    class Meta:
        ordering = ["from_council__name", "pk"]

    def __str__(self):
        return f"{self.from_council} supports {self.to_council} on {self.topic}"
