"""Agreed actions: what a council agreed to do after a challenge, who owns it, by when, how
it is going (RAG), and which Tier 2 group monitors it. Shared by every offer."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from .core import Alliance, LocalAuthority
from .tenancy import AllianceOwned


class Tier2Group(AllianceOwned):
    """A named regional group that monitors agreed actions (e.g. "Safeguarding")."""

    # Overridden only so that the migration state stays as it is: nothing reads
    # `alliance.tier2_groups`; dropping the accessor is a state-only migration, for a day this
    # app makes one anyway.
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="tier2_groups")
    name = models.CharField(max_length=120)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "name"], name="tier2_group_unique_name")
        ]

    def __str__(self):
        return self.name


class ActionStatus(models.TextChoices):
    GREEN = "green", "On track"
    AMBER = "amber", "Some concerns"
    RED = "red", "Off track"
    COMPLETE = "complete", "Complete"


def _active(manager_class):
    """A manager class that leaves removed actions out."""

    class Active(manager_class):
        def get_queryset(self):
            return super().get_queryset().filter(removed_at__isnull=True)

    return Active


class Action(AllianceOwned):
    """An agreed action. Removing one is a soft delete (`removed_at`, `removed_by`,
    `removal_reason`): `Action.objects` leaves removed actions out, so every plan, board,
    count and reminder forgets them without asking; `Action.all_objects` still finds them
    for the action's own page and its history."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+", verbose_name="council"
    )
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    what = models.TextField("what the council will do")
    owner = models.CharField("owner", max_length=200)
    due_date = models.DateField("due by")
    tier2_group = models.ForeignKey(
        Tier2Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name="monitored by",
    )
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default="green")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The day it was agreed (the event day, the day findings were issued, ...): a due date
    # may not be earlier, when the action is agreed or later changed.
    agreed_on = models.DateField("agreed on", default=timezone.localdate)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    removal_reason = models.TextField("reason for removing it", blank=True)
    history = HistoricalRecords()

    # The first manager is the default: removed actions are out unless asked for.
    objects = ScopedManager(_manager_class=_active(models.Manager), alliance="alliance")
    all_objects = ScopedManager(alliance="alliance")

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["alliance", "local_authority", "due_date"]),
            models.Index(fields=["source_type", "source_id", "local_authority"]),
            # A Tier 2 group's board: its page in due-date order reads 50 entries, not every
            # action (267 ms to 2 ms at 100,000 actions); what is overdue in a group (the
            # home page) and the board's counts and sources read this index alone.
            models.Index(
                fields=["tier2_group", "due_date"],
                include=["alliance", "status", "local_authority", "source_type", "source_id"],
                condition=models.Q(removed_at__isnull=True),
                name="action_board",
            ),
        ]

    def __str__(self):
        return self.what[:80]

    @property
    def is_overdue(self) -> bool:
        return (
            self.removed_at is None
            and self.status != ActionStatus.COMPLETE
            and self.due_date < timezone.localdate()
        )

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class ActionUpdate(AllianceOwned):
    """A council's progress update, or a Tier 2 member's monitoring note."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", "Progress update"
        MONITORING = "monitoring", "Monitoring note"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PROGRESS)
    status = models.CharField(max_length=10, choices=ActionStatus.choices, blank=True)
    note = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.action}"


def actions_changed(*, alliance_id: int) -> None:
    """Mark the alliance's agreed actions changed, in the caller's transaction: what was
    cached about them (peerchallenge.selectors) is not read again. Saving or deleting an
    action does it; a bulk write (bulk_create, QuerySet.update) must call it."""
    Alliance.objects.filter(pk=alliance_id).update(actions_state=uuid.uuid4())


@receiver(post_save, sender=Action, dispatch_uid="action_saved_changes_state")
@receiver(post_delete, sender=Action, dispatch_uid="action_deleted_changes_state")
# The cached counts carry the groups' names.
@receiver(post_save, sender=Tier2Group, dispatch_uid="tier2_group_saved_changes_state")
@receiver(post_delete, sender=Tier2Group, dispatch_uid="tier2_group_deleted_changes_state")
def _action_written(sender, instance, raw=False, **kwargs):
    if not raw:  # not while loading fixtures
        actions_changed(alliance_id=instance.alliance_id)
