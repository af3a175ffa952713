"""Read-side queries for the LGA's peer challenges."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Subquery
from django_scopes import scopes_disabled

from peerchallenge.models import Action, Alliance, LocalAuthority, Membership, Role, User
from peerchallenge.permissions import roles_in
from peerchallenge.recipients import People, email_addresses, people_of
from reports.models import ReportVersion

from .models import (
    AdvanceDocument,
    CaseFile,
    CaseReview,
    Challenge,
    Evaluation,
    FeedbackReport,
    Offer,
    ReportState,
    ShareAudience,
    SiteNote,
    TeamMember,
)
from .permissions import PLANNERS, SHARE_AUDIENCE_ROLES, share_audiences_of, visible_challenges_q

# The checklist items still wanted from the council (what the reminders chase).
MISSING_STATES = (AdvanceDocument.State.REQUESTED, AdvanceDocument.State.MORE_NEEDED)

# What a challenge's records are counted by, each count a filter on one kind of its rows
# (an empty filter: all of them). Its page reads them all in one query (`challenge_counts`),
# each section's own page the ones it shows (`counted`).
CHECKLIST_COUNTS: dict[str, Q] = {
    "total": Q(),
    "accepted": Q(state=AdvanceDocument.State.ACCEPTED),
    "uploaded": Q(state=AdvanceDocument.State.UPLOADED),
    "missing": Q(state__in=MISSING_STATES),
}
CASE_COUNTS: dict[str, Q] = {
    "total": Q(),
    "reviewed": Q(reviewed_at__isnull=False),
    "assigned": Q(reviewer__isnull=False),
}
SITE_LOG_COUNTS: dict[str, Q] = {
    "total": Q(),
    "shared": Q(shared_with_sponsor_at__isnull=False),
    **{kind: Q(kind=kind) for kind in SiteNote.Kind.values},
}


def catalogue(*, alliance, active_only: bool = False) -> QuerySet[Offer]:
    offers = Offer.objects.filter(alliance=alliance)
    return offers.filter(is_active=True) if active_only else offers


def challenges_visible_to(*, user: User, alliance) -> QuerySet[Challenge]:
    """The challenges this person may see, newest on-site first: all of them for the LGA's
    planners; their council's for a sponsor or organiser; the ones they are on for a peer;
    the ones they advise on for the region's advisers."""
    return (
        Challenge.objects.filter(alliance=alliance)
        .filter(visible_challenges_q(user, alliance.pk))
        .distinct()
        .select_related("offer", "local_authority")
        .order_by("-onsite_start", "-pk")
    )


def bookable_councils(*, user: User, alliance) -> QuerySet[LocalAuthority]:
    """Planners book for any council in England; a DCS for their own council(s)."""
    if roles_in(user, alliance.pk) & PLANNERS:
        return LocalAuthority.objects.order_by("name")
    mine = Membership.objects.filter(alliance=alliance, user=user, role=Role.DCS)
    return LocalAuthority.objects.filter(pk__in=mine.values("local_authority")).order_by("name")


def challenge_sponsors(*, challenge: Challenge, people: People | None = None) -> list[User]:
    """Who speaks for the council (accepts the scoping proposal, hears of emerging issues):
    the named sponsor while their account is active (nobody else: only they may accept);
    until one is named, the council's active DCSs. `people`: the council's people already
    loaded (recipients.people_of) by a caller handling many challenges; else one query."""
    if challenge.sponsor_id is not None:
        return [challenge.sponsor] if challenge.sponsor.is_active else []
    if people is None:
        people = people_of(
            alliance=challenge.alliance_id,
            council_ids=[challenge.local_authority_id],
            council_roles=[Role.DCS],
        )
    return people.council(challenge.local_authority_id, Role.DCS)


def challenge_organisers(*, challenge: Challenge, people: People | None = None) -> list[User]:
    """Who sends the advance documents (permissions.document_senders_q): the named
    organiser; until one is named (or once theirs is a closed account), the council's
    active organisers and DCS. `people` as for `challenge_sponsors`."""
    organiser = challenge.organiser
    if organiser is not None and organiser.is_active:
        return [organiser]
    if people is None:
        people = people_of(
            alliance=challenge.alliance_id, council_ids=[challenge.local_authority_id]
        )
    return people.council(challenge.local_authority_id)


