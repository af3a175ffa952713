"""A council's data pack as people read it, on the page and in the PDF: each indicator's
figures written out (DfE's symbols kept), its two charts (benchmarking.charts) and the
tables of their figures, and its flags and cautions."""

from dataclasses import dataclass

from . import charts
from .dfe_files import SYMBOLS
from .models import Polarity
from .selectors import PackRow, Point, data_pack
from .selectors_flags import answers_of

POLARITY_WORDS = {
    Polarity.HIGH: "Higher is better.",
    Polarity.LOW: "Lower is better.",
    Polarity.NEUTRAL: "Neither higher nor lower is better: a figure for context.",
}


NONE = "\u2013"  # an en dash: no row for that year or area


def shown(point, decimals: int) -> str:
    """A figure as the page writes it: the number, or DfE's symbol."""
    if point is None:
        return NONE
    if point.value is None:
        return point.symbol or NONE
    return f"{point.value:,.{decimals}f}"


@dataclass
class Section:
    row: PackRow
    anchor: str
    figure: str
    england: str
    region: str
    median: str
    low: str
    high: str
    polarity: str
    neighbours_chart: str
    neighbour_rows: list  # (name, figure, is the council)
    series_chart: str
    series_rows: list  # (period, council, England, neighbours' median)
    flags: list
    cautions: list
    theme: str = ""
    revised_from: str = ""  # the figure as it stood before a later load revised it
    answer: object = None  # the FlagAnswer to its flags, for this period
    kloe_url: str = ""  # the line of enquiry the answer made, for those who may read it


def pack_section(row: PackRow, *, council) -> Section:
    """One indicator of a council's pack as the page and the PDF show it: the figures
    written out, the two charts and their tables, the flags and cautions."""
    decimals = row.indicator.decimals
    name = council.name
    ranked = sorted(
        [(name, row.figure, True), *((n.name, p, False) for n, p in row.neighbour_figures)],
        key=lambda item: (item[1] is None or item[1].value is None, -(_value(item[1]))),
    )
    anchor = row.indicator.code.replace("_", "-")
    neighbours_chart = charts.neighbours_bars(
        chart_id=f"{anchor}-neighbours",
        title=f"{row.indicator.title}, {row.period}: {name} and its statistical neighbours",
        description=(
            f"Bars for {name} and its {len(row.neighbour_figures)} statistical neighbours, "
            "highest first. The table after the chart has the same figures."
        ),
        rows=[(label, point.value if point else None, mine) for label, point, mine in ranked],
        decimals=decimals,
    )
    england = {point.period: point for point in row.england_series}
    medians = {point.period: point for point in row.neighbours_median}
    own = {point.period: point for point in row.series}
    periods = sorted(set(own) | set(england))
    series_chart = charts.series_lines(
        chart_id=f"{anchor}-series",
        title=f"{row.indicator.title}: {name}, England and the neighbours' median over time",
        description=(
            f"Lines from {periods[0]} to {periods[-1]}. The table after the chart has the "
            "same figures."
        ),
        periods=periods,
        lines=[
            (name, [_or_none(own.get(p)) for p in periods], False),
            ("England", [_or_none(england.get(p)) for p in periods], True),
            ("Neighbours' median", [_or_none(medians.get(p)) for p in periods], False),
        ],
        decimals=decimals,
    )
    return Section(
        row=row,
        anchor=anchor,
        figure=shown(row.figure, decimals),
        revised_from=shown(row.revised_from, decimals) if row.revised_from else "",
        england=shown(row.england, decimals),
        region=shown(row.region, decimals),
        median=shown(_point(row.neighbours.median), decimals),
        low=shown(_point(row.neighbours.low), decimals),
        high=shown(_point(row.neighbours.high), decimals),
        polarity=POLARITY_WORDS[row.indicator.polarity],
        neighbours_chart=neighbours_chart,
        neighbour_rows=[(label, shown(point, decimals), mine) for label, point, mine in ranked],
        series_chart=series_chart,
        series_rows=[
            (
                period,
                shown(own.get(period), decimals),
                shown(england.get(period), decimals),
                shown(medians.get(period), decimals),
            )
            for period in reversed(periods)
        ],
        flags=[flag for flag in row.flags if not flag.caution],
        cautions=[flag for flag in row.flags if flag.caution],
    )


def pack_sections(*, alliance, council, indicators, themes) -> tuple[list, list[Section]]:
    """The pack's rows (selectors.data_pack) and their sections as the page and the PDF
    show them, each with its theme and, where flagged, the council's answer for that period
    (not the link to the line of enquiry it made: that is the reader's). Two queries more
    than `data_pack`."""
    rows = data_pack(council=council, alliance=alliance, indicators=indicators)
    answers = answers_of(alliance=alliance, council=council) if rows else {}
    sections = [pack_section(row, council=council) for row in rows]
    for section in sections:
        section.theme = themes.get(section.row.indicator.pk, "")
        if section.flags:
            section.answer = answers.get((section.row.indicator.pk, section.row.period))
    return rows, sections


def _value(point) -> float:
    return float(point.value) if point is not None and point.value is not None else 0.0


def _or_none(point):
    return point.value if point is not None else None


def _point(value):
    """A bare value (a median, a bound) as a Point `shown` writes."""
    return None if value is None else Point("", value)


def pack_symbols(rows) -> list[tuple[str, str]]:
    """DfE's symbols that appear in the pack, with their meanings: the pack's key."""
    found = {
        point.symbol
        for row in rows
        for point in [row.figure, *row.series, *(p for _, p in row.neighbour_figures if p)]
        if point.symbol
    }
    return [(symbol, SYMBOLS[symbol]) for symbol in sorted(found) if symbol in SYMBOLS]
