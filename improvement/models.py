"""The annual sector-led improvement cycle of a regional alliance (docs/plan-improvement.md):
the year's cycle with its deadlines, the self-evaluation template, and each council's
self-evaluation, written section by section."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from peerchallenge.models import AllianceOwned, LocalAuthority

# The cycle's steps in order: (deadline field, what is due by it). Defaults from seed 002's
# months: (month, day, years after the year the cycle opens in).
STEPS = (
    ("self_evaluation_due", "Self-evaluations submitted", (12, 19, 0)),
    ("scrutiny_due", "Peer scrutiny of the self-evaluations", (2, 13, 1)),
    ("plan_due", "Development plans submitted", (3, 13, 1)),
    ("challenge_due", "Peer challenge of the development plans", (3, 31, 1)),
    ("menu_due", "Menu of support", (4, 30, 1)),
    ("regional_plan_due", "Regional development plan issued", (6, 30, 1)),
)


def step_defaults(year: int) -> dict[str, datetime.date]:
    """Each step's default deadline for a cycle opening in `year`."""
    return {
        field: datetime.date(year + later, month, day)
        for field, _label, (month, day, later) in STEPS
    }


class Cycle(AllianceOwned):
    """One alliance's cycle for a year: opened in the autumn of `year`, ending with the
    regional development plan the next summer."""

    year = models.PositiveSmallIntegerField()  # the year it opens in: 2026 for 2026-27
    self_evaluation_due = models.DateField("self-evaluations due")
    scrutiny_due = models.DateField("peer scrutiny due")
    plan_due = models.DateField("development plans due")
    challenge_due = models.DateField("peer challenge of the plans due")
    menu_due = models.DateField("menu of support due")
    regional_plan_due = models.DateField("regional development plan due")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "year"], name="improvement_cycle_once")
        ]

    def __str__(self):
        return f"Improvement cycle {self.label}"

    @property
    def label(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02}"  # as selectors.year_label

    def deadlines(self) -> list[tuple[str, str, datetime.date]]:
        """(field, what is due, date) for each step, in order."""
        return [(field, label, getattr(self, field)) for field, label, _default in STEPS]


class TemplateSection(AllianceOwned):
    """A section of the cycle's self-evaluation template: its heading, the questions it
    asks, and what kind of answer it takes."""

    class Kind(models.TextChoices):
        TEXT = "text", "Written answer"
        STRENGTHS = "strengths", "Strengths, one a line"
        AREAS = "areas", "Areas for development, one a line"
        DATA = "data", "The council's data, with its commentary"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    guidance = models.TextField("what to write", blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)

    class Meta:
        ordering = ["cycle", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "title"], name="improvement_template_section_title"
            )
        ]

    def __str__(self):
        return self.title


class SelfEvaluation(AllianceOwned):
    """A council's self-evaluation for the cycle: drafted by its organisers, signed off and
    submitted by its DCS, then locked; a planner may return it with comments."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for changes"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="self_evaluations")
    council = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Recorded at submission: the chief executive's and the lead member's sign-off.
    chief_executive = models.CharField("chief executive", max_length=200, blank=True)
    chief_executive_signed_on = models.DateField(null=True, blank=True)
    lead_member = models.CharField("lead member", max_length=200, blank=True)
    lead_member_signed_on = models.DateField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "council__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "council"], name="improvement_self_evaluation_once"
            )
        ]

    def __str__(self):
        return f"{self.council}'s self-evaluation {self.cycle.label}"

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.SUBMITTED


class SectionText(AllianceOwned):
    """What a council wrote in one section of its self-evaluation, and a planner's comment
    on it when the self-evaluation was returned."""

    self_evaluation = models.ForeignKey(
        SelfEvaluation, on_delete=models.CASCADE, related_name="texts"
    )
    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    comment = models.TextField("comment when returned", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["self_evaluation", "section"], name="improvement_section_text_once"
            )
        ]

    def __str__(self):
        return f"{self.self_evaluation}: {self.section}"


class Scrutiny(AllianceOwned):
    """One council's scrutiny of another's self-evaluation (or, later in the year, its peer
    challenge of the other's development plan): its comments section by section, its
    moderation note, and the scrutinised council's reply."""

    class Stage(models.TextChoices):
        SELF_EVALUATION = "self_evaluation", "Peer scrutiny of the self-evaluation"
        PLAN = "plan", "Peer challenge of the development plan"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="scrutinies")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SELF_EVALUATION)
    council = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+", verbose_name="scrutinised"
    )
    scrutineer = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="scrutinising council",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    moderation_note = models.TextField("moderation note", blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField("the council's reply", blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "stage", "council__name", "scrutineer__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "stage", "council", "scrutineer"],
                name="improvement_scrutiny_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(council=models.F("scrutineer")),
                name="improvement_scrutiny_not_own",
            ),
        ]

    def __str__(self):
        return f"{self.scrutineer} on {self.council} ({self.get_stage_display()})"

    @property
    def is_done(self) -> bool:
        """The scrutinising council has recorded its moderation note."""
        return bool(self.moderation_note)