def sponsor_emails(*, challenge: Challenge) -> list[str]:
    """The sponsors' addresses (`challenge_sponsors`), each once."""
    return email_addresses(challenge_sponsors(challenge=challenge))


def document_sender_emails(*, challenge: Challenge) -> list[str]:
    """The document senders' addresses (`challenge_organisers`), each once."""
    return email_addresses(challenge_organisers(challenge=challenge))


# Sharing the final report with the region ---------------------------------------------------
# A shared report belongs to the LGA (one tenant) and is read from the council's regional
# alliance (another): these queries are truly cross-alliance, so they run with scopes
# disabled and filter explicitly. Who reads is permissions.SHARE_AUDIENCE_ROLES.


def regional_alliances_of(*, challenge: Challenge) -> list[Alliance]:
    """The regional alliances of the challenge's council's region (usually one), by name."""
    with scopes_disabled():
        return list(
            Alliance.objects.filter(
                kind=Alliance.Kind.REGIONAL, regions=challenge.local_authority.region_id
            ).order_by("name")
        )


def share_audience_label(*, audience: str, alliances: list[Alliance]) -> str:
    """ "Programme managers and planners of East Midlands", "Everyone in East Midlands"."""
    names = " and ".join(alliance.name for alliance in alliances) or "the regional alliance"
    if audience == ShareAudience.PLANNERS:
        return f"Programme managers and planners of {names}"
    if audience == ShareAudience.MEMBERS:
        return f"Everyone in {names}"
    return ""


def shared_reports_for(*, user: User, alliance: Alliance) -> QuerySet[FeedbackReport]:
    """The final reports this person reads from this regional alliance: shared by a council
    in one of its regions, with an audience this person is in here (built with scopes
    disabled, see above: it may be evaluated in the regional alliance's scope)."""
    with scopes_disabled():
        return FeedbackReport.objects.filter(
            alliance__kind=Alliance.Kind.NATIONAL,
            state=ReportState.FINAL,
            shared_with_region_at__isnull=False,
            share_audience__in=share_audiences_of(user, alliance.pk),
            challenge__local_authority__region__in=alliance.regions.all(),
        )


@dataclass(frozen=True)
class Reader:
    email: str
    alliance_slug: str


def shared_report_readers(*, challenge: Challenge, audience: str) -> list[Reader]:
    """Everyone who reads the challenge's report when it is shared with `audience`: the
    active members of its regional alliance(s) holding one of the audience's roles, each
    once (with the alliance they read it from), by email address."""
    roles = SHARE_AUDIENCE_ROLES.get(audience, frozenset())
    if not roles:
        return []
    with scopes_disabled():
        rows = (
            Membership.objects.filter(
                alliance__kind=Alliance.Kind.REGIONAL,
                alliance__regions=challenge.local_authority.region_id,
                role__in=roles,
                user__is_active=True,
            )
            .exclude(user__email="")
            .order_by("user__email", "alliance__name")
            .values_list("user__email", "alliance__slug")
        )
        readers: dict[str, Reader] = {}
        for email, slug in rows:
            readers.setdefault(email.lower(), Reader(email=email, alliance_slug=slug))
    return list(readers.values())


# A challenge's records, counted ---------------------------------------------------------------


def counted(rows: QuerySet, counts: dict[str, Q]) -> dict[str, int]:
    """Each count of these rows (a filter from above), in one query."""
    return rows.aggregate(
        **{name: Count("pk", filter=where or None) for name, where in counts.items()}
    )


class _CountOf(Subquery):
    """How many rows a queryset has, as a number inside another query (0 for none)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted_rows)"
    output_field = IntegerField()


def advance_documents_of(*, challenge: Challenge) -> QuerySet[AdvanceDocument]:
    return AdvanceDocument.objects.filter(challenge=challenge)


def case_files_of(*, challenge: Challenge) -> QuerySet[CaseFile]:
    return CaseFile.objects.filter(review__challenge=challenge)


def site_notes_of(*, challenge: Challenge) -> QuerySet[SiteNote]:
    return SiteNote.objects.filter(challenge=challenge)


def next_steps_of(*, challenge: Challenge) -> QuerySet[Action]:
    """The actions agreed after this challenge, on the council's improvement plan."""
    return Action.objects.filter(
        alliance_id=challenge.alliance_id,
        source_type=ContentType.objects.get_for_model(Challenge),
        source_id=challenge.pk,
    ).order_by("due_date", "pk")


