"""Reads of the published statistics: a council's data pack (each indicator's figure against
England, its region and its statistical neighbours, over the years held, with the
direction of travel and the flags), in a fixed number of queries whatever the indicators,
years and neighbours."""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone

from peerchallenge.models import LocalAuthority
from reports.models import ReportVersion

from . import flags as rules
from .dfe_files import ENGLAND
from .models import DataImport, Figure, Framework, Indicator, Neighbour

NEIGHBOUR_MODEL = "2025"

# ONS codes of the nine regions, by the names our councils' regions have.
REGION_CODES = {
    "north east": "E12000001",
    "north west": "E12000002",
    "yorkshire and the humber": "E12000003",
    "east midlands": "E12000004",
    "west midlands": "E12000005",
    "east of england": "E12000006",
    "london": "E12000007",
    "south east": "E12000008",
    "south west": "E12000009",
}


@dataclass(frozen=True)
class Point:
    period: str
    value: Decimal | None
    symbol: str = ""
    numerator: Decimal | None = None


@dataclass(frozen=True)
class PackRow:
    indicator: Indicator
    period: str  # the latest period the council or England has a row for
    figure: Point  # the council's
    england: Point | None
    region: Point | None
    neighbours: rules.NeighbourSummary
    rank: int | None  # 1 = the highest figure among the council and its reporting neighbours
    ranked: int  # how many were ranked (the council and its reporting neighbours)
    direction: str  # since the period before: improving, worsening, increasing, ...
    flags: list = field(default_factory=list)  # flags.Flag
    series: list = field(default_factory=list)  # the council's Points, oldest first
    england_series: list = field(default_factory=list)
    neighbours_median: list = field(default_factory=list)  # Points of the neighbours' median
    neighbour_figures: list = field(default_factory=list)  # (council, Point) for the period
    # The council's figure as it stood before the one shown revised it (None: never revised).
    revised_from: Point | None = None


def region_code(council: LocalAuthority) -> str | None:
    return REGION_CODES.get(council.region.name.casefold())


def loaded_by(alliance) -> Q:
    """The shared rows, and `alliance`'s own loaded ones (None: the shared rows only)."""
    return Q(alliance__isnull=True) | Q(alliance=alliance) if alliance else Q(alliance__isnull=True)


def neighbours_of(council: LocalAuthority, *, alliance=None, model: str = NEIGHBOUR_MODEL) -> list:
    """The council's statistical neighbours, closest first (Neighbour rows with the
    neighbouring council loaded): the alliance's own load of the model where it made one,
    otherwise DfE's as the service loaded them. One query."""
    rows = list(
        Neighbour.objects.filter(loaded_by(alliance), model=model, council=council)
        .select_related("neighbour")
        .order_by("rank")
    )
    own = [row for row in rows if row.alliance_id is not None]
    return own or rows


def data_pack(
    *,
    council: LocalAuthority,
    alliance=None,
    indicators: list[Indicator] | None = None,
    model: str = NEIGHBOUR_MODEL,
) -> list[PackRow]:
    """One row per indicator with figures for the council, each at the latest period held:
    `indicators` in their order (the alliance's framework), or every indicator in load order
    (the catalogue's). Three queries (four when the council comes without its region, two
    when given the indicators): its neighbours, the indicators, and every current figure of
    the council, its neighbours, England and its region, the alliance's own loads ahead of
    the shared ones."""
    region = region_code(council)  # a query only if the council came without its region
    group = neighbours_of(council, alliance=alliance, model=model)
    neighbour_ids = [row.neighbour_id for row in group]
    if indicators is None:
        indicators = list(Indicator.objects.order_by("pk"))
    areas = Q(council_id__in=[council.pk, *neighbour_ids]) | Q(
        area_code__in=[code for code in (ENGLAND, region) if code]
    )
    # indicator -> area (council id, or an area code) -> period -> Point
    found: dict = defaultdict(lambda: defaultdict(dict))
    # (indicator, period) -> the council's figure an alliance's own load replaced
    replaced: dict = {}
    for indicator_id, period, council_id, area, value, symbol, numerator in (
        Figure.objects.filter(areas, loaded_by(alliance), indicator__in=indicators)
        .filter(Q(superseded_at__isnull=True) | Q(council=council))
        .values_list(
            "indicator_id",
            "period",
            "council_id",
            "area_code",
            "value",
            "symbol",
            "numerator",
        )
        # Superseded rows first (oldest first), then the shared rows: the current row, and
        # an alliance's own row of the same figure, read after, win; what they replace is
        # the revision.
        .order_by(F("superseded_at").asc(nulls_last=True), F("alliance_id").asc(nulls_first=True))
    ):
        point = Point(period, value, symbol, numerator)
        by_period = found[indicator_id][council_id or area]
        if council_id == council.pk and period in by_period:
            replaced[indicator_id, period] = by_period[period]
        by_period[period] = point
    rows = []
    for indicator in indicators:
        by_area = found.get(indicator.pk)
        if not by_area or council.pk not in by_area:
            continue
        row = _row(indicator, by_area, council, group, region)
        revised = replaced.get((indicator.pk, row.period))
        if revised is not None and revised != row.figure:
            row = replace(row, revised_from=revised)
        rows.append(row)
    return rows


