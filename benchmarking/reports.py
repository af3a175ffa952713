"""The grid's exports (registered with reports/ by OfferConfig): CSV, Excel and a landscape
PDF of the grid as the person chose it (the year and the sort, kept as the version's
options). The worker makes each file through the reports pipeline, never a web request;
each is about the alliance itself, and only the person who asked for it may download it
(benchmarking.permissions)."""

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from openpyxl import Workbook

from reports.cover import report_frame
from reports.registry import OFFICIAL, Report, register

from .dfe_files import SYMBOLS
from .grid import BANDS, GRID_CSV, GRID_PDF, GRID_XLSX, Grid, GridChoice, GridRow, grid_read
from .models import ATTRIBUTION

SOURCE = "Department for Education, children's social care statistics."


def grid_of(alliance, version) -> Grid:
    return grid_read(alliance=alliance, choice=GridChoice.from_query(version.options))


def chosen_words(grid: Grid) -> tuple[str, str]:
    """The year and the order of the rows, in words."""
    year = str(grid.choice.year) if grid.choice.year else "Each indicator's latest year"
    if grid.choice.sort:
        [column] = [c for c in grid.columns if c.indicator.code == grid.choice.sort]
        direction = "highest first" if grid.choice.descending else "lowest first"
        order = f"{column.indicator.title}, {direction}"
    else:
        order = "Council name, " + ("Z to A" if grid.choice.descending else "A to Z")
    return year, order


def level_of(row: GridRow) -> str:
    if row.council is not None:
        return "Council"
    return "England" if row.name == "England" else "Region"


def table_header(grid: Grid) -> list[str]:
    header = ["Area", "Level", "ONS code"]
    for column in grid.columns:
        name = f"{column.indicator.title}, {column.period or 'no figures'}"
        header += [name, f"{name}: band"]
    return header


def table_rows(grid: Grid, *, numbers: bool) -> list[list]:
    """England, the regions, then the councils in the grid's order: each indicator's figure
    (a number, or DfE's symbol) and its band letter. `numbers`: figures as numbers (for a
    spreadsheet's cells), else as plain text to the indicator's decimals."""
    rows = []
    for row in [*grid.comparators, *grid.rows]:
        line = [row.name, level_of(row), row.code]
        for column, cell in zip(grid.columns, row.cells, strict=True):
            if cell.value is not None:
                rounded = round(cell.value, column.indicator.decimals)
                figure = float(rounded) if numbers else f"{rounded:.{column.indicator.decimals}f}"
            else:
                figure = cell.point.symbol if cell.point is not None else ""
            line += [figure, cell.letter]
        rows.append(line)
    return rows


class _GridExport(Report):
    extension = ""

    def may_download_version(self, user, alliance, version) -> bool:
        # The file holds what one person chose: theirs alone, like a Tier 2 board's export.
        return version.requested_by_id is not None and version.requested_by_id == user.pk

    def filename(self, alliance, version) -> str:
        year = version.options.get("year") or "latest"
        day = timezone.localdate()
        name = alliance.short_name or alliance.name
        return f"{name} data grid {year} {day:%Y-%m-%d}.{self.extension}"


@register
class GridCsvExport(_GridExport):
    identifier = GRID_CSV
    title = "Data grid (CSV)"
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def file_content(self, alliance, version) -> bytes:
        grid = grid_of(alliance, version)
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
        writer = csv.writer(buffer)
        writer.writerow(table_header(grid))
        writer.writerows(table_rows(grid, numbers=False))
        return buffer.getvalue().encode("utf-8")


@register
class GridXlsxExport(_GridExport):
    identifier = GRID_XLSX
    title = "Data grid (Excel)"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def file_content(self, alliance, version) -> bytes:
        grid = grid_of(alliance, version)
        year, order = chosen_words(grid)
        # write_only: rows stream to the file instead of a cell object each in memory.
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title="Grid")
        sheet.append(table_header(grid))
        for row in table_rows(grid, numbers=True):
            sheet.append(row)
        about = workbook.create_sheet(title="About")
        about.append([f"Data grid of {alliance.name}"])
        about.append(["Year", year])
        about.append(["Rows in order of", order])
        about.append([])
        about.append(
            [
                "Indicator",
                "Unit",
                "Better",
                "Period",
                "Councils with a figure (in England; in the alliance for a local indicator)",
            ]
        )
        for column in grid.columns:
            indicator = column.indicator
            about.append(
                [
                    indicator.title,
                    indicator.unit,
                    indicator.get_polarity_display(),
                    column.period or "no figures",
                    column.reporting,
                ]
            )
        about.append([])
        about.append([grid.band_rule])
        for letter, meaning in BANDS.values():
            about.append([letter, meaning.capitalize()])
        for symbol in grid.symbols:
            about.append([symbol, SYMBOLS.get(symbol, "").capitalize()])
        about.append([])
        about.append([f"Source: {SOURCE} {ATTRIBUTION}"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


@register
class GridPdfExport(_GridExport):
    identifier = GRID_PDF
    title = "Data grid (PDF)"
    template = "benchmarking/reports/grid.html"
    marking = OFFICIAL  # published statistics only
    extension = "pdf"

    def file_content(self, alliance, version) -> bytes:
        # The report's template needs the version's choices, which `Report.context` does not
        # receive: the export renders its own PDF, as the pipeline would.
        # Here, not at the top: WeasyPrint is loaded where reports are rendered (the worker).
        from reports.pdf import html_to_pdf

        return html_to_pdf(grid_html(alliance, version)).content


def grid_html(alliance, version) -> str:
    """The PDF's HTML (reports/base.html's layout, a landscape page)."""
    grid = grid_of(alliance, version)
    year, order = chosen_words(grid)
    title = f"Data grid of {alliance.name}"
    return render_to_string(
        GridPdfExport.template,
        {
            "title": title,
            "alliance": alliance,
            **report_frame(
                report=GridPdfExport(), subject=alliance, alliance=alliance, version=version
            ),
            "metadata": [
                ("Alliance", alliance.name),
                ("Version", str(version.number)),
                ("Produced", date_format(timezone.localtime(), "j F Y, H:i")),
                ("Year", year),
                ("Rows in order of", order),
                ("Councils", str(len(grid.rows))),
            ],
            "grid": grid,
            "bands": [(number, *BANDS[number]) for number in BANDS],
            "band_rule": grid.band_rule,
            "symbols": [(symbol, SYMBOLS.get(symbol, "")) for symbol in grid.symbols],
            "headings": [(column.indicator.title, column.words) for column in grid.columns],
            "source": SOURCE,
            "attribution": ATTRIBUTION,
        },
    )
