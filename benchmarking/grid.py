"""The grid ("tartan rug"): the councils an alliance covers by the indicators of its
framework, for one year, each figure with its quartile band among every council in
England, and England's and the regions' figures above them. Read in five queries whatever
the councils, indicators and years; the page, its exports (CSV, XLSX, PDF: benchmarking
.reports) and the tests all read it here.

Bands follow the indicator's better direction and are computed over every council in
England that has a figure for the indicator and period, as DfE's LAIT does (not over the
rows shown, so a region's bands mean the same as the nation's): band A is the best quarter
(the highest figures where higher is better, the lowest where lower is better), D the
quarter furthest from it. An indicator with no better direction has no band. A council's
band counts the councils with a strictly better figure, so councils with the same figure
share a band."""

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.db.models import F, Q, QuerySet

from peerchallenge.models import LocalAuthority
from peerchallenge.selectors import councils_of_alliance
from reports.models import ReportVersion

from .dfe_files import ENGLAND
from .models import Figure, Indicator, Level, LocalFigure, LocalIndicator, Polarity, ReturnQuarter
from .selectors import REGION_CODES, Point, loaded_by, pack_contents

# The grid's exports (benchmarking.reports), all about the alliance itself.
GRID_CSV = "benchmarking.grid_csv"
GRID_XLSX = "benchmarking.grid_xlsx"
GRID_PDF = "benchmarking.grid_pdf"
GRID_EXPORTS = (GRID_CSV, GRID_XLSX, GRID_PDF)

# Band number -> (letter, meaning), 1 the best quarter.
BANDS = {
    1: ("A", "top quarter"),
    2: ("B", "second quarter"),
    3: ("C", "third quarter"),
    4: ("D", "bottom quarter"),
}
BETTER = {
    Polarity.HIGH: "higher is better",
    Polarity.LOW: "lower is better",
    Polarity.NEUTRAL: "no better direction",
}
NONE = "\u2013"  # an en dash: no figure for that year and area
ORDERS = ("asc", "desc")


@dataclass(frozen=True)
class GridChoice:
    """What the person chose: a year (None: each indicator's latest), and the sort (an
    indicator's code, or empty for the councils' names) with its order."""

    year: int | None = None
    sort: str = ""
    order: str = "asc"

    @classmethod
    def from_query(cls, query) -> "GridChoice":
        """From a query string or a version's options, forgiving: anything unreadable is the
        default (the grid then keeps only a year it holds and an indicator it shows)."""
        year = str(query.get("year") or "")
        sort = str(query.get("sort") or "")
        order = str(query.get("order") or "")
        return cls(
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            sort=sort if re.fullmatch(r"[a-z0-9_]{1,60}", sort) else "",
            order=order if order in ORDERS else "asc",
        )

    def as_options(self) -> dict:
        return asdict(self)

    @property
    def descending(self) -> bool:
        return self.order == "desc"


@dataclass(frozen=True)
class Column:
    indicator: Indicator | LocalIndicator  # a local one: from the alliance's quarterly return
    theme: str
    period: str  # the period shown; empty when there are no figures for the year chosen
    # Councils with a figure (the bands' population): in England for DfE's indicators, in
    # the alliance for its local ones.
    reporting: int

    @property
    def words(self) -> str:
        """What its figures are: "per 10,000 children, 2024-25; lower is better"."""
        indicator = self.indicator
        words = f"{indicator.unit}, {self.period or 'no figures'}; {BETTER[indicator.polarity]}"
        return f"{words}; local return" if indicator.is_local else words


@dataclass(frozen=True)
class Cell:
    point: Point | None  # None: no row for this area and period
    text: str  # the figure as written: "1,234.5", a DfE symbol, or an en dash
    band: int | None = None  # 1 (A, the best quarter) to 4; None: no band

    @property
    def value(self):
        return self.point.value if self.point is not None else None

    @property
    def letter(self) -> str:
        return BANDS[self.band][0] if self.band else ""


@dataclass(frozen=True)
class GridRow:
    name: str
    code: str  # the council's GSS code, or England's or the region's ONS code
    cells: tuple[Cell, ...]
    council: LocalAuthority | None = None  # None: England or a region


