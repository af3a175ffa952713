"""The triad grouping rule (peerchallenge/grouping.py): pure Python, no database."""

import random
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerchallenge.grouping import (
    CouncilInfo,
    GroupingError,
    Suggestion,
    group_sizes,
    suggestion_score,
    triads_suggest,
)

GRADES = ("outstanding", "good", "requires_improvement", "inadequate", "")


@st.composite
def alliances(draw, min_n=3, max_n=40):
    """(councils, past_pairs): distinct ids, possibly equal names, random grades and history."""
    n = draw(st.integers(min_n, max_n).filter(lambda n: n != 5))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True))
    names = draw(st.lists(st.text("ABCDE", min_size=1, max_size=3), min_size=n, max_size=n))
    grades = draw(st.lists(st.sampled_from(GRADES), min_size=n, max_size=n))
    councils = [CouncilInfo(*info) for info in zip(ids, names, grades, strict=True)]
    history = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(1, 3)),
            max_size=3 * n,
        )
    )
    past_pairs = {frozenset((ids[i], ids[j])): times for i, j, times in history if i != j}
    return councils, past_pairs


def weighted_repeats(groups, past_pairs):
    return sum(
        past_pairs.get(frozenset(pair), 0) for group in groups for pair in combinations(group, 2)
    )


