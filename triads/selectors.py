"""Reads for the triad offer. Queries start from the alliance or the cycle."""

from collections import Counter
from itertools import combinations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet

from peerchallenge.grouping import CouncilInfo
from peerchallenge.models import (
    COUNCIL_ROLES,
    Alliance,
    Document,
    DocumentVersion,
    KeyLineOfEnquiry,
    KloeComment,
    LocalAuthority,
    Membership,
    Role,
    User,
)
from peerchallenge.permissions import alliance_ids_of, council_ids_in, roles_in
from peerchallenge.selectors import ofsted_latest_by_council
from reports.models import ReportVersion

from .models import Cycle, CycleSummary, EventTemplate, Triad, TriadMember, TriadSummary
from .permissions import PLANNERS, triad_council_ids


def summary_texts(*, cycle: Cycle, triads) -> dict[str, str]:
    """The summary report's saved texts, keyed like the summary form's fields: overview,
    recommendations and `triad_<pk>` for each of `triads`. What an edit conflict compares."""
    summary = CycleSummary.objects.filter(cycle=cycle).first()
    triad_ids = [triad.pk for triad in triads]
    sections = dict(
        TriadSummary.objects.filter(triad__in=triad_ids).values_list("triad_id", "text")
    )
    return {
        "overview": summary.overview if summary else "",
        "recommendations": summary.recommendations if summary else "",
        **{f"triad_{triad.pk}": sections.get(triad.pk, "") for triad in triads},
    }


def cycles_of_alliance(*, alliance: Alliance) -> QuerySet[Cycle]:
    return Cycle.objects.filter(alliance=alliance).annotate(
        council_count=Count("councils", distinct=True), triad_count=Count("triads", distinct=True)
    )


def cycle_triads(*, cycle: Cycle) -> list[Triad]:
    """The cycle's triads with their councils and consultant, in three queries."""
    members = TriadMember.objects.select_related("council").order_by("council__name")
    triads = list(
        Triad.objects.filter(cycle=cycle)
        .select_related("consultant")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("number")
    )
    for triad in triads:
        # The object rules ask for these; the prefetch already has them.
        triad._council_ids = frozenset(m.council_id for m in triad.members.all())
    return triads


def cycle_council_infos(*, cycle: Cycle) -> list[CouncilInfo]:
    """The cycle's councils with their latest national Ofsted grade, for grouping."""
    councils = list(cycle.councils.order_by("name"))
    latest = ofsted_latest_by_council(councils=councils)
    return [
        CouncilInfo(id=c.pk, name=c.name, grade=latest[c.pk].grade if c.pk in latest else "")
        for c in councils
    ]


def cycle_past_pairs(*, cycle: Cycle) -> dict[frozenset[int], int]:
    """How often each pair of councils shared a triad in the alliance's earlier cycles."""
    rows = (
        TriadMember.objects.filter(
            alliance=cycle.alliance_id, cycle__event_date__lt=cycle.event_date
        )
        .values_list("triad_id", "council_id")
        .order_by("triad_id")
    )
    by_triad: dict[int, list[int]] = {}
    for triad_id, council_id in rows:
        by_triad.setdefault(triad_id, []).append(council_id)
    pairs: Counter = Counter()
    for councils in by_triad.values():
        for a, b in combinations(sorted(councils), 2):
            pairs[frozenset((a, b))] += 1
    return dict(pairs)


def consultants_of_alliance(*, alliance: Alliance) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=Membership.objects.filter(alliance=alliance, role=Role.CONSULTANT).values("user")
    ).order_by("full_name")


def councils_by_id(*, ids) -> dict[int, LocalAuthority]:
    return LocalAuthority.objects.in_bulk(list(ids))


def kloes_visible_to(*, user: User, triad: Triad, cycle: Cycle) -> list:
    """The KLOEs of the triad's councils this person may read, with comments, in three
    queries: their own council's (drafts too), all of them for the triad's consultant, and
    the shared ones for the triad's other councils and the planners. The same rule as the
    object rules in triads/permissions.py, in bulk."""
    triad_councils = set(triad_council_ids(triad))
    mine = council_ids_in(user, triad.alliance_id) & triad_councils
    kloes = KeyLineOfEnquiry.objects.filter(
        challenge_type=ContentType.objects.get_for_model(Cycle),
        challenge_id=cycle.pk,
        local_authority__in=triad_councils,
    )
    if triad.consultant_id != user.pk:
        may_read_shared = bool(mine) or bool(roles_in(user, triad.alliance_id) & PLANNERS)
        visible = Q(local_authority__in=mine)
        if may_read_shared:
            visible |= Q(shared_at__isnull=False)
        kloes = kloes.filter(visible)
    comments = KloeComment.objects.select_related("author")
    kloes = list(
        kloes.select_related("local_authority", "created_by", "challenge_type").prefetch_related(
            Prefetch("comments", queryset=comments)
        )
    )
    for kloe in kloes:
        kloe._triad = triad  # every KLOE here is of this triad's councils in this cycle
    return kloes


def triad_documents(*, triad: Triad, cycle: Cycle) -> dict[int, list]:
    """The evidence of the triad's councils for the cycle, by council id, each document with
    its versions (newest first), in two queries. Everyone who sees the triad reads them."""
    versions = DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
    documents = Document.objects.filter(
        challenge_type=ContentType.objects.get_for_model(Cycle),
        challenge_id=cycle.pk,
        local_authority__in=triad_council_ids(triad),
    ).prefetch_related(Prefetch("versions", queryset=versions))
    by_council: dict[int, list] = {}
    for document in documents:
        by_council.setdefault(document.local_authority_id, []).append(document)
    return by_council


def cycles_for_calendar(*, user: User) -> list[Cycle]:
    """The cycles a person follows: every cycle of the alliances where they hold an
    alliance-wide role; for council people, the cycles their council takes part in."""
    whole, councils = [], set()
    for alliance_id in alliance_ids_of(user):
        if roles_in(user, alliance_id) - COUNCIL_ROLES:
            whole.append(alliance_id)
        else:
            councils |= council_ids_in(user, alliance_id)

    return list(
        Cycle.objects.filter(Q(alliance__in=whole) | Q(councils__in=councils))
        .select_related("alliance")
        .distinct()
        .order_by("event_date")
    )


def summary_versions(*, cycle: Cycle):
    """The cycle's summary report versions, newest first."""
    return ReportVersion.objects.filter(
        report="triads.summary",
        subject_type=ContentType.objects.get_for_model(Cycle),
        subject_id=cycle.pk,
    ).order_by("-number")


def event_template_of(*, cycle: Cycle, council: LocalAuthority) -> EventTemplate:
    """The council's template for the cycle as saved, or an unsaved empty one: reading the
    page writes nothing (the first save creates it, `services.event_template_for`)."""
    return EventTemplate.objects.filter(cycle=cycle, local_authority=council).first() or (
        EventTemplate(cycle=cycle, local_authority=council, alliance=cycle.alliance)
    )


def issued_summaries(*, alliances) -> QuerySet:
    """The cycle ids whose summary report is issued: a version that is queued, being produced
    or ready (a failed render is not issued: the planner must issue it again). The one rule
    the obligations and the overview both read."""
    return (
        ReportVersion.objects.filter(
            alliance__in=alliances,
            report="triads.summary",
            subject_type=ContentType.objects.get_for_model(Cycle),
        )
        .exclude(status=ReportVersion.Status.FAILED)
        .values("subject_id")
    )
