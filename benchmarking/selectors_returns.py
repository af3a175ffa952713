"""Reads of the quarterly local return, in a fixed number of queries whatever the number of
councils, indicators and quarters."""

import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q, Subquery

from peerchallenge.models import LocalAuthority
from peerchallenge.selectors import councils_covered_by

from .models import LocalFigure, LocalIndicator, LocalReturn, ReturnQuarter
from .selectors import framework_entries, framework_of


def return_indicators(alliance) -> list[LocalIndicator]:
    """The local indicators of the alliance's framework, in its order."""
    framework = framework_of(alliance)
    if framework is None:
        return []
    return [
        entry.local_indicator for entry in framework_entries(framework) if entry.local_indicator_id
    ]


def quarters_of(alliance) -> list[ReturnQuarter]:
    """The alliance's quarters, latest first, each with `submitted` (returns submitted)."""
    return list(
        ReturnQuarter.objects.filter(alliance=alliance)
        .annotate(submitted=Count("returns", filter=Q(returns__submitted_at__isnull=False)))
        .order_by("-year", "-quarter")
    )


def local_return_of(*, quarter: ReturnQuarter, council: LocalAuthority) -> LocalReturn | None:
    return (
        LocalReturn.objects.filter(quarter=quarter, council=council)
        .select_related("submitted_by")
        .prefetch_related("figures")
        .first()
    )


def quarter_table(*, quarter: ReturnQuarter, councils) -> list[tuple]:
    """(council, its return or None, {indicator id: LocalFigure}) for each council. Two
    queries."""
    returns = {
        local_return.council_id: local_return
        for local_return in LocalReturn.objects.filter(quarter=quarter).select_related(
            "submitted_by"
        )
    }
    figures: dict[int, dict] = {}
    for figure in LocalFigure.objects.filter(local_return__quarter=quarter).select_related(
        "local_return"
    ):
        figures.setdefault(figure.local_return.council_id, {})[figure.indicator_id] = figure
    return [(council, returns.get(council.pk), figures.get(council.pk, {})) for council in councils]


# What each alliance's councils owe, asked on every home page and calendar of a council's
# people: its open quarters, which councils have submitted each, and the councils it covers,
# cached and forgotten whenever a quarter or a return is saved or deleted (apps.py connects
# `open_returns_forget`), so that those pages ask nothing when it is warm.
OPEN_RETURNS_SECONDS = 600


@dataclass
class OpenReturns:
    quarters: list  # the unpublished ReturnQuarters, their alliance loaded, by deadline
    submitted: dict  # quarter id -> the ids of the councils that submitted
    councils: list  # the councils the alliance covers (none when no quarter is open)


def _open_key(alliance_id: int) -> str:
    return f"benchmarking:open-returns:{alliance_id}"


def open_returns_of(alliance_ids) -> dict[int, OpenReturns]:
    """Each alliance's OpenReturns: from the cache, or three queries at most for the
    alliances it lacks, whatever their number."""
    alliance_ids = list(alliance_ids)
    keys = {alliance_id: _open_key(alliance_id) for alliance_id in alliance_ids}
    found = cache.get_many(list(keys.values()))
    missing = [alliance_id for alliance_id in alliance_ids if keys[alliance_id] not in found]
    if missing:
        fresh = {alliance_id: OpenReturns([], {}, []) for alliance_id in missing}
        for quarter in (
            ReturnQuarter.objects.filter(alliance__in=missing, published_at__isnull=True)
            .select_related("alliance")
            .order_by("deadline", "pk")
        ):
            fresh[quarter.alliance_id].quarters.append(quarter)
            fresh[quarter.alliance_id].submitted[quarter.pk] = set()
        quarters = {q.pk: q for entry in fresh.values() for q in entry.quarters}
        if quarters:
            for quarter_id, council_id in LocalReturn.objects.filter(
                quarter__in=list(quarters), submitted_at__isnull=False
            ).values_list("quarter_id", "council_id"):
                fresh[quarters[quarter_id].alliance_id].submitted[quarter_id].add(council_id)
            alliances = {q.alliance for q in quarters.values()}
            for alliance_id, councils in councils_covered_by(alliances).items():
                fresh[alliance_id].councils = councils
        cache.set_many(
            {keys[alliance_id]: entry for alliance_id, entry in fresh.items()},
            OPEN_RETURNS_SECONDS,
        )
        found.update({keys[alliance_id]: entry for alliance_id, entry in fresh.items()})
    return {alliance_id: found[keys[alliance_id]] for alliance_id in alliance_ids}


def open_returns_forget(sender, instance, **kwargs) -> None:
    """A quarter or a return was saved or deleted: its alliance's entry is stale."""
    cache.delete(_open_key(instance.alliance_id))


# A council's local figures in its data pack ------------------------------------------------

PACK_QUARTERS = 4


@dataclass
class LocalRow:
    quarter: ReturnQuarter
    figure: LocalFigure | None  # the council's
    median: Decimal | None  # the alliance's councils' median that quarter
    reporting: int  # councils with a figure that quarter


@dataclass
class LocalSection:
    indicator: LocalIndicator
    rows: list  # LocalRow, latest quarter first


def local_pack(*, alliance, council, indicators: list[LocalIndicator]) -> list[LocalSection]:
    """Each local indicator's figures for the council over the alliance's latest quarters,
    beside the median of its councils'. One query (the figures of those quarters, with their
    quarter), whatever the councils and indicators."""
    if not indicators:
        return []
    latest = ReturnQuarter.objects.filter(alliance=alliance).order_by("-year", "-quarter")
    quarters: dict[int, ReturnQuarter] = {}
    values: dict[tuple[int, int], list] = {}
    own: dict[tuple[int, int], LocalFigure] = {}
    for figure in LocalFigure.objects.filter(
        local_return__quarter__in=Subquery(latest.values("pk")[:PACK_QUARTERS]),
        indicator__in=indicators,
    ).select_related("local_return__quarter"):
        quarter = figure.local_return.quarter
        quarter.alliance = alliance
        quarters[quarter.pk] = quarter
        key = (figure.indicator_id, quarter.pk)
        if figure.value is not None:
            values.setdefault(key, []).append(figure.value)
        if figure.local_return.council_id == council.pk:
            own[key] = figure
    ordered = sorted(quarters.values(), key=lambda q: (q.year, q.quarter), reverse=True)
    sections = []
    for indicator in indicators:
        rows = []
        for quarter in ordered:
            key = (indicator.pk, quarter.pk)
            found = values.get(key, [])
            rows.append(
                LocalRow(
                    quarter=quarter,
                    figure=own.get(key),
                    median=statistics.median(found) if found else None,
                    reporting=len(found),
                )
            )
        sections.append(LocalSection(indicator=indicator, rows=rows))
    return sections
