"""The LGA's Children's Services Peer Challenge (CSPC): a council books an offer from the
catalogue; the LGA scopes it with the council's sponsor, assembles a peer team, and runs it
from preparation to the final report and evaluation.

Everything here belongs to the national alliance (the LGA) as tenant. The host council's
sponsor (DCS) and organiser take part as members of that alliance with a council role.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower, Replace
from django.utils import timezone
from simple_history.models import HistoricalRecords

from peerchallenge.models import AllianceOwned, LocalAuthority

# The catalogue recommends booking about three months ahead.
RECOMMENDED_LEAD_TIME = timedelta(days=91)


class Offer(AllianceOwned):
    """An entry of the LGA's catalogue, edited by its programme manager."""

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
        def days(n: int) -> str:
            return "1 day" if n == 1 else f"{n} days"

        if self.min_days == self.max_days:
            return days(self.min_days)
        if self.max_days == self.min_days + 1:
            # "3 or 4 days"; with one day on either side, "1 day or 2 days".
            if self.min_days == 1:
                return "1 day or 2 days"
            return f"{self.min_days} or {self.max_days} days"
        # Any length in the range may be booked: "1 to 5 days", not "1 or 5 days".
        return f"{self.min_days} to {self.max_days} days"


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


def all_case_lists() -> list[str]:
    """Every list a case may come from. No longer a default (none is pre-ticked: scoping
    agrees the lists); kept because migration 0006 names it."""
    return list(CaseFile.Source.values)


class Challenge(AllianceOwned):
    """One booked peer challenge of one council."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="challenges")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+", verbose_name="council"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.REQUESTED)
    onsite_start = models.DateField("first on-site day")
    days = models.PositiveSmallIntegerField("on-site days")
    request_notes = models.TextField("what the council would like looked at", blank=True)
    # The subsidy as worked out at booking, from the Ofsted judgement then on record; fixed
    # from then on (a later Ofsted import does not move it). Only the LGA's programme manager
    # changes it, with a reason (`SubsidyChange`, services.challenge_change_subsidy).
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
    # CaseFile.Source values; the case record review takes its cases from these lists only.
    # None until scoping agrees them (none pre-ticked). A JSON list rather than an array:
    # the demo's zero-setup database is SQLite.
    case_lists = models.JSONField(verbose_name="case lists agreed", default=list, blank=True)
    proposal_sent_at = models.DateTimeField(null=True, blank=True)
    proposal_accepted_at = models.DateTimeField(null=True, blank=True)
    proposal_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Why the programme manager withdrew it (who and when are in its history).
    withdrawal_reason = models.TextField("why the challenge was withdrawn", blank=True)
    history = HistoricalRecords()

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


class SubsidyChange(AllianceOwned):
    """The LGA's programme manager changed a booked challenge's subsidy, and why."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="subsidy_changes"
    )
    old_percent = models.PositiveSmallIntegerField()
    new_percent = models.PositiveSmallIntegerField()
    reason = models.TextField(max_length=2000)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.challenge}: {self.old_percent}% to {self.new_percent}%"


class ScopeElement(AllianceOwned):
    """A core element or thematic module in a challenge's agreed scope. Its lines of enquiry
    (probes) are peerchallenge.KeyLineOfEnquiry rows on the challenge, titled by the element."""

    class Kind(models.TextChoices):
        CORE = "core", "Core element"
        MODULE = "module", "Thematic module"

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="elements")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

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


class TeamMember(AllianceOwned):
    """A peer on a challenge's team, with the days they are expected to give and their
    acceptance of the peer charter (and, if the council asks, a confidentiality agreement)."""

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

    class Meta:
        ordering = ["challenge", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="cspc_team_member_once")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    @property
    def role_phrase(self) -> str:
        """The role inside a sentence, acronyms kept: "team leader (DCS or AD)"."""
        label = self.get_role_display()
        return label[0].lower() + label[1:]