@dataclass(frozen=True)
class Grid:
    columns: list[Column]
    comparators: list[GridRow]  # England, then the regions the councils are in
    rows: list[GridRow]  # the councils, in the order chosen
    years: list[int]  # the years any indicator has figures for, newest first
    choice: GridChoice  # what is shown: the person's choice, where it was possible

    @property
    def has_local(self) -> bool:
        return any(column.indicator.is_local for column in self.columns)

    @property
    def band_rule(self) -> str:
        """How the bands are worked out, in words (the page, the PDF and the XLSX say it)."""
        rule = (
            "Bands place each council's figure among every council in England with a figure "
            "for that indicator and year, by its better direction: A is the best quarter (the "
            "highest figures where higher is better, the lowest where lower is better), D the "
            "quarter furthest from it. Indicators with no better direction have no band."
        )
        if self.has_local:
            rule += (
                " A local indicator shows the alliance's latest published quarterly return "
                "(never provisional figures), banded among the alliance's councils with a "
                "figure."
            )
        return rule

    @property
    def symbols(self) -> list[str]:
        """The DfE symbols the grid shows."""
        return sorted(
            {
                cell.point.symbol
                for row in [*self.comparators, *self.rows]
                for cell in row.cells
                if cell.point is not None and cell.point.symbol
            }
        )


def period_year(period: str) -> int | None:
    """The year a period ends in, as the grid's choice of year names it: "2025" is 2025,
    a financial or academic year "2024-25" (or "202425") is 2025."""
    match = re.match(r"(\d{4})(?:-?(\d{2})(?!\d))?", period)
    if match is None:
        return None
    start, end = match.groups()
    return int(start) + 1 if end else int(start)


def figure_text(point: Point | None, decimals: int) -> str:
    """A figure as the grid writes it: the number, DfE's symbol, or an en dash."""
    if point is None:
        return NONE
    if point.value is None:
        return point.symbol or NONE
    return f"{point.value:,.{decimals}f}"


def band_of(value, ordered: list, polarity: str) -> int | None:
    """The quartile band (1 the best quarter, 4 the furthest from it) of `value` among
    `ordered` (every council's figure, ascending) by the indicator's polarity; None for an
    indicator with no better direction or no figure."""
    if value is None or not ordered or polarity not in (Polarity.HIGH, Polarity.LOW):
        return None
    if polarity == Polarity.HIGH:
        better = len(ordered) - bisect_right(ordered, value)
    else:
        better = bisect_left(ordered, value)
    return 1 + 4 * better // len(ordered)


def grid_read(*, alliance, choice: GridChoice | None = None) -> Grid:
    """The alliance's grid: its councils (every council for the LGA) by the indicators of
    its framework, DfE's in order and then its local ones, at the chosen year (each
    indicator's latest period by default), with England and the councils' regions above
    them; the alliance's own loaded figures ahead of the shared ones, as in the data pack.
    A local indicator shows the alliance's latest published quarter (of the year chosen):
    a provisional figure is never in the grid, which shows every council at once. Five
    queries (the framework and its indicators, the councils, the periods held, and every
    current figure of those periods for every council in England, for the bands, England
    and the regions), and two more with local indicators (the published quarters, and the
    figures of the one shown)."""
    choice = choice or GridChoice()
    indicators, themes, local = pack_contents(alliance)
    councils = list(councils_of_alliance(alliance=alliance).order_by("name"))
    regions = sorted(
        {
            (code, council.region.name)
            for council in councils
            if (code := REGION_CODES.get(council.region.name.casefold()))
        }
    )
    held: dict[int, dict[int, str]] = defaultdict(dict)  # indicator -> year -> latest period
    if indicators:
        periods = (
            Figure.objects.filter(
                loaded_by(alliance),
                indicator__in=indicators,
                level=Level.COUNCIL,
                superseded_at__isnull=True,
            )
            .values_list("indicator_id", "period")
            .distinct()
        )
        for indicator_id, period in periods:
            year = period_year(period)
            if year is not None and period > held[indicator_id].get(year, ""):
                held[indicator_id][year] = period
    published: dict[int, ReturnQuarter] = {}  # year it ends in -> its latest published quarter
    if local:
        for quarter in ReturnQuarter.objects.filter(
            alliance=alliance, published_at__isnull=False
        ).order_by("year", "quarter"):
            published[quarter.year + 1] = quarter
    years = sorted(
        {year for by_year in held.values() for year in by_year} | set(published), reverse=True
    )
    year = choice.year if choice.year in years else None
    shown = {}  # indicator id -> the period the grid shows
    for indicator in indicators:
        by_year = held.get(indicator.pk, {})
        if year is not None and year in by_year:
            shown[indicator.pk] = by_year[year]
        elif year is None and by_year:
            shown[indicator.pk] = by_year[max(by_year)]
    found = _figures(alliance, shown, areas=[ENGLAND, *(code for code, _ in regions)])
    quarter = published.get(year) if year is not None else published.get(max(published, default=0))
    local_found = _local_figures(quarter, local) if quarter is not None else {}
    columns, orders, points = [], [], []
    for indicator in [*indicators, *local]:
        by_area = (local_found if indicator.is_local else found).get(indicator.pk, {})
        ordered = sorted(
            point.value
            for key, point in by_area.items()
            if isinstance(key, int) and point.value is not None
        )
        orders.append(ordered)
        points.append(by_area)
        if indicator.is_local:
            period = quarter.label if quarter is not None else ""
        else:
            period = shown.get(indicator.pk, "")
        columns.append(
            Column(
                indicator=indicator,
                theme=themes.get(indicator.pk, "") if not indicator.is_local else "",
                period=period,
                reporting=len(ordered),
            )
        )

    def cells(key, *, banded: bool) -> tuple[Cell, ...]:
        row = []
        for column, ordered, by_area in zip(columns, orders, points, strict=True):
            indicator = column.indicator
            point = by_area.get(key) if column.period else None
            band = band_of(point.value, ordered, indicator.polarity) if banded and point else None
            row.append(Cell(point=point, text=figure_text(point, indicator.decimals), band=band))
        return tuple(row)

    comparators = [
        GridRow(name=name, code=code, cells=cells(code, banded=False))
        for code, name in [(ENGLAND, "England"), *regions]
    ]
    rows = [
        GridRow(
            name=council.name,
            code=council.gss_code,
            cells=cells(council.pk, banded=True),
            council=council,
        )
        for council in councils
    ]
    codes = [column.indicator.code for column in columns]
    sort = choice.sort if choice.sort in codes else ""
    chosen = GridChoice(year=year, sort=sort, order=choice.order)
    return Grid(
        columns=columns,
        comparators=comparators,
        rows=_sorted(rows, codes.index(sort) if sort else None, descending=chosen.descending),
        years=years,
        choice=chosen,
    )


