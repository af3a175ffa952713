"""Reads for the triad offer. Queries start from the alliance or the cycle."""

from collections import Counter
from itertools import combinations

from django.db.models import Count, Prefetch, QuerySet

from peerchallenge.models import Alliance, LocalAuthority, Membership, Role, User

from .grouping import CouncilInfo
from .models import Cycle, Triad, TriadMember


def cycles_of_alliance(*, alliance: Alliance) -> QuerySet[Cycle]:
    return Cycle.objects.filter(alliance=alliance).annotate(
        council_count=Count("councils", distinct=True), triad_count=Count("triads", distinct=True)
    )


def cycle_triads(*, cycle: Cycle) -> list[Triad]:
    """The cycle's triads with their councils and consultant, in three queries."""
    members = TriadMember.objects.select_related("council").order_by("council__name")
    return list(
        Triad.objects.filter(cycle=cycle)
        .select_related("consultant")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("number")
    )


def cycle_council_infos(*, cycle: Cycle) -> list[CouncilInfo]:
    return [
        CouncilInfo(id=c.pk, name=c.name, grade=c.ofsted_grade)
        for c in cycle.councils.order_by("name")
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