class Conflict(AllianceOwned):
    """A peer's declared conflict of interest with a council: they may not review it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="+", verbose_name="council"
    )
    reason = models.CharField(max_length=300)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["local_authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "user", "local_authority"], name="cspc_conflict_once"
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.local_authority}"


class AdvanceDocument(AllianceOwned):
    """One item of the advance documentation checklist, generated from the scope: the
    organiser uploads, the peer challenge manager accepts it or asks for more."""

    class State(models.TextChoices):
        REQUESTED = "requested", "Requested"
        UPLOADED = "uploaded", "Uploaded"
        ACCEPTED = "accepted", "Accepted"
        MORE_NEEDED = "more_needed", "More needed"

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

    class Meta:
        ordering = ["challenge", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "title"], name="cspc_advance_document_unique_title"
            ),
            # The same document twice under titles that differ only in case, hyphens or
            # apostrophes ("Self evaluation", "Self-evaluation"): see services.documents._key.
            models.UniqueConstraint(
                models.F("challenge"),
                Lower(
                    Replace(
                        Replace(models.F("title"), models.Value("-"), models.Value(" ")),
                        models.Value("\N{RIGHT SINGLE QUOTATION MARK}"),
                        models.Value("'"),
                    )
                ),
                name="cspc_advance_document_unique_title_key",
                violation_error_message="The checklist already has this document.",
            ),
        ]

    def __str__(self):
        return self.title


# Case record review -----------------------------------------------------------------------


class CaseReview(AllianceOwned):
    """The case record review, about two weeks before on-site: about 25 cases chosen by
    reference from the lists agreed at scoping, each read by a reviewer; the informal
    summary discussion with the sponsor; the key messages of its written report."""

    challenge = models.OneToOneField(
        Challenge, on_delete=models.CASCADE, related_name="case_review"
    )
    sponsor_discussion_at = models.DateTimeField(
        "discussion with the sponsor", null=True, blank=True
    )
    sponsor_discussion_notes = models.TextField("what was said", blank=True)
    key_messages = models.TextField("key messages", blank=True)
    shared_at = models.DateTimeField(
        "report shared with the team and council", null=True, blank=True
    )
    history = HistoricalRecords()

    def __str__(self):
        return f"Case review of {self.challenge}"


class CaseFile(AllianceOwned):
    """One case, known here only by the council's case reference: never a name or a date of
    birth. Findings are structured so the report can gather them."""

    class Source(models.TextChoices):
        EARLY_HELP = "early_help", "Early help"
        CHILD_IN_NEED = "cin", "Child in need"
        CHILD_PROTECTION = "cp", "Child protection"
        LOOKED_AFTER = "cla", "Child looked after"
        CARE_LEAVER = "care_leaver", "Care leaver"
        DISABILITY = "disability", "Children with disabilities"
        OTHER = "other", "Other"

    class Quality(models.TextChoices):
        STRONG = "strong", "Practice is strong"
        MIXED = "mixed", "Practice is mixed"
        WEAK = "weak", "Practice needs to improve"

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="cases")
    reference = models.CharField("case reference", max_length=40)
    source = models.CharField("from the list of", max_length=20, choices=Source.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    quality = models.CharField("overall", max_length=10, choices=Quality.choices, blank=True)
    voice_of_child = models.TextField("the child's voice and experience", blank=True)
    strengths = models.TextField(blank=True)
    areas_for_development = models.TextField("areas for development", blank=True)
    escalated = models.BooleanField(
        "a concern about a child's safety was passed to the council at once", default=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["review", "reference"], name="cspc_case_once")
        ]

    def __str__(self):
        return self.reference


# On site ------------------------------------------------------------------------------------


class SiteNote(AllianceOwned):
    """What the team records on site: emerging issues for the "no surprises" log (shared
    with the sponsor as the days go), notes of sessions, strengths, areas for further
    consideration, good practice and case studies for the presentation and the report."""

    class Kind(models.TextChoices):
        EMERGING_ISSUE = "emerging_issue", "Emerging issue (no surprises)"
        SESSION_NOTE = "session_note", "Session note"
        STRENGTH = "strength", "Strength"
        AREA = "area", "Area for further consideration"
        GOOD_PRACTICE = "good_practice", "Good practice to share in the region"
        CASE_STUDY = "case_study", "Case study"

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="site_notes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    session = models.ForeignKey(
        "peerchallenge.Session", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    for_presentation = models.BooleanField("use in the feedback presentation", default=False)
    shared_with_sponsor_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["challenge", "kind", "created_at", "pk"]

    def __str__(self):
        return self.title or self.text[:60]


# Written feedback ---------------------------------------------------------------------------


class ReportState(models.TextChoices):
    """The feedback report's states, in the only order they may be taken."""

    DRAFT = "draft", "Drafted by the peer challenge manager"
    AGREED = "agreed", "Agreed by the team leader"
    QA = "qa", "In quality assurance"
    ACCURACY = "accuracy", "Draft with the council for factual accuracy"
    RESOLVED = "resolved", "Factual accuracy closed"
    FINAL = "final", "Final"


