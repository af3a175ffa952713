"""Suggest triads (groups of 3 or 4 councils) for an alliance: a triad peer challenge
cycle, or the councils that scrutinise each other in the improvement cycle. Pure Python:
no Django.

The rule
--------
Councils go into groups of 3; when the count is not a multiple of 3 one group (n % 3 == 1)
or two groups (n % 3 == 2) have 4 instead. There is never a group of 2 or of 5+, so 1, 2
and 5 councils cannot be grouped (``GroupingError``).

The score (lower is better)
---------------------------
Every pair of councils placed in the same group costs::

    pair_cost(a, b) = REPEAT_WEIGHT * past_pairs[{a, b}]          # times together before
                    + SAME_GRADE_PENALTY * (grade_a == grade_b != "")
                    + INADEQUATE_PAIR_PENALTY * (grade_a == grade_b == "inadequate")

    score = sum of pair_cost over all pairs in the same group
          = REPEAT_WEIGHT * weighted_repeats + mix_penalty

with REPEAT_WEIGHT = 1000, SAME_GRADE_PENALTY = 1 and INADEQUATE_PAIR_PENALTY = 2. An unknown
grade ("") never matches. A pair of inadequate councils thus costs 3, so weak councils are
spread among stronger ones. A grouping has at most 1.5 pairs per council, so mix_penalty is
at most 4.5 * n, below REPEAT_WEIGHT for up to 222 councils (England has 153): removing a
repeat always beats any improvement in grade mix.

The search
----------
Councils are first sorted by (name, id), so the result does not depend on input order. Up to
EXHAUSTIVE_MAX councils every partition is tried (branch and bound) and the first best one in
canonical order wins, so the minimum is exact. Above that, an iterated local search: descend
from the canonical order (swap two councils between groups, or move one from a group of 4 to
a group of 3, until no move improves); then min(MAX_KICKS, KICK_BUDGET // n) times perturb
with two random swaps from ``random.Random(n)`` and descend again, going back to the best
grouping whenever the result is worse. No clock and no global random state.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

REPEAT_WEIGHT = 1000
SAME_GRADE_PENALTY = 1
INADEQUATE_PAIR_PENALTY = 2
INADEQUATE = "inadequate"
EXHAUSTIVE_MAX = 12
MAX_KICKS = 300
KICK_BUDGET = 30_000  # kicks = min(MAX_KICKS, KICK_BUDGET // n): time stays bounded


@dataclass(frozen=True)
class CouncilInfo:
    id: int
    name: str
    grade: str  # "outstanding" | "good" | "requires_improvement" | "inadequate" | "" (unknown)


@dataclass(frozen=True)
class Suggestion:
    groups: tuple[tuple[int, ...], ...]  # council ids; by name within and across groups
    repeats: tuple[tuple[int, int, int], ...]  # (id_a, id_b, times_together_before), a < b
    score: int  # see the module docstring


class GroupingError(ValueError):
    """The councils cannot be grouped (too few, 5, duplicated or unknown ids)."""


def group_sizes(n: int) -> list[int]:
    """Sizes of the groups for ``n`` councils: 3s, then one or two 4s."""
    if n < 3:
        raise GroupingError(f"Triads need at least 3 councils; there are {n}.")
    if n == 5:
        raise GroupingError("5 councils cannot be split into groups of 3 and 4.")
    fours = n % 3  # n % 3 == 1: one group of 4; n % 3 == 2: two groups of 4
    return [3] * ((n - 4 * fours) // 3) + [4] * fours


def suggestion_score(
    groups: Sequence[Sequence[int]],
    *,
    councils: Sequence[CouncilInfo],
    past_pairs: Mapping[frozenset[int], int],
) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """Score any grouping (e.g. one a programme manager edited): ``(score, repeats)``.

    ``repeats`` lists (id_a, id_b, times_together_before) for each pair in the same group
    that was together before, sorted by ids. Group sizes are not checked here.
    """
    grades = {c.id: c.grade for c in councils}
    seen: set[int] = set()
    for group in groups:
        for council_id in group:
            if council_id not in grades:
                raise GroupingError(f"Council {council_id} is not one of the councils.")
            if council_id in seen:
                raise GroupingError(f"Council {council_id} is in more than one group.")
            seen.add(council_id)
    score = 0
    repeats = []
    for group in groups:
        for a, b in combinations(sorted(group), 2):
            times = max(past_pairs.get(frozenset((a, b)), 0), 0)
            if times:
                repeats.append((a, b, times))
            score += REPEAT_WEIGHT * times + _mix_cost(grades[a], grades[b])
    return score, tuple(sorted(repeats))


def triads_suggest(
    councils: Sequence[CouncilInfo], *, past_pairs: Mapping[frozenset[int], int]
) -> Suggestion:
    """The best grouping found for ``councils`` (deterministic; see the module docstring)."""
    ordered = sorted(councils, key=lambda c: (c.name, c.id))
    ids = [c.id for c in ordered]
    if len(set(ids)) != len(ids):
        raise GroupingError("A council is listed more than once.")
    sizes = group_sizes(len(ordered))
    cost = [
        [
            0
            if i == j
            else REPEAT_WEIGHT * max(past_pairs.get(frozenset((a.id, b.id)), 0), 0)
            + _mix_cost(a.grade, b.grade)
            for j, b in enumerate(ordered)
        ]
        for i, a in enumerate(ordered)
    ]
    best = (_exhaustive if len(ordered) <= EXHAUSTIVE_MAX else _search)(cost, sizes)
    # Indices follow (name, id) order, so sorting indices sorts by name.
    groups = tuple(tuple(ids[i] for i in g) for g in sorted(sorted(g) for g in best))
    score, repeats = suggestion_score(groups, councils=ordered, past_pairs=past_pairs)
    return Suggestion(groups=groups, repeats=repeats, score=score)


def _mix_cost(grade_a: str, grade_b: str) -> int:
    if not grade_a or grade_a != grade_b:
        return 0
    return SAME_GRADE_PENALTY + (INADEQUATE_PAIR_PENALTY if grade_a == INADEQUATE else 0)


def _exhaustive(cost: list[list[int]], sizes: list[int]) -> list[list[int]]:
    """Every partition once: the lowest unplaced council opens a group of each size left."""
    n = len(cost)
    best: list = [None, float("inf")]
    placed = [False] * n

    def extend(groups: list[list[int]], sizes_left: list[int], total: int) -> None:
        if total >= best[1]:
            return
        if not sizes_left:
            best[0], best[1] = [list(g) for g in groups], total
            return
        first = placed.index(False)
        rest = [i for i in range(first + 1, n) if not placed[i]]
        for size in sorted(set(sizes_left)):
            left = list(sizes_left)
            left.remove(size)
            for mates in combinations(rest, size - 1):
                group = [first, *mates]
                added = sum(cost[a][b] for a, b in combinations(group, 2))
                for i in group:
                    placed[i] = True
                extend([*groups, group], left, total + added)
                for i in group:
                    placed[i] = False

    extend([], sorted(sizes), 0)
    return best[0]


def _search(cost: list[list[int]], sizes: list[int]) -> list[list[int]]:
    """Iterated local search: descend, then repeatedly kick (two random swaps), descend
    again, and go back to the best grouping whenever the kicked one is worse."""
    n = len(cost)
    state = _State(cost, sizes)
    state.descend(range(n))
    best = state.snapshot()
    rng = random.Random(n)
    for _ in range(min(MAX_KICKS, KICK_BUDGET // n)):
        if state.total == 0:
            break
        touched = set()
        for _ in range(2):
            i, j = rng.sample(range(n), 2)
            if state.group_of[i] != state.group_of[j]:
                touched.update((state.group_of[i], state.group_of[j]))
                state.swap(i, j)
        state.descend(i for i in range(n) if state.group_of[i] in touched)
        if state.total < best[0]:
            best = state.snapshot()
        elif state.total > best[0]:
            state.restore(best)
    state.restore(best)
    return [[i for i in range(n) if state.group_of[i] == g] for g in range(len(sizes))]


class _State:
    """A grouping with ``links[i][g]``, the cost of council i with group g's members, so
    each candidate move is priced in O(1)."""

    def __init__(self, cost: list[list[int]], sizes: list[int]) -> None:
        self.cost, n = cost, len(cost)
        self.sizes = list(sizes)
        self.group_of = [g for g, size in enumerate(sizes) for _ in range(size)]
        self.links = [[0] * len(sizes) for _ in range(n)]
        for i in range(n):
            for j in range(n):
                self.links[i][self.group_of[j]] += cost[i][j]
        self.total = sum(self.links[i][self.group_of[i]] for i in range(n)) // 2

    def snapshot(self) -> tuple:
        return self.total, self.group_of[:], self.sizes[:], [row[:] for row in self.links]

    def restore(self, snapshot: tuple) -> None:
        self.total, group_of, sizes, links = snapshot
        self.group_of, self.sizes, self.links = group_of[:], sizes[:], [r[:] for r in links]

    def move(self, i: int, target: int) -> None:
        source, cost_i = self.group_of[i], self.cost[i]
        self.total += self.links[i][target] - self.links[i][source]
        for k, row in enumerate(self.links):
            row[source] -= cost_i[k]
            row[target] += cost_i[k]
        self.group_of[i] = target
        self.sizes[source] -= 1
        self.sizes[target] += 1

    def swap(self, i: int, j: int) -> None:
        a, b = self.group_of[i], self.group_of[j]
        self.move(i, b)
        self.move(j, a)

    def descend(self, active) -> None:
        """Apply the best move of each active council until none improves. A move changes
        two groups, whose members become active; every move touching a group is found
        from its members (swaps, moves out of a 4, moves into a 3), so the result is a
        local optimum for all swaps and 4->3 moves."""
        active = set(active)
        group_of, links, sizes, cost = self.group_of, self.links, self.sizes, self.cost
        while active:
            i = min(active)
            active.discard(i)
            a, li, cost_i = group_of[i], links[i], cost[i]
            own = li[a]
            best, best_move = 0, None
            for j, b in enumerate(group_of):
                if b != a:
                    lj = links[j]
                    delta = li[b] - own + lj[a] - lj[b] - 2 * cost_i[j]
                    if delta < best:
                        best, best_move = delta, ("swap", i, j)
            if sizes[a] == 4:  # move i out to a triad
                for b, size in enumerate(sizes):
                    if size == 3 and li[b] - own < best:
                        best, best_move = li[b] - own, ("move", i, b)
            elif 4 in sizes:  # move someone from a group of 4 into i's triad
                for j, b in enumerate(group_of):
                    if sizes[b] == 4 and links[j][a] - links[j][b] < best:
                        best, best_move = links[j][a] - links[j][b], ("move", j, a)
            if best_move is not None:
                kind, x, y = best_move
                changed = {group_of[x], group_of[y] if kind == "swap" else y}
                (self.swap if kind == "swap" else self.move)(x, y)
                active.update(k for k, g in enumerate(group_of) if g in changed)