class ScrutinyComment(AllianceOwned):
    """A scrutinising council's comment on one section of a self-evaluation, or a challenging
    council's on one priority of a development plan."""

    scrutiny = models.ForeignKey(Scrutiny, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        TemplateSection, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    priority = models.ForeignKey(
        "Priority", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.TextField("comment")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scrutiny", "section"], name="improvement_scrutiny_comment_once"
            ),
            models.UniqueConstraint(
                fields=["scrutiny", "priority"], name="improvement_challenge_comment_once"
            ),
            models.CheckConstraint(
                condition=(models.Q(section__isnull=False) & models.Q(priority__isnull=True))
                | (models.Q(section__isnull=True) & models.Q(priority__isnull=False)),
                name="improvement_comment_on_one_thing",
            ),
        ]

    def __str__(self):
        return f"{self.scrutiny}: {self.section or self.priority}"


class DevelopmentPlan(AllianceOwned):
    """A council's development plan for the cycle: its priorities, each of which becomes an
    owned, dated agreed action (whose source is the plan) when its DCS submits it."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="plans")
    council = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "council__name"]
        verbose_name = "development plan"
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "council"], name="improvement_development_plan_once"
            )
        ]

    def __str__(self):
        return f"{self.council.name}'s development plan {self.cycle.label}"

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.SUBMITTED


class Priority(AllianceOwned):
    """One priority of a development plan: what the council will do about it, who owns it,
    by when; on submission, the agreed action that follows it."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="priorities")
    position = models.PositiveIntegerField()
    title = models.CharField("priority", max_length=200)
    what = models.TextField("what the council will do")
    owner = models.CharField(max_length=200)
    due_date = models.DateField()
    action = models.ForeignKey(
        "peerchallenge.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return self.title


# The menu of support -------------------------------------------------------------------------

# The themes offers and needs are matched on: the joint activity themes seed 002 names, and
# the usual areas of children's services.
MENU_THEMES = (
    "Reflective and restorative supervision",
    "Placement sufficiency",
    "Improvement plans and evidencing impact",
    "Care planning and audit moderation",
    "Practice model and methodology",
    "Exploitation of vulnerable young people",
    "Early help",
    "Front door and assessment",
    "Child protection",
    "Children in care",
    "Care leavers",
    "Workforce and caseloads",
    "Leadership and management oversight",
)


class SupportOffer(AllianceOwned):
    """A council's offer of support to others, from a strength it can evidence."""

    class Kind(models.TextChoices):
        SINGLE = "single", "Support from this council, from its comparative strength"
        JOINT = "joint", "A small group of councils working jointly"
        DEEP_DIVE = "deep_dive", "A deep-dive thematic peer challenge visit"
        PRACTICE = "practice", "A practice-sharing visit"

    class Evidence(models.TextChoices):
        # In the order of how strongly they evidence a strength (the broker ranks by it).
        DATA = "data", "A data pack indicator better than all its statistical neighbours"
        OFSTED = "ofsted", "An Ofsted judgement"
        PRACTICE = "practice", "Good practice named in a peer challenge report"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="offers")
    council = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    theme = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField("the offer", max_length=200)
    description = models.TextField("what it involves", blank=True)
    capacity = models.PositiveSmallIntegerField("councils it can support")
    evidence = models.CharField("evidence of strength", max_length=10, choices=Evidence.choices)
    evidence_text = models.TextField("the evidence")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "theme", "council__name", "title"]
        verbose_name = "offer of support"
        verbose_name_plural = "offers of support"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="improvement_offer_capacity"
            )
        ]

    def __str__(self):
        return f"{self.council.name}: {self.title}"