class ShareAudience(models.TextChoices):
    """Whom in the council's regional alliance the sponsor shares the final report with (the
    roles each stands for: permissions.SHARE_AUDIENCE_ROLES)."""

    PLANNERS = "planners", "Programme managers and planners"
    MEMBERS = "members", "Everyone"


class FeedbackReport(AllianceOwned):
    """The written feedback: no judgement; executive summary, strengths, areas for further
    development, recommendations, good practice, case studies, with the case review as an
    appendix. The report belongs to the council: its regional alliance sees it only when
    shared."""

    challenge = models.OneToOneField(
        Challenge, on_delete=models.CASCADE, related_name="feedback_report"
    )
    state = models.CharField(max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    executive_summary = models.TextField("executive summary", blank=True)
    strengths = models.TextField("key strengths", blank=True)
    areas_for_development = models.TextField("areas for further development", blank=True)
    recommendations = models.TextField(blank=True)
    good_practice = models.TextField("good practice", blank=True)
    case_studies = models.TextField("case studies", blank=True)
    accuracy_opens_at = models.DateTimeField(null=True, blank=True)
    accuracy_closes_on = models.DateField("factual accuracy comments close", null=True, blank=True)
    shared_with_region_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set with shared_with_region_at, emptied with it when the sponsor stops sharing.
    share_audience = models.CharField(
        "shared with", max_length=10, choices=ShareAudience.choices, blank=True
    )
    history = HistoricalRecords()

    def __str__(self):
        return f"Feedback report of {self.challenge}"


class QASignOff(AllianceOwned):
    """One of the three quality-assurance sign-offs the final version needs."""

    class By(models.TextChoices):
        PROGRAMME_MANAGER = "programme_manager", "LGA programme manager"
        PRINCIPAL_ADVISER = "principal_adviser", "Principal adviser"
        IMPROVEMENT_ADVISER = "improvement_adviser", "Children's improvement adviser"

    report = models.ForeignKey(FeedbackReport, on_delete=models.CASCADE, related_name="sign_offs")
    by = models.CharField(max_length=30, choices=By.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at"]
        constraints = [models.UniqueConstraint(fields=["report", "by"], name="cspc_qa_once")]

    def __str__(self):
        return f"{self.get_by_display()}: {self.user}"


class ReportEvent(AllianceOwned):
    """Every change of the feedback report's state, who made it and when."""

    report = models.ForeignKey(FeedbackReport, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=10, choices=ReportState.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=ReportState.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_state or 'new'} → {self.to_state}"


class AccuracyComment(AllianceOwned):
    """The council's comment on one paragraph of the draft, in the factual-accuracy window;
    the peer challenge manager resolves each. The council never edits the text itself."""

    report = models.ForeignKey(FeedbackReport, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(max_length=40)
    paragraph = models.PositiveSmallIntegerField()
    text = models.TextField("comment")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolution = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["section", "paragraph", "created_at"]

    # After --------------------------------------------------------------------------------------

    def __str__(self):
        return f"{self.section} ¶{self.paragraph}: {self.text[:60]}"


class Evaluation(AllianceOwned):
    """The DCS evaluation interview about a month after, and the follow-up suggested."""

    challenge = models.OneToOneField(Challenge, on_delete=models.CASCADE, related_name="evaluation")
    interview_due = models.DateField("interview due by", null=True, blank=True)
    interview_at = models.DateTimeField("interview", null=True, blank=True)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.TextField("what the DCS said", blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    follow_up_suggested = models.DateField("follow-up suggested for", null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self):
        return f"Evaluation of {self.challenge}"


class Questionnaire(AllianceOwned):
    """A peer's evaluation questionnaire after the final report: ratings 1 (poor) to 5."""

    member = models.OneToOneField(
        TeamMember, on_delete=models.CASCADE, related_name="questionnaire"
    )
    preparation = models.PositiveSmallIntegerField("briefing and preparation", null=True)
    organisation = models.PositiveSmallIntegerField("organisation on site", null=True)
    team_working = models.PositiveSmallIntegerField("working as a team", null=True)
    value = models.PositiveSmallIntegerField("value to the council", null=True)
    comments = models.TextField(blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Questionnaire of {self.member}"