def _row(indicator, by_area, council, group, region) -> PackRow:
    own = by_area[council.pk]
    periods = sorted(set(own) | set(by_area.get(ENGLAND, {})))
    period = periods[-1]
    figure = own.get(period, Point(period, None, "x"))
    neighbour_points = [
        (row.neighbour, by_area.get(row.neighbour_id, {}).get(period)) for row in group
    ]
    values = _values(by_area, group, period)
    stats = rules.summary(values)
    series = [own[p] for p in periods if p in own]
    medians = [Point(p, rules.summary(_values(by_area, group, p)).median) for p in periods]
    england = by_area.get(ENGLAND, {})
    earlier = [point for point in series if point.period < period]
    return PackRow(
        indicator=indicator,
        period=period,
        figure=figure,
        england=england.get(period),
        region=by_area.get(region, {}).get(period) if region else None,
        neighbours=stats,
        rank=rules.rank(figure.value, values) if figure.value is not None else None,
        ranked=stats.reporting + (figure.value is not None),
        direction=rules.direction(
            earlier[-1].value if earlier else None, figure.value, indicator.polarity
        ),
        flags=rules.flags(
            value=figure.value,
            neighbours=values,
            polarity=indicator.polarity,
            series=[point.value for point in series],
            numerator=figure.numerator,
        ),
        series=series,
        england_series=[england[p] for p in periods if p in england],
        neighbours_median=medians,
        neighbour_figures=neighbour_points,
    )


def _values(by_area, group, period) -> list:
    """The neighbours' figures for a period (None where not published)."""
    points = (by_area.get(row.neighbour_id, {}).get(period) for row in group)
    return [point.value if point else None for point in points]


# The alliance's framework -----------------------------------------------------------------------


# The starting themes, by DfE publication: help and protection, children in care, workforce.
DEFAULT_THEMES = (
    ("Children in need", "Help and protection"),
    ("Children looked after", "Children in care"),
    ("Children's social work workforce", "Workforce"),
)
OTHER_THEME = "Other indicators"


def default_theme(indicator: Indicator) -> str:
    for publication, theme in DEFAULT_THEMES:
        if indicator.publication.startswith(publication):
            return theme
    return OTHER_THEME


def framework_year() -> int:
    """The year whose framework is in use: this calendar year."""
    return timezone.localdate().year


def framework_of(alliance, *, year: int | None = None):
    """The alliance's framework for `year` (this year's by default) or, until it starts
    one, its latest earlier one; None when it has never had one."""
    year = year or framework_year()
    return Framework.objects.filter(alliance=alliance, year__lte=year).order_by("-year").first()


def framework_entries(framework) -> list:
    return list(
        framework.entries.select_related("indicator", "local_indicator").order_by("position", "pk")
    )


def pack_indicators(alliance) -> tuple[list[Indicator], dict[int, str]]:
    """The DfE indicators a council's data pack shows in this alliance, in order, with
    each one's theme (indicator id -> theme): the alliance's framework's, or every indicator
    under its publication's theme until the alliance has a framework. Two queries."""
    indicators, themes, _local = pack_contents(alliance)
    return indicators, themes


def pack_contents(alliance) -> tuple[list[Indicator], dict[int, str], list]:
    """`pack_indicators`, and the framework's local indicators in order, from the same two
    queries."""
    framework = framework_of(alliance)
    if framework is None:
        indicators = list(Indicator.objects.order_by("pk"))
        themes = {indicator.pk: default_theme(indicator) for indicator in indicators}
        return indicators, themes, []
    entries = framework_entries(framework)
    dfe = [entry for entry in entries if entry.indicator_id]
    return (
        [entry.indicator for entry in dfe],
        {entry.indicator_id: entry.theme for entry in dfe},
        [entry.local_indicator for entry in entries if entry.local_indicator_id],
    )


def imports_of(alliance, *, limit: int = 50) -> list:
    return list(
        DataImport.objects.filter(alliance=alliance)
        .select_related("uploaded_by", "confirmed_by")
        .order_by("-uploaded_at", "-pk")[:limit]
    )


# The report (pack_report.py) of a council's pack as a PDF.
PACK_PDF = "benchmarking.data_pack_pdf"


def pack_pdfs_of(*, alliance, council, user):
    """The PDFs of a council's pack this person asked for, latest first."""
    return ReportVersion.objects.filter(
        alliance=alliance,
        report=PACK_PDF,
        requested_by=user,
        options__council=council.pk,
    ).order_by("-number")