class SupportNeed(AllianceOwned):
    """A council's need for support: an area for development from its self-evaluation, or
    what the alliance knows from elsewhere (an Ofsted focused visit, a joint targeted area
    inspection, the annual conversation)."""

    class Source(models.TextChoices):
        SELF_EVALUATION = "self_evaluation", "Its self-evaluation's areas for development"
        FOCUSED_VISIT = "focused_visit", "An Ofsted focused visit"
        JTAI = "jtai", "A joint targeted area inspection"
        ANNUAL_CONVERSATION = "annual_conversation", "The annual conversation with Ofsted"
        OTHER = "other", "Other intelligence"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="needs")
    council = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    theme = models.CharField(max_length=100, blank=True)  # "" until a planner chooses one
    title = models.CharField("the need", max_length=300)
    source = models.CharField(max_length=20, choices=Source.choices)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "council__name", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "council", "title"], name="improvement_need_once"
            )
        ]

    def __str__(self):
        return f"{self.council.name}: {self.title}"


class SupportMatch(AllianceOwned):
    """A need brokered to an offer: both councils' DCSs accept or decline it (with a reason
    when declining); agreed, it runs until it is completed with a note of its impact."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "Waiting for both councils"
        AGREED = "agreed", "Agreed"
        DECLINED = "declined", "Declined"
        COMPLETED = "completed", "Completed"

    need = models.ForeignKey(SupportNeed, on_delete=models.CASCADE, related_name="matches")
    offer = models.ForeignKey(SupportOffer, on_delete=models.CASCADE, related_name="matches")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    brokered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    brokered_at = models.DateTimeField(default=timezone.now)
    # Each council's answer: None until it answers.
    receiving_accepts = models.BooleanField(null=True, blank=True)
    receiving_reason = models.TextField(blank=True)
    offering_accepts = models.BooleanField(null=True, blank=True)
    offering_reason = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    impact = models.TextField("its impact", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-brokered_at", "pk"]
        verbose_name = "brokered match"
        constraints = [
            models.UniqueConstraint(fields=["need", "offer"], name="improvement_match_once")
        ]

    def __str__(self):
        return f"{self.offer} for {self.need}"

    @property
    def uses_capacity(self) -> bool:
        return self.state != self.State.DECLINED


# The regional development plan -----------------------------------------------------------------


class RegionalPlan(AllianceOwned):
    """The alliance's regional development plan for the cycle: the common priorities
    counted from the self-evaluations, the collective responses, and a section per council
    of its brokered support; issued as a PDF every member reads."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="regional_plan")
    introduction = models.TextField(blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "regional development plan"

    def __str__(self):
        return f"Regional development plan {self.cycle.label}"

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None


class CollectiveResponse(AllianceOwned):
    """The region's collective response to a common priority: a seminar, a collaborative
    project, a thematic hosted visit or a task-and-finish group, owned by a regional group,
    with its dates."""

    class Kind(models.TextChoices):
        SEMINAR = "seminar", "Regional seminar"
        PROJECT = "project", "Collaborative project"
        HOSTED_VISIT = "hosted_visit", "Thematic hosted visit"
        TASK_AND_FINISH = "task_and_finish", "Task-and-finish group"

    plan = models.ForeignKey(RegionalPlan, on_delete=models.CASCADE, related_name="responses")
    theme = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField("the response", max_length=200)
    description = models.TextField("what it will do", blank=True)
    owner = models.CharField("owning regional group", max_length=200)
    starts_on = models.DateField("starts")
    ends_on = models.DateField("ends")
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="improvement_response_dates_in_order",
            )
        ]

    def __str__(self):
        return self.title
