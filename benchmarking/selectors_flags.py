"""Reads of the flags across an alliance and of their answers: which councils have flags to
answer on their latest figures (the home page's "What needs you now", the overview), and a
council's answers (its data pack, the answer page).

A council's flags come from its data pack (`selectors.data_pack`: three or four queries a
council). The home page cannot afford that per council, so `alliance_flags` works out every
council's flags at once, in six queries whatever the number of councils (the framework and
its indicators, the councils, their neighbours, every current figure of the councils, their
neighbours and England, and the answers), by the data pack's own rules, and caches the
result under the state of what it was computed from: the newest figure and neighbour row
the alliance reads, its framework's entries and its newest answer (`flag_states`). A load,
a revision, a change of the framework or a new answer gives a new key (an answer changed in
place, explained to set aside, answers the same flag still).

The state itself is one query for any number of alliances, kept for `STATE_SECONDS`: the
home page and the calendar of every council's people ask for it, and were at their budget
of queries without it. Saving an answer forgets it (`flag_states_forget`, from
services.flags), so an answer leaves the home page at once; new figures or a changed
framework show there within `STATE_SECONDS` (the data pack reads them at once)."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db.models import Count, F, OuterRef, Q, Subquery

from peerchallenge.models import Alliance, LocalAuthority
from peerchallenge.selectors import councils_of_alliance

from .dfe_files import ENGLAND
from .models import Figure, FlagAnswer, Framework, FrameworkEntry, Neighbour

# `_row` is the data pack's own row (and flags), so both read the same flags.
from .selectors import (
    NEIGHBOUR_MODEL,
    Point,
    _row,
    data_pack,
    framework_year,
    pack_indicators,
)

# A bound on what no key change marks (the year turning, a council joining the alliance).
FLAGS_CACHE_SECONDS = 60 * 60


def real_flags(row) -> list:
    """The flags of a data pack row to answer: its flags.Flag that are not cautions."""
    return [flag for flag in row.flags if not flag.caution]


@dataclass(frozen=True)
class Flagged:
    """One indicator's flags on one council's latest figure."""

    indicator_id: int
    period: str
    texts: tuple[str, ...]
    title: str = ""  # the indicator's
    # The council's answer for that period, if any: (what it is, its text).
    answer: tuple[str, str] | None = None


@dataclass
class CouncilFlags:
    council: LocalAuthority  # with its name and GSS code only
    flagged: list[Flagged]
    answered: set[int] = field(default_factory=set)  # indicator ids answered for that period

    @property
    def to_answer(self) -> list[Flagged]:
        return [item for item in self.flagged if item.indicator_id not in self.answered]


def _newest(queryset) -> Subquery:
    return Subquery(queryset.order_by("-pk").values("pk")[:1])


# How long an alliance's flag state is kept before it is read again (see the docstring).
STATE_SECONDS = 60
ALLIANCE_FIELDS = ("name", "short_name", "slug", "kind")


def _state_key(alliance_id: int) -> str:
    return f"benchmarking-flag-state:{alliance_id}"


def flag_states_forget(alliance_ids) -> None:
    """Read the alliances' flag state afresh next time (an answer was saved)."""
    cache.delete_many([_state_key(alliance_id) for alliance_id in alliance_ids])


def flag_states(alliance_ids) -> list[Alliance]:
    """The alliances (their name, short name, slug and kind), each with `flag_state`: what
    its councils' flags are computed from (the newest figure and neighbour row it reads, its
    own or the shared ones, its frameworks' entries and its newest answer). From the cache,
    or one query whatever the number of alliances."""
    ids = list(alliance_ids)
    kept = cache.get_many([_state_key(alliance_id) for alliance_id in ids])
    rows = {
        alliance_id: kept[_state_key(alliance_id)]
        for alliance_id in ids
        if _state_key(alliance_id) in kept
    }
    missing = [alliance_id for alliance_id in ids if alliance_id not in rows]
    if missing:
        read = {
            alliance.pk: {
                **{name: getattr(alliance, name) for name in ALLIANCE_FIELDS},
                "flag_state": (
                    framework_year(),
                    alliance.figures_at,
                    alliance.neighbours_at,
                    alliance.frameworks_at,
                    alliance.entries_at,
                    alliance.entries,
                    alliance.answers_at,
                ),
            }
            for alliance in _with_states(missing)
        }
        cache.set_many({_state_key(key): row for key, row in read.items()}, STATE_SECONDS)
        rows.update(read)
    alliances = []
    for alliance_id in ids:
        if alliance_id in rows:
            row = rows[alliance_id]
            alliance = Alliance(pk=alliance_id, **{name: row[name] for name in ALLIANCE_FIELDS})
            alliance.flag_state = row["flag_state"]
            alliances.append(alliance)
    return alliances


def _with_states(alliance_ids) -> list[Alliance]:
    own_or_shared = Q(alliance__isnull=True) | Q(alliance=OuterRef("pk"))
    return list(
        Alliance.objects.filter(pk__in=alliance_ids)
        .only("pk", *ALLIANCE_FIELDS)
        .annotate(
            figures_at=_newest(Figure.objects.filter(own_or_shared)),
            neighbours_at=_newest(Neighbour.objects.filter(own_or_shared)),
            frameworks_at=_newest(Framework.objects.filter(alliance=OuterRef("pk"))),
            answers_at=_newest(FlagAnswer.objects.filter(alliance=OuterRef("pk"))),
            entries_at=_newest(FrameworkEntry.objects.filter(alliance=OuterRef("pk"))),
            entries=Subquery(
                FrameworkEntry.objects.filter(alliance=OuterRef("pk"))
                .order_by()
                .values("alliance")
                .annotate(n=Count("pk"))
                .values("n")
            ),
        )
    )