def partitions(items, sizes):
    """Every split of ``items`` into groups of ``sizes`` (brute force, each split once)."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for size in sorted(set(sizes)):
        left = list(sizes)
        left.remove(size)
        for mates in combinations(rest, size - 1):
            remaining = [item for item in rest if item not in mates]
            for tail in partitions(remaining, left):
                yield [(first, *mates), *tail]


def cycle_pairs(*cycles):
    """past_pairs from earlier cycles, each a list of groups of ids."""
    past = {}
    for cycle in cycles:
        for group in cycle:
            for a, b in combinations(group, 2):
                past[frozenset((a, b))] = past.get(frozenset((a, b)), 0) + 1
    return past


# --- group sizes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "sizes"),
    [
        (3, [3]),
        (4, [4]),
        (6, [3, 3]),
        (7, [3, 4]),
        (8, [4, 4]),
        (10, [3, 3, 4]),
        (11, [3, 4, 4]),
        (40, [3] * 12 + [4]),
    ],
)
def test_group_sizes_uses_only_threes_and_fours(n, sizes):
    assert group_sizes(n) == sizes


@pytest.mark.parametrize("n", [0, 1, 2])
def test_group_sizes_refuses_fewer_than_three_councils(n):
    with pytest.raises(GroupingError) as error:
        group_sizes(n)
    assert str(error.value) == f"Triads need at least 3 councils; there are {n}."


def test_group_sizes_refuses_five_councils():
    with pytest.raises(GroupingError) as error:
        group_sizes(5)
    assert str(error.value) == "5 councils cannot be split into groups of 3 and 4."


def test_triads_suggest_refuses_five_councils():
    councils = [CouncilInfo(i, f"C{i}", "") for i in range(5)]
    with pytest.raises(GroupingError, match="5 councils cannot be split"):
        triads_suggest(councils, past_pairs={})


def test_triads_suggest_refuses_a_duplicated_council():
    councils = [CouncilInfo(1, "A", ""), CouncilInfo(1, "A", ""), CouncilInfo(2, "B", "")]
    with pytest.raises(GroupingError) as error:
        triads_suggest(councils, past_pairs={})
    assert str(error.value) == "A council is listed more than once."


# --- score ---------------------------------------------------------------------------------


def test_suggestion_score_follows_the_documented_formula():
    councils = [
        CouncilInfo(1, "A", "inadequate"),
        CouncilInfo(2, "B", "inadequate"),
        CouncilInfo(3, "C", "good"),
        CouncilInfo(4, "D", "good"),
        CouncilInfo(5, "E", "good"),
        CouncilInfo(6, "F", ""),
        CouncilInfo(7, "G", ""),
    ]
    past = {frozenset((1, 2)): 2, frozenset((4, 6)): 1, frozenset((1, 4)): 5}
    score, repeats = suggestion_score([(2, 1, 3), (7, 6, 5, 4)], councils=councils, past_pairs=past)
    # 1-2: 2 repeats + same grade + inadequate pair = 2003; 4-5: same grade = 1;
    # 4-6: 1 repeat = 1000; 6-7: unknown grades never match = 0; 1-4 are apart.
    assert score == 3004
    assert repeats == ((1, 2, 2), (4, 6, 1))


def test_suggestion_score_refuses_unknown_and_repeated_councils():
    councils = [CouncilInfo(i, f"C{i}", "") for i in range(1, 7)]
    with pytest.raises(GroupingError) as error:
        suggestion_score([(1, 2, 3), (4, 5, 99)], councils=councils, past_pairs={})
    assert str(error.value) == "Council 99 is not one of the councils."
    with pytest.raises(GroupingError) as error:
        suggestion_score([(1, 2, 3), (3, 4, 5)], councils=councils, past_pairs={})
    assert str(error.value) == "Council 3 is in more than one group."


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(alliance=alliances())
def test_triads_suggest_places_every_council_once_in_groups_of_three_or_four(alliance):
    councils, past = alliance
    suggestion = triads_suggest(councils, past_pairs=past)

    placed = [council_id for group in suggestion.groups for council_id in group]
    assert sorted(placed) == sorted(c.id for c in councils)
    assert {len(group) for group in suggestion.groups} <= {3, 4}
    sizes = group_sizes(len(councils))
    assert sorted(len(group) for group in suggestion.groups) == sizes
    assert sum(len(group) == 4 for group in suggestion.groups) == sizes.count(4)
    # Each group by council name; groups by their first council's name (ties by id).
    key = {c.id: (c.name, c.id) for c in councils}
    for group in suggestion.groups:
        assert [key[i] for i in group] == sorted(key[i] for i in group)
    firsts = [key[group[0]] for group in suggestion.groups]
    assert firsts == sorted(firsts)


@settings(max_examples=50, deadline=None)
@given(alliance=alliances(), data=st.data())
def test_triads_suggest_is_deterministic_and_ignores_input_order(alliance, data):
    councils, past = alliance
    first = triads_suggest(councils, past_pairs=past)
    assert triads_suggest(councils, past_pairs=past) == first
    shuffled = data.draw(st.permutations(councils))
    assert triads_suggest(shuffled, past_pairs=dict(reversed(past.items()))) == first


@settings(max_examples=80, deadline=None)
@given(alliance=alliances())
def test_triads_suggest_repeats_lists_exactly_the_pairs_together_before(alliance):
    councils, past = alliance
    suggestion = triads_suggest(councils, past_pairs=past)

    expected = sorted(
        (a, b, past[frozenset((a, b))])
        for group in suggestion.groups
        for a, b in combinations(sorted(group), 2)
        if past.get(frozenset((a, b)), 0) > 0
    )
    assert suggestion.repeats == tuple(expected)
    assert (suggestion.score, suggestion.repeats) == suggestion_score(
        suggestion.groups, councils=councils, past_pairs=past
    )
    assert suggestion.score // 1000 == weighted_repeats(suggestion.groups, past)


@settings(max_examples=100, deadline=None)
@given(alliance=alliances(max_n=9))
def test_triads_suggest_small_alliance_has_no_avoidable_repeat(alliance):
    councils, past = alliance
    suggestion = triads_suggest(councils, past_pairs=past)

    every = list(partitions([c.id for c in councils], group_sizes(len(councils))))
    fewest = min(weighted_repeats(groups, past) for groups in every)
    assert weighted_repeats(suggestion.groups, past) == fewest
    best = min(suggestion_score(groups, councils=councils, past_pairs=past)[0] for groups in every)
    assert suggestion.score == best


# --- hand-made cases -----------------------------------------------------------------------

EAST_MIDLANDS = {  # id: (name, illustrative grade)
    11: ("Derby", "good"),
    12: ("Derbyshire", "good"),
    13: ("Leicester", "requires_improvement"),
    14: ("Leicestershire", "good"),
    15: ("Lincolnshire", "outstanding"),
    16: ("North Northamptonshire", "inadequate"),
    17: ("Nottingham", "requires_improvement"),
    18: ("Nottinghamshire", "good"),
    19: ("Rutland", "good"),
    20: ("West Northamptonshire", "inadequate"),
}
NORTHAMPTONSHIRE = 99  # split into North and West Northamptonshire in 2021


def test_triads_suggest_east_midlands_avoids_every_pairing_from_earlier_cycles():
    councils = [CouncilInfo(i, name, grade) for i, (name, grade) in EAST_MIDLANDS.items()]
    past = cycle_pairs(
        [(11, 12, 17), (13, 14, 19), (15, NORTHAMPTONSHIRE, 18)],
        [(11, 13, 15), (12, 14, NORTHAMPTONSHIRE), (17, 19, 18)],
    )
    suggestion = triads_suggest(councils, past_pairs=past)

    assert suggestion.repeats == ()
    assert weighted_repeats(suggestion.groups, past) == 0
    assert suggestion.score < 1000
    assert sorted(len(group) for group in suggestion.groups) == [3, 3, 4]


def test_triads_suggest_reports_the_one_repeat_ten_councils_cannot_avoid():
    # After a 3+3+4 cycle of the same ten councils, the new group of 4 must take two
    # councils from one old group: one repeat is unavoidable, and only one.
    councils = [CouncilInfo(i, name, grade) for i, (name, grade) in EAST_MIDLANDS.items()]
    past = cycle_pairs([(11, 12, 17), (13, 14, 19), (15, 16, 18, 20)])
    suggestion = triads_suggest(councils, past_pairs=past)

    assert len(suggestion.repeats) == 1
    assert suggestion.repeats[0][2] == 1
    assert 1000 <= suggestion.score < 2000


def test_triads_suggest_mixes_outstanding_and_inadequate_councils():
    councils = [CouncilInfo(i, f"Council {i}", "outstanding") for i in (1, 2, 3)] + [
        CouncilInfo(i, f"Council {i}", "inadequate") for i in (4, 5, 6)
    ]
    suggestion = triads_suggest(councils, past_pairs={})

    grade = {c.id: c.grade for c in councils}
    for group in suggestion.groups:
        assert {grade[i] for i in group} == {"outstanding", "inadequate"}
    # One triad with two outstanding (1), one with two inadequate (1 + 2).
    assert suggestion == Suggestion(groups=suggestion.groups, repeats=(), score=4)


def test_triads_suggest_prefers_no_repeat_over_a_grade_mix():
    councils = [CouncilInfo(i, f"Council {i}", "outstanding") for i in (1, 2, 3)] + [
        CouncilInfo(i, f"Council {i}", "inadequate") for i in (4, 5, 6)
    ]
    past = {frozenset((a, b)): 1 for a in (1, 2, 3) for b in (4, 5, 6)}
    suggestion = triads_suggest(councils, past_pairs=past)

    assert suggestion == Suggestion(groups=((1, 2, 3), (4, 5, 6)), repeats=(), score=3 + 9)


# --- size guard (runs once; no timing assertion) ---------------------------------------------


@pytest.mark.parametrize("n", [40, 153])
def test_triads_suggest_completes_for_a_large_alliance(n):
    rng = random.Random(n)
    councils = [CouncilInfo(i, f"Council {i:03d}", rng.choice(GRADES)) for i in range(1, n + 1)]
    ids = [c.id for c in councils]
    cycles = []
    for _ in range(4):
        rng.shuffle(ids)
        cycles.append([ids[i : i + 3] for i in range(0, n - n % 3, 3)])
    suggestion = triads_suggest(councils, past_pairs=cycle_pairs(*cycles))

    assert sorted(i for group in suggestion.groups for i in group) == list(range(1, n + 1))
    assert sorted(len(group) for group in suggestion.groups) == group_sizes(n)