def _local_figures(quarter: ReturnQuarter, local: list[LocalIndicator]) -> dict:
    """local indicator id -> council id -> Point, from the councils' returns for a published
    quarter. One query."""
    found: dict = defaultdict(dict)
    for indicator_id, council_id, value, symbol in LocalFigure.objects.filter(
        local_return__quarter=quarter, indicator__in=local
    ).values_list("indicator_id", "local_return__council_id", "value", "symbol"):
        found[indicator_id][council_id] = Point(quarter.label, value, symbol)
    return found


def _figures(alliance, shown: dict[int, str], *, areas: list[str]) -> dict:
    """indicator id -> area (a council's id, or England's or a region's code) -> Point, for
    each indicator's period in `shown`. One query (none without periods)."""
    found: dict = defaultdict(dict)
    if not shown:
        return found
    for indicator_id, period, council_id, area, value, symbol, numerator in (
        Figure.objects.filter(
            Q(level=Level.COUNCIL) | Q(area_code__in=areas),
            loaded_by(alliance),
            indicator__in=list(shown),
            period__in=set(shown.values()),
            superseded_at__isnull=True,
        )
        .values_list(
            "indicator_id", "period", "council_id", "area_code", "value", "symbol", "numerator"
        )
        # The shared rows first: an alliance's own row of the same figure, read after, wins.
        .order_by(F("alliance_id").asc(nulls_first=True))
    ):
        if shown[indicator_id] == period:  # another indicator's period, read with the rest
            found[indicator_id][council_id or area] = Point(period, value, symbol, numerator)
    return found


def _sorted(rows: list[GridRow], index: int | None, *, descending: bool) -> list[GridRow]:
    """By name, or by the figure in column `index` (councils without one last, by name)."""
    if index is None:
        return sorted(rows, key=lambda row: row.name, reverse=descending)
    with_value = [row for row in rows if row.cells[index].value is not None]
    without = [row for row in rows if row.cells[index].value is None]
    # Stable sorts: the same figures stay in the order of the names.
    with_value.sort(key=lambda row: row.cells[index].value, reverse=descending)
    return with_value + without


def grid_exports_of(*, alliance, user) -> QuerySet:
    """The grid's exports this person asked for in this alliance (report versions), newest
    first."""
    return ReportVersion.objects.filter(
        alliance=alliance, report__in=GRID_EXPORTS, requested_by=user
    ).order_by("-requested_at", "-pk")
