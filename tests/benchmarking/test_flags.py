"""The flag rules (benchmarking/flags.py): properties with hypothesis, examples in words, and
the outside-range rule on the shipped 2025 data, where it should flag roughly 10-20% of
councils per indicator (no database: the rules and the readers are pure)."""

from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from benchmarking import dfe_files
from benchmarking import flags as rules
from benchmarking.flags import (
    MARKEDLY_DIFFERENT,
    OUTSIDE_RANGE,
    SMALL_NUMBERS,
    WORSE_RUN,
    direction,
    flags,
    rank,
    robust_z,
    summary,
)
from tests.benchmarking.shipped import CATALOGUE, COUNCILS, shipped

figures = st.decimals(min_value=0, max_value=1000, places=1, allow_nan=False)
maybe = st.one_of(st.none(), figures)
groups = st.lists(maybe, min_size=10, max_size=10)
polarities = st.sampled_from(["High", "Low", "Neutral"])


def kinds(found) -> set[str]:
    return {flag.kind for flag in found}


@given(value=figures, neighbours=groups, polarity=polarities)
def test_outside_the_range_exactly_when_beyond_every_reporting_neighbour(
    value, neighbours, polarity
):
    published = [v for v in neighbours if v is not None]
    found = kinds(flags(value=value, neighbours=neighbours, polarity=polarity))
    expected = len(published) >= rules.MIN_REPORTING and (
        value < min(published) or value > max(published)
    )
    assert (OUTSIDE_RANGE in found) == expected


@given(neighbours=groups, polarity=polarities)
def test_a_suppressed_figure_is_never_flagged(neighbours, polarity):
    assert flags(value=None, neighbours=neighbours, polarity=polarity, numerator=3) == []


@given(value=figures, neighbours=st.lists(maybe, min_size=10, max_size=10), polarity=polarities)
def test_too_few_neighbours_reporting_means_no_comparison(value, neighbours, polarity):
    assume(sum(v is not None for v in neighbours) < rules.MIN_REPORTING)
    found = kinds(flags(value=value, neighbours=neighbours, polarity=polarity))
    assert not found & {OUTSIDE_RANGE, MARKEDLY_DIFFERENT}


@given(value=figures, neighbours=groups, factor=st.sampled_from([Decimal(2), Decimal(10)]))
def test_the_flags_do_not_depend_on_the_unit(value, neighbours, factor):
    scaled = [None if v is None else v * factor for v in neighbours]
    assert kinds(flags(value=value, neighbours=neighbours, polarity="Low")) == kinds(
        flags(value=value * factor, neighbours=scaled, polarity="Low")
    )


@given(value=figures, neighbours=groups)
def test_the_robust_score_is_symmetric(value, neighbours):
    z = robust_z(value, neighbours)
    mirrored = robust_z(-value, [None if v is None else -v for v in neighbours])
    assert (z is None and mirrored is None) or z == -mirrored


@given(
    start=figures,
    steps=st.lists(
        st.decimals(min_value=Decimal("0.1"), max_value=50, places=1), min_size=3, max_size=3
    ),
)
def test_three_moves_the_worse_way_are_flagged_and_a_neutral_indicator_never(start, steps):
    rising = [start]
    for step in steps:
        rising.append(rising[-1] + step)
    kwargs = {"value": rising[-1], "neighbours": [None] * 10, "series": rising}
    assert WORSE_RUN in kinds(flags(polarity="Low", **kwargs))  # lower is better
    assert WORSE_RUN not in kinds(flags(polarity="High", **kwargs))
    assert WORSE_RUN not in kinds(flags(polarity="Neutral", **kwargs))
    broken = [*rising[:-1], rising[-2]]  # the last change is none
    assert WORSE_RUN not in kinds(flags(polarity="Low", **{**kwargs, "series": broken}))


def test_the_words_say_what_the_numbers_do():
    neighbours = [Decimal(n) for n in (20, 21, 22, 22, 23, 23, 24, 25, 26, 27)]
    found = flags(value=Decimal(12), neighbours=neighbours, polarity="High", numerator=8)
    assert [(f.text, f.caution) for f in found] == [
        ("Lower than all its neighbours", False),
        ("Markedly below its neighbours' median", False),
        ("Based on fewer than 10: small numbers move a lot", True),
    ]
    assert {f.kind for f in found} == {OUTSIDE_RANGE, MARKEDLY_DIFFERENT, SMALL_NUMBERS}
    assert flags(value=Decimal(23), neighbours=neighbours, polarity="High") == []


def test_summary_rank_and_direction():
    stats = summary([Decimal(3), None, Decimal(1), Decimal(2)])
    assert stats == rules.NeighbourSummary(3, Decimal(2), Decimal(1), Decimal(3))
    assert rank(Decimal(2), [Decimal(3), None, Decimal(1)]) == 2
    assert direction(Decimal(10), Decimal(12), "High") == "improving"
    assert direction(Decimal(10), Decimal(12), "Low") == "worsening"
    assert direction(Decimal(10), Decimal(12), "Neutral") == "increasing"
    assert direction(Decimal(12), Decimal(10), "Neutral") == "decreasing"
    assert direction(Decimal(10), Decimal(10), "Low") == "no change"
    assert direction(None, Decimal(10), "Low") == ""


# On the shipped data ------------------------------------------------------------------------


def neighbour_groups() -> dict[str, list[str]]:
    rows, _ = dfe_files.read_neighbours(
        shipped("statistical_neighbours_2025.csv"), councils=COUNCILS
    )
    found = defaultdict(list)
    for row in rows:
        found[row.council].append(row.neighbour)
    return found


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda entry: entry.code)
def test_on_the_2025_data_the_range_rule_flags_about_one_council_in_six(entry):
    groups = neighbour_groups()
    rows, _ = dfe_files.read_figures(
        shipped(entry.source_file), catalogue=CATALOGUE, councils=COUNCILS
    )
    current = {
        row.area_code: row.value
        for row in rows
        if row.indicator == entry.code and row.level == "council" and row.period == "2025"
    }
    flagged = sum(
        OUTSIDE_RANGE
        in kinds(
            flags(
                value=value,
                neighbours=[current.get(code) for code in groups[council]],
                polarity=entry.polarity,
            )
        )
        for council, value in current.items()
    )
    # Measured on 6 December 2026: 10% (children looked after) to 21% of the councils.
    assert 0.08 <= flagged / len(current) <= 0.25