def alliance_flags(alliance) -> dict[int, tuple]:
    """Council id -> (name, GSS code, its flagged indicators, the ids of those answered)
    for every council of the alliance with flags on its data pack, cached until what they
    come from changes. `alliance` comes from `flag_states` (read once more if not)."""
    state = getattr(alliance, "flag_state", None)
    if state is None:
        state = flag_states([alliance.pk])[0].flag_state
    if state[1] is None:  # no figure loaded at all (a new site): no flags, nothing to read
        return {}
    digest = hashlib.sha256(repr(state).encode()).hexdigest()[:32]
    key = f"benchmarking-flags:{alliance.pk}:{digest}"
    found = cache.get(key)
    if found is None:
        found = _alliance_flags(alliance)
        cache.set(key, found, FLAGS_CACHE_SECONDS)
    return found


def _alliance_flags(alliance) -> dict[int, tuple]:
    """Every council's data pack flags, as `selectors.data_pack` finds them (its `_row`, on
    the same figures read the same way), in a fixed number of queries."""
    indicators, _themes = pack_indicators(alliance)
    councils = list(councils_of_alliance(alliance=alliance).order_by("name"))
    groups: dict[int, list] = defaultdict(list)
    for row in (
        Neighbour.objects.filter(
            Q(alliance__isnull=True) | Q(alliance=alliance),
            model=NEIGHBOUR_MODEL,
            council__in=councils,
        )
        .select_related("neighbour")
        .order_by("council", "rank")
    ):
        groups[row.council_id].append(row)
    for council_id, rows in groups.items():  # the alliance's own load of a group wins
        own = [row for row in rows if row.alliance_id is not None]
        groups[council_id] = own or rows
    areas = {council.pk for council in councils} | {
        row.neighbour_id for rows in groups.values() for row in rows
    }
    # indicator -> area -> period -> Point, as data_pack reads them (shared rows first).
    found: dict = defaultdict(lambda: defaultdict(dict))
    for indicator_id, period, council_id, area, value, symbol, numerator in (
        Figure.objects.filter(
            Q(council_id__in=areas) | Q(area_code=ENGLAND),
            Q(alliance__isnull=True) | Q(alliance=alliance),
            indicator__in=indicators,
            superseded_at__isnull=True,
        )
        .values_list(
            "indicator_id", "period", "council_id", "area_code", "value", "symbol", "numerator"
        )
        .order_by(F("alliance_id").asc(nulls_first=True))
    ):
        found[indicator_id][council_id or area][period] = Point(period, value, symbol, numerator)
    flagged: dict[int, tuple[str, str, list[Flagged]]] = {}
    for council in councils:
        items = []
        for indicator in indicators:
            by_area = found.get(indicator.pk)
            if not by_area or council.pk not in by_area:
                continue
            row = _row(indicator, by_area, council, groups.get(council.pk, []), None)
            texts = tuple(flag.text for flag in real_flags(row))
            if texts:
                items.append(Flagged(indicator.pk, row.period, texts, indicator.title))
        if items:
            flagged[council.pk] = (council.name, council.gss_code, items)
    answered = {
        (council_id, indicator_id, period): (FlagAnswer.Answer(answer).label, text)
        for council_id, indicator_id, period, answer, text in FlagAnswer.objects.filter(
            alliance=alliance, council__in=flagged
        ).values_list("council_id", "indicator_id", "period", "answer", "text")
    }
    found = {}
    for council_id, (name, gss_code, items) in flagged.items():
        items = [
            replace(item, answer=answered.get((council_id, item.indicator_id, item.period)))
            for item in items
        ]
        found[council_id] = (
            name,
            gss_code,
            items,
            frozenset(item.indicator_id for item in items if item.answer is not None),
        )
    return found


def councils_with_flags(*, alliances, council_ids=None) -> list[tuple[Alliance, CouncilFlags]]:
    """(alliance, council's flags and which are answered) for every council of these
    alliances (from `flag_states`) with flags on its latest figures; only the councils in
    `council_ids` (alliance id -> ids) when given. From the cache: no query once the
    flags are worked out."""
    found: list[tuple[Alliance, CouncilFlags]] = []
    for alliance in alliances:
        wanted = None if council_ids is None else council_ids.get(alliance.pk, ())
        for council_id, (name, gss_code, items, answered) in alliance_flags(alliance).items():
            if wanted is None or council_id in wanted:
                council = LocalAuthority(pk=council_id, name=name, gss_code=gss_code)
                found.append((alliance, CouncilFlags(council, items, set(answered))))
    return found


def answers_of(*, alliance, council) -> dict[tuple[int, str], FlagAnswer]:
    """The council's answers in the alliance, by (indicator id, period), each with the KLOE
    it made (and that KLOE's challenge type, for its link). One query."""
    return {
        (answer.indicator_id, answer.period): answer
        for answer in FlagAnswer.objects.filter(alliance=alliance, council=council).select_related(
            "kloe__challenge_type", "answered_by"
        )
    }


def flag_row(*, alliance, council, indicator):
    """The council's data pack row of `indicator` in this alliance (selectors.data_pack),
    or None when the pack does not show it (not in the alliance's framework, no figures).
    Four queries."""
    indicators, _themes = pack_indicators(alliance)
    if indicator.pk not in {shown.pk for shown in indicators}:
        return None
    rows = data_pack(council=council, alliance=alliance, indicators=[indicator])
    return rows[0] if rows else None
