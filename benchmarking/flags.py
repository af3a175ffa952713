"""Flags: where a council's figure stands out from its statistical neighbours', or has moved
the worse way three periods running. Prompts for a question, never judgements: the words
say what the numbers do ("lower than all its neighbours"), following the indicator's
polarity for "better" and "worse", and never call a neutral indicator's move either.

Pure functions of the figures (no database), so that each rule is tested with hypothesis
and on the shipped 2025 data (docs/plan-benchmarking.md):

- **Outside the range**: the figure is below the lowest or above the highest of its
  neighbours' figures, with at least `MIN_REPORTING` of the ten neighbours reporting and the
  council's own figure published (not suppressed).
- **Markedly different**: its robust z-score, the distance from the neighbours' median in
  units of their median absolute deviation (scaled by 1.4826 to match a standard deviation
  for normal data), is `MARKED_Z` or more, on the same conditions. When half or more of the
  neighbours have the same figure, the deviation is 0 and no score is given.
- **Worse three periods running**: the last three changes of the council's series all went
  the worse way (an indicator with a better direction only).
- **Small numbers** (a caution, not a flag): the figure rests on fewer than
  `SMALL_NUMERATOR` children or cases.
"""

from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from statistics import median

MIN_REPORTING = 6
MARKED_Z = Decimal(2)
MAD_SCALE = Decimal("1.4826")
SMALL_NUMERATOR = 10
RUN = 3  # changes in a row

HIGH, LOW, NEUTRAL = "High", "Low", "Neutral"

OUTSIDE_RANGE = "outside_range"
MARKEDLY_DIFFERENT = "markedly_different"
WORSE_RUN = "worse_three_periods"
SMALL_NUMBERS = "small_numbers"


@dataclass(frozen=True)
class NeighbourSummary:
    reporting: int  # how many neighbours have a figure
    median: Decimal | None
    low: Decimal | None
    high: Decimal | None


@dataclass(frozen=True)
class Flag:
    kind: str
    text: str
    caution: bool = False  # a caution to read the figure with, not a flag to answer


def summary(values) -> NeighbourSummary:
    """The neighbours' published figures (None for a suppressed or missing one)."""
    published = sorted(value for value in values if value is not None)
    if not published:
        return NeighbourSummary(0, None, None, None)
    return NeighbourSummary(len(published), median(published), published[0], published[-1])


def robust_z(value: Decimal, values) -> Decimal | None:
    """How many (scaled) median absolute deviations `value` lies from the median of
    `values`; None when the deviation is 0."""
    published = [v for v in values if v is not None]
    if not published:
        return None
    middle = median(published)
    deviation = median(abs(v - middle) for v in published)
    if deviation == 0:
        return None
    return (value - middle) / (MAD_SCALE * deviation)


def rank(value: Decimal, values) -> int:
    """1 for the highest figure among the council and its reporting neighbours."""
    return 1 + sum(1 for v in values if v is not None and v > value)


def direction(before: Decimal | None, after: Decimal | None, polarity: str) -> str:
    """The direction of travel in words: improving or worsening where one way is better,
    increasing or decreasing where neither is; "no change"; "" when either is missing."""
    if before is None or after is None:
        return ""
    if after == before:
        return "no change"
    up = after > before
    if polarity == NEUTRAL:
        return "increasing" if up else "decreasing"
    return "improving" if up == (polarity == HIGH) else "worsening"


def flags(
    *,
    value: Decimal | None,
    neighbours,
    polarity: str,
    series=(),
    numerator: Decimal | None = None,
) -> list[Flag]:
    """The flags and cautions of one council's figure for one indicator and period.
    `neighbours`: its ten neighbours' figures for the period (None where not published);
    `series`: its own figures over the periods held, oldest first, ending with this one."""
    found: list[Flag] = []
    if value is None:
        return found
    stats = summary(neighbours)
    if stats.reporting >= MIN_REPORTING:
        if value < stats.low:
            found.append(Flag(OUTSIDE_RANGE, "Lower than all its neighbours"))
        elif value > stats.high:
            found.append(Flag(OUTSIDE_RANGE, "Higher than all its neighbours"))
        z = robust_z(value, neighbours)
        if z is not None and abs(z) >= MARKED_Z:
            side = "above" if z > 0 else "below"
            found.append(Flag(MARKEDLY_DIFFERENT, f"Markedly {side} its neighbours' median"))
    if polarity != NEUTRAL and _worse_run(list(series), polarity):
        found.append(Flag(WORSE_RUN, f"Worse {RUN} periods running"))
    if numerator is not None and numerator < SMALL_NUMERATOR:
        found.append(
            Flag(
                SMALL_NUMBERS,
                f"Based on fewer than {SMALL_NUMERATOR}: small numbers move a lot",
                caution=True,
            )
        )
    return found


def _worse_run(series: list, polarity: str) -> bool:
    last = series[-(RUN + 1) :]
    if len(last) < RUN + 1 or any(v is None for v in last):
        return False
    return all(
        direction(before, after, polarity) == "worsening" for before, after in pairwise(last)
    )
