"""The on-demand peer challenge of a regional alliance: a council asks for a review of one
service area around a primary key line of enquiry; the programme manager accepts it (or
asks for more, or declines), assembles a review team, the team and the council agree the
activities, the council builds the schedule (the shared `peerchallenge.Session`), and the
lead reviewer issues findings and recommendations that the council turns into agreed
actions (`peerchallenge.Action`, source = the review)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from peerchallenge.models import Action, AllianceOwned, LocalAuthority

# The findings report is due this long after the last review day.
FINDINGS_DUE_AFTER = timedelta(days=14)


class Status(models.TextChoices):
    REQUESTED = "requested", "Requested"
    MORE_INFORMATION = "more_information", "More information asked for"
    PLANNING = "planning", "Accepted: planning"
    FINDINGS_ISSUED = "findings_issued", "Findings issued"
    DECLINED = "declined", "Declined"


class Review(AllianceOwned):
    """One council's request for a review of one service area, and the review it becomes."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+", verbose_name="council"
    )
    service_area = models.CharField("service area", max_length=200)
    primary_kloe = models.TextField("primary key line of enquiry")
    why_now = models.TextField("why now")
    # The council's window for the first day: from the earliest to the latest (if given).
    preferred_start = models.DateField("earliest preferred first day")
    preferred_latest = models.DateField("latest preferred first day", null=True, blank=True)
    days = models.PositiveSmallIntegerField("length (days)", default=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    # Set when the programme manager accepts: the dates the review takes place.
    start_date = models.DateField("first review day", null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Agreement of the activities, by each side; a change to the activities clears both.
    activities_agreed_by_host_at = models.DateTimeField(null=True, blank=True)
    activities_agreed_by_team_at = models.DateTimeField(null=True, blank=True)
    # The host council's arrangements, shown with the schedule.
    case_record_access = models.TextField("access to case records", blank=True)
    key_people = models.TextField("key people", blank=True)
    # Findings, written by the lead reviewer.
    key_findings = models.TextField("key findings", blank=True)
    findings_issued_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "pk"]
        verbose_name = "review"
        indexes = [models.Index(fields=["alliance", "local_authority", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days__in=[1, 2]), name="ondemand_review_one_or_two_days"
            ),
            models.CheckConstraint(
                condition=models.Q(preferred_latest__isnull=True)
                | models.Q(preferred_latest__gte=models.F("preferred_start")),
                name="ondemand_review_preferred_window_in_order",
            ),
        ]

    def __str__(self):
        # Own fields only: lists of action sources print many of these at once.
        return self.service_area

    @property
    def first_day(self):
        return self.start_date or self.preferred_start

    def in_preferred_window(self, day) -> bool:
        """Whether `day` is a first day the council asked for."""
        return self.preferred_start <= day and (
            self.preferred_latest is None or day <= self.preferred_latest
        )

    @property
    def last_day(self):
        return self.first_day + timedelta(days=self.days - 1)

    @property
    def review_days(self) -> list:
        return [self.first_day + timedelta(days=n) for n in range(self.days)]

    @property
    def findings_due(self):
        return self.last_day + FINDINGS_DUE_AFTER

    @property
    def activities_agreed(self) -> bool:
        return bool(self.activities_agreed_by_host_at and self.activities_agreed_by_team_at)


class RequestNote(AllianceOwned):
    """The conversation about a request: the PM's question, the council's answer, the PM's
    decision with its reason."""

    class Kind(models.TextChoices):
        QUESTION = "question", "Question from the programme manager"
        ANSWER = "answer", "Answer from the council"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.review}"


class ReviewerRole(models.TextChoices):
    LEAD = "lead", "Lead reviewer"
    PROJECT_SUPPORT = "project_support", "Project support"
    OFFICER = "officer", "Officer from another council"
    EXPERT = "expert", "Independent expert"


class Response(models.TextChoices):
    INVITED = "invited", "Invited"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Reviewer(AllianceOwned):
    """A place on a review team: the person invited, their role, and their answer."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, choices=ReviewerRole.choices)
    home_council = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response = models.CharField(max_length=10, choices=Response.choices, default=Response.INVITED)
    decline_reason = models.CharField(max_length=300, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="ondemand_reviewer_once"),
            models.UniqueConstraint(
                fields=["review"],
                condition=models.Q(role="lead") & ~models.Q(response="declined"),
                name="ondemand_one_lead_reviewer",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class ActivityKind(models.TextChoices):
    CASE_SAMPLING = "case_sampling", "Case sampling"
    DISCUSSION = "discussion", "Focused discussion"
    SITE_VISIT = "site_visit", "Site visit"
    OTHER = "other", "Other activity"


class Activity(AllianceOwned):
    """An activity the team and the host agree on, aligned with the primary line of enquiry."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    description = models.TextField()
    number_of_cases = models.PositiveSmallIntegerField(null=True, blank=True)
    with_whom = models.CharField("with whom", max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "kind", "pk"]
        verbose_name_plural = "activities"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description[:60]}"


class RecommendationResponse(models.TextChoices):
    PENDING = "pending", "Awaiting the council's response"
    ACCEPTED = "accepted", "Accepted: agreed action"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


class Recommendation(AllianceOwned):
    """One recommendation of the findings; the host council accepts it as an agreed action
    or says why not."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    response = models.CharField(
        max_length=20, choices=RecommendationResponse.choices, default="pending"
    )
    response_note = models.TextField(blank=True)
    action = models.ForeignKey(
        Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "position", "pk"]

    def __str__(self):
        return self.text[:80]
