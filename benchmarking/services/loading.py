"""Loading what `dfe_files` read: indicators from the catalogue, figures (a different value
for the same indicator, period and area supersedes the current one, which is kept), and
statistical neighbours (a model loaded again replaces its groups)."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from peerchallenge.models import LocalAuthority

from .. import dfe_files
from ..models import Figure, Indicator, Level, Neighbour

DFE_DIRECTORY = dfe_files.DFE_DIRECTORY
CATALOGUE = "indicators.csv"
NEIGHBOURS = ("statistical_neighbours_2025.csv", "2025")


@dataclass
class LoadResult:
    added: int = 0
    revised: int = 0  # current figures superseded by a different value
    unchanged: int = 0
    reports: dict = field(default_factory=dict)  # file name -> ValidationReport


def council_codes() -> dict[str, int]:
    """The DfE code of every council we hold -> its id."""
    return dict(LocalAuthority.objects.exclude(dfe_code="").values_list("dfe_code", "pk"))


def indicators_save(catalogue: list[dfe_files.CatalogueEntry]) -> dict[str, Indicator]:
    """The catalogue's indicators, created or brought up to date; code -> Indicator."""
    saved = {}
    for entry in catalogue:
        saved[entry.code], _ = Indicator.objects.update_or_create(
            code=entry.code,
            defaults={
                "title": entry.title,
                "unit": entry.unit,
                "polarity": entry.polarity,
                "decimals": entry.decimals,
                "publication": entry.publication,
                "notes": entry.notes,
            },
        )
    return saved


@dataclass
class FigurePlan:
    """What loading some rows would do: the current rows they supersede, the rows to add,
    and how many are unchanged. `revisions`: (old, new row) for the report."""

    superseded: list = field(default_factory=list)  # Figure ids
    new: list = field(default_factory=list)  # unsaved Figures
    unchanged: int = 0
    revisions: list = field(default_factory=list)  # (Figure, dfe_files.FigureRow)


def figures_plan(
    *,
    rows: list[dfe_files.FigureRow],
    indicators: dict[str, Indicator],
    source: str,
    alliance=None,
    data_import=None,
) -> FigurePlan:
    """Compare rows read from one file with the figures current for whoever loads them: the
    shared published figures (`alliance` None), or an alliance's, where its own loaded row
    comes before the shared one. A figure whose value, symbol and numerator are those current
    is left alone; a different one is a revision (an alliance's revision of a shared figure
    adds its own row and leaves the shared one as it is). Two queries."""
    councils = council_codes()
    now = timezone.now()
    # The file's last row of each figure counts (a file should hold each once).
    latest = {(row.indicator, row.period, row.period_kind, row.area_code): row for row in rows}
    ids = {indicators[code].pk for code, *_ in latest}
    current: dict = {}
    # Shared rows first, so that an alliance's own row, read after, takes the key.
    for figure in (
        Figure.objects.filter(indicator__in=ids, superseded_at__isnull=True)
        .filter(Q(alliance__isnull=True) | Q(alliance=alliance))
        .order_by(F("alliance_id").asc(nulls_first=True), "pk")
    ):
        current[(figure.indicator_id, figure.period, figure.period_kind, figure.area_code)] = figure
    plan = FigurePlan()
    alliance_id = alliance.pk if alliance is not None else None
    for (code, period, kind, area), row in latest.items():
        indicator = indicators[code]
        old = current.get((indicator.pk, period, kind, area))
        if old is not None:
            if (old.value, old.symbol, old.numerator) == (row.value, row.symbol, row.numerator):
                plan.unchanged += 1
                continue
            plan.revisions.append((old, row))
            if old.alliance_id == alliance_id:
                plan.superseded.append(old.pk)
        plan.new.append(
            Figure(
                indicator=indicator,
                period=period,
                period_kind=kind,
                level=row.level,
                area_code=area,
                council_id=councils[area] if row.level == Level.COUNCIL else None,
                value=row.value,
                symbol=row.symbol,
                numerator=row.numerator,
                source=source[:200],
                loaded_at=now,
                alliance_id=alliance_id,
                data_import=data_import,
            )
        )
    return plan


@transaction.atomic
def figures_load(
    *,
    rows: list[dfe_files.FigureRow],
    indicators: dict[str, Indicator],
    source: str,
    alliance=None,
    data_import=None,
) -> LoadResult:
    """Write the rows read from one file (`figures_plan`): a revised figure supersedes the
    current one, which keeps its value, stamped `superseded_at`. A fixed number of queries
    per file."""
    plan = figures_plan(
        rows=rows,
        indicators=indicators,
        source=source,
        alliance=alliance,
        data_import=data_import,
    )
    now = timezone.now()
    # Before the new rows: one current row per figure is a database constraint.
    Figure.objects.filter(pk__in=plan.superseded).update(superseded_at=now)
    Figure.objects.bulk_create(plan.new, batch_size=2000)
    return LoadResult(
        added=len(plan.new) - len(plan.revisions),
        revised=len(plan.revisions),
        unchanged=plan.unchanged,
    )


@transaction.atomic
def neighbours_load(*, rows: list[dfe_files.NeighbourRow], model: str, alliance=None) -> int:
    """The groups of one model of DfE's (e.g. "2025"), replacing any loaded before for the
    same councils by the same loader (the service's shared groups, or one alliance's own).
    Returns how many neighbours were written."""
    councils = council_codes()
    now = timezone.now()
    Neighbour.objects.filter(
        model=model, alliance=alliance, council__in={councils[r.council] for r in rows}
    ).delete()
    Neighbour.objects.bulk_create(
        Neighbour(
            alliance=alliance,
            model=model,
            council_id=councils[row.council],
            rank=row.rank,
            neighbour_id=councils[row.neighbour],
            band=row.band,
            loaded_at=now,
        )
        for row in rows
    )
    return len(rows)


def dfe_directory_load(directory: Path = DFE_DIRECTORY) -> LoadResult:
    """Every file the catalogue in `directory` names, and the 2025 statistical neighbours:
    the shipped extract (`manage.py load_dfe`, `seed_demo`), or next year's files put in a
    directory with their catalogue. Each file is read whole before anything is written; a
    file that cannot be read stops the load before it writes (FileRefused)."""
    catalogue = dfe_files.read_catalogue((directory / CATALOGUE).read_text(encoding="utf-8-sig"))
    codes = set(council_codes())
    read = []
    for name in dict.fromkeys(entry.source_file for entry in catalogue):
        text = dfe_files.decode((directory / name).read_bytes())
        rows, report = dfe_files.read_figures(text, catalogue=catalogue, councils=codes)
        read.append((name, rows, report))
    neighbours_file, model = NEIGHBOURS
    neighbour_rows, neighbour_report = dfe_files.read_neighbours(
        dfe_files.decode((directory / neighbours_file).read_bytes()), councils=codes
    )
    result = LoadResult()
    with transaction.atomic():
        indicators = indicators_save(catalogue)
        for name, rows, report in read:
            loaded = figures_load(rows=rows, indicators=indicators, source=name)
            result.added += loaded.added
            result.revised += loaded.revised
            result.unchanged += loaded.unchanged
            result.reports[name] = report
        neighbours_load(rows=neighbour_rows, model=model)
        result.reports[neighbours_file] = neighbour_report
    return result