def site_log_summary(counts: dict[str, int]) -> dict:
    """The site log's counts as its sections show them: the total, the emerging issues
    shared with the sponsor, and (kind, its label, count) for every kind in order."""
    return {
        "total": counts["total"],
        "shared": counts["shared"],
        "by_kind": [
            (kind, SiteNote.Kind(kind).label, counts[kind]) for kind in SiteNote.Kind.values
        ],
    }


@dataclass(frozen=True)
class ChallengeCounts:
    checklist: dict[str, int]  # CHECKLIST_COUNTS
    cases: dict[str, int]  # CASE_COUNTS
    site_log: dict  # site_log_summary
    next_steps: int


def challenge_counts(*, challenge: Challenge) -> ChallengeCounts:
    """Every count the challenge's page shows, in one query, however many rows there are."""
    families = {
        "checklist": (advance_documents_of(challenge=challenge), CHECKLIST_COUNTS),
        "cases": (case_files_of(challenge=challenge), CASE_COUNTS),
        "site_log": (site_notes_of(challenge=challenge), SITE_LOG_COUNTS),
        "next_steps": (next_steps_of(challenge=challenge), {"total": Q()}),
    }
    numbers = {
        f"{family}__{name}": _CountOf(rows.filter(where).order_by().values("pk"))
        for family, (rows, counts) in families.items()
        for name, where in counts.items()
    }
    row = Challenge.objects.filter(pk=challenge.pk).values(**numbers).get()
    of = {
        family: {name: row[f"{family}__{name}"] for name in counts}
        for family, (_rows, counts) in families.items()
    }
    return ChallengeCounts(
        checklist=of["checklist"],
        cases=of["cases"],
        site_log=site_log_summary(of["site_log"]),
        next_steps=of["next_steps"]["total"],
    )


# The challenge's page -------------------------------------------------------------------------


def challenge_page_queryset() -> QuerySet[Challenge]:
    """Challenges as their page reads one, in two queries: its people, offer, council and
    alliance, its case review, report and evaluation joined; its team (each member's person,
    employer and questionnaire) prefetched, which the team rules then read
    (permissions.team_roles): no section's permission check asks again."""
    return Challenge.objects.select_related(
        "alliance",
        "offer",
        "local_authority",
        "sponsor",
        "organiser",
        "principal_adviser",
        "improvement_adviser",
        "requested_by",
        "proposal_accepted_by",
        "case_review",
        "feedback_report",
        "evaluation",
    ).prefetch_related(
        Prefetch(
            "team", queryset=TeamMember.objects.select_related("user", "employer", "questionnaire")
        )
    )


@dataclass(frozen=True)
class ChallengePage:
    """What the challenge's page shows, read in a fixed number of queries."""

    challenge: Challenge
    team: list[TeamMember]
    case_review: CaseReview | None
    report: FeedbackReport | None
    evaluation: Evaluation | None
    # The versions of each of its reports (by report identifier), newest first.
    versions: dict[str, list[ReportVersion]]
    counts: ChallengeCounts

    def team_place(self, user) -> TeamMember | None:
        """This person's place on the team, if they have one."""
        return next((member for member in self.team if member.user_id == user.pk), None)


def challenge_page_load(*, challenge: Challenge) -> ChallengePage:
    """The challenge's page: `challenge` as `challenge_page_queryset` read it (nothing more
    for what it joined), its reports' versions and its counts, in two more queries."""
    versions: dict[str, list[ReportVersion]] = {}
    for version in ReportVersion.objects.filter(
        alliance_id=challenge.alliance_id,
        subject_type=ContentType.objects.get_for_model(Challenge),
        subject_id=challenge.pk,
    ).order_by("report", "-number"):
        versions.setdefault(version.report, []).append(version)
    return ChallengePage(
        challenge=challenge,
        team=list(challenge.team.all()),
        # A reverse one-to-one read as missing raises (an AttributeError): None.
        case_review=getattr(challenge, "case_review", None),
        report=getattr(challenge, "feedback_report", None),
        evaluation=getattr(challenge, "evaluation", None),
        versions=versions,
        counts=challenge_counts(challenge=challenge),
    )
