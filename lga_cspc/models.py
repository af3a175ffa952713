"""The LGA's Children's Services Peer Challenge (CSPC): a council books an offer from the
catalogue; the LGA scopes it with the council's sponsor, assembles a peer team, and runs it
from preparation to the final report and evaluation.

Everything here belongs to the national alliance (the LGA) as tenant. The host council's
sponsor (DCS) and organiser take part as members of that alliance with a council role.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from peerchallenge.models import Alliance, LocalAuthority

# The catalogue recommends booking about three months ahead.
RECOMMENDED_LEAD_TIME = timedelta(days=91)


class Offer(models.Model):
    """An entry of the LGA's catalogue, edited by its programme manager."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    min_days = models.PositiveSmallIntegerField("shortest on-site length (days)", default=3)
    max_days = models.PositiveSmallIntegerField("longest on-site length (days)", default=3)
    funding_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="For example, “Fully funded by the DfE”. Shown instead of the Ofsted-based "
        "subsidy when the offer is fully funded.",
    )
    fully_funded = models.BooleanField(
        "fully funded whatever the Ofsted judgement",
        default=False,
        help_text="Tick when the funding note means the council pays nothing.",
    )
    is_bespoke = models.BooleanField("bespoke package", default=False)
    is_active = models.BooleanField("open for booking", default=True)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = ScopedManager(alliance="alliance")

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "name"], name="cspc_offer_unique_name"),
            models.CheckConstraint(
                condition=models.Q(min_days__lte=models.F("max_days")),
                name="cspc_offer_days_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def length_display(self) -> str:
        if self.min_days == self.max_days:
            return f"{self.min_days} days" if self.min_days != 1 else "1 day"
        return f"{self.min_days} or {self.max_days} days"


class Stage(models.TextChoices):
    """Where a challenge is; each stage's work is done in its own screens."""

    REQUESTED = "requested", "Requested"
    SCOPING = "scoping", "Scoping"
    PREPARATION = "preparation", "Preparation"
    CASE_REVIEW = "case_review", "Case record review"
    ON_SITE = "on_site", "On site"
    REPORT = "report", "Written feedback"
    EVALUATION = "evaluation", "Evaluation"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Challenge(models.Model):
    """One booked peer challenge of one council."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="challenges")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+", verbose_name="council"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.REQUESTED)
    onsite_start = models.DateField("first on-site day")
    days = models.PositiveSmallIntegerField("on-site days")
    request_notes = models.TextField("what the council would like looked at", blank=True)
    # The subsidy as worked out at booking, from the Ofsted judgement then on record.
    subsidy_percent = models.PositiveSmallIntegerField("LGA subsidy (%)", default=0)
    subsidy_reason = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)

    # The people: the council's sponsor and organiser, the LGA's advisers for the region.
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="peer challenge sponsor",
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="peer challenge organiser",
    )
    principal_adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="LGA principal adviser",
    )
    improvement_adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="children's improvement adviser",
    )

    # Scoping.
    scoping_meeting_at = models.DateTimeField("scoping meeting", null=True, blank=True)
    scoping_location = models.CharField("where or how", max_length=300, blank=True)
    focus = models.TextField("agreed focus", blank=True)
    team_needed = models.TextField("peer team needed", blank=True)
    documents_required = models.TextField("documents required", blank=True)
    confidentiality_required = models.BooleanField(
        "the council asks peers to sign a confidentiality agreement", default=False
    )
    proposal_sent_at = models.DateTimeField(null=True, blank=True)
    proposal_accepted_at = models.DateTimeField(null=True, blank=True)
    proposal_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = ScopedManager(alliance="alliance")

    class Meta:
        ordering = ["-onsite_start", "pk"]
        indexes = [models.Index(fields=["alliance", "local_authority", "onsite_start"])]

    def __str__(self):
        return f"{self.offer.name}: {self.local_authority.name}"

    @property
    def onsite_end(self):
        return self.onsite_start + timedelta(days=max(self.days, 1) - 1)

    @property
    def case_review_date(self):
        """About two weeks before the first on-site day."""
        return self.onsite_start - timedelta(weeks=2)


class ScopeElement(models.Model):
    """A core element or thematic module in a challenge's agreed scope. Its lines of enquiry
    (probes) are peerchallenge.KeyLineOfEnquiry rows on the challenge, titled by the element."""

    class Kind(models.TextChoices):
        CORE = "core", "Core element"
        MODULE = "module", "Thematic module"

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="+")
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="elements")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(alliance="alliance")

    class Meta:
        ordering = ["challenge", "kind", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "name"], name="cspc_scope_element_unique_name"
            )
        ]

    def __str__(self):
        return self.name


class TeamRole(models.TextChoices):
    TEAM_LEADER = "team_leader", "Team leader (DCS or AD)"
    SENIOR_MANAGER = "senior_manager", "Senior operational manager"
    PEER_CHALLENGE_MANAGER = "peer_challenge_manager", "Peer challenge manager"
    LEAD_MEMBER = "lead_member", "Lead member"
    OBSERVER = "observer", "Observer"


class TeamMember(models.Model):
    """A peer on a challenge's team, with the days they are expected to give and their
    acceptance of the peer charter (and, if the council asks, a confidentiality agreement)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="+")
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30, choices=TeamRole.choices)
    employer = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="council the peer works for",
    )
    indicative_days = models.PositiveSmallIntegerField()
    invited_at = models.DateTimeField(default=timezone.now)
    charter_accepted_at = models.DateTimeField(null=True, blank=True)
    charter_version = models.CharField(max_length=20, blank=True)
    confidentiality_accepted_at = models.DateTimeField(null=True, blank=True)
    confidentiality_version = models.CharField(max_length=20, blank=True)
    history = HistoricalRecords()

    objects = ScopedManager(alliance="alliance")

    class Meta:
        ordering = ["challenge", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="cspc_team_member_once")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class Conflict(models.Model):
    """A peer's declared conflict of interest with a council: they may not review it."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="+", verbose_name="council"
    )
    reason = models.CharField(max_length=300)
    declared_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(alliance="alliance")

    class Meta:
        ordering = ["local_authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "user", "local_authority"], name="cspc_conflict_once"
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.local_authority}"


class AdvanceDocument(models.Model):
    """One item of the advance documentation checklist, generated from the scope: the
    organiser uploads, the peer challenge manager accepts it or asks for more."""

    class State(models.TextChoices):
        REQUESTED = "requested", "Requested"
        UPLOADED = "uploaded", "Uploaded"
        ACCEPTED = "accepted", "Accepted"
        MORE_NEEDED = "more_needed", "More needed"

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="+")
    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="advance_documents"
    )
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    due_date = models.DateField("due by")
    state = models.CharField(max_length=20, choices=State.choices, default=State.REQUESTED)
    note = models.TextField("note from the peer challenge manager", blank=True)
    # The uploaded file: a peerchallenge.Document (with its versions) on the challenge.
    document = models.ForeignKey(
        "peerchallenge.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(default=0)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = ScopedManager(alliance="alliance")

    class Meta:
        ordering = ["challenge", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "title"], name="cspc_advance_document_unique_title"
            )
        ]

    def __str__(self):
        return self.title
