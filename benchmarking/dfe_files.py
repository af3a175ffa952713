"""Reading DfE's published statistics files: no database, no Django, so that every layout
and every quirk is tested on its own (docs/plan-benchmarking.md).

Three layouts, told apart by their header, never by the file's name (next year's files are
named differently):
- DfE's tidy CSV (Explore Education Statistics): one row per period, geography and
  category, a column per measure. The indicator catalogue (`indicators.csv`) says which
  rows (`filter`) and which column (`value_column`) hold each indicator, so a file of next
  year's periods loads without code changes.
- LAIT's long file: one row per measure, year and area, the area by LAIT's numbers (970 is
  England, 980-990 the regions and London's halves).
- Statistical neighbours: the benchmarking tool's "LA SN Groups" sheet (`LA num`, `SN1`,
  `SNP`, ...; the 2021 and 2025 models) or the CSC dashboard's wide CSV (`old_la_code`,
  `SN_1`, `SN_1P`, ...).

Each reader returns what it would load and a `ValidationReport` (rows read, councils
matched, rows refused with line and reason, symbols kept, predecessor councils and joint
rows skipped). A file that cannot be read at all raises `FileRefused` with the message to
show. Quirks handled (the data README lists them): a byte-order mark, columns in a different
order, quoted empty fields, suppression symbols kept (never read as 0), Inner and Outer
London as regional rows, councils that no longer exist, the workforce file's joint rows,
Barnsley and Sheffield's other GSS codes in 2025 (councils are matched on DfE's code), LAIT's
pseudo codes and float artefacts (`291.39999999999998` is 291.4).
"""

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

# The extract shipped with the app (its README gives the sources and the licence).
DFE_DIRECTORY = Path(__file__).resolve().parent / "data" / "dfe"

MAX_BYTES = 20 * 1024 * 1024  # DfE's largest national tidy file is about 15 MB

# Explore Education Statistics' symbols, and LAIT's one symbol for every gap.
SYMBOLS = {
    "c": "confidential: not published because the numbers are small",
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability",
    "low": "rounds to zero, but is not zero",
    "k": "rounds to zero, but is not zero",
    "-": "not published (LAIT gives no reason)",
}

# Councils that no longer exist, whose rows the files keep (README: Dorset, Poole and
# Bournemouth before 2019; Northamptonshire before 2021; Cumbria before 2023).
PREDECESSORS = {"835", "836", "837", "909", "928"}

ENGLAND = "E92000001"
# LAIT's numbers for England, the regions and London's halves, as ONS codes.
LAIT_AREAS = {
    "970": ENGLAND,
    "980": "E12000001",  # North East
    "981": "E12000002",  # North West
    "982": "E12000003",  # Yorkshire and The Humber
    "983": "E12000004",  # East Midlands
    "984": "E12000005",  # West Midlands
    "985": "E12000006",  # East of England
    "986": "E12000007",  # London
    "987": "E13000001",  # Inner London
    "988": "E13000002",  # Outer London
    "989": "E12000008",  # South East
    "990": "E12000009",  # South West
}

NATIONAL, REGIONAL, COUNCIL = "national", "regional", "council"
LEVELS = {"National": NATIONAL, "Regional": REGIONAL, "Local authority": COUNCIL}

TIDY_COLUMNS = ("time_period", "time_identifier", "geographic_level", "old_la_code")
LAIT_COLUMNS = ("Short Desc", "Years", "LA and Regions", "Values", "LA Number")
BANDS = ("Extremely close", "Very close", "Close", "Somewhat close", "Not close")


class FileRefused(ValueError):
    """The whole file cannot be read; the message says why, for the person who sent it."""


@dataclass(frozen=True)
class CatalogueEntry:
    """One indicator, as `indicators.csv` describes it."""

    code: str
    title: str
    unit: str
    polarity: str  # High, Low or Neutral
    source_file: str
    filter: dict
    value_column: str
    numerator_column: str
    time_column: str
    first_period: str
    latest_period: str
    publication: str
    notes: str

    @property
    def is_lait(self) -> bool:
        return self.time_column == "Years"

    @property
    def decimals(self) -> int:
        return 0 if self.code == "cla_rate_per_10k" else 1


@dataclass(frozen=True)
class FigureRow:
    indicator: str
    period: str  # as DfE writes it: "2025", "2024-25"
    period_kind: str  # "Reporting year", "Financial year", ...
    level: str  # national, regional or council
    area_code: str  # E92000001, E12…/E13…, or the council's DfE code
    value: Decimal | None
    symbol: str  # "" when there is a value
    numerator: Decimal | None
    line: int


@dataclass(frozen=True)
class NeighbourRow:
    council: str  # DfE code
    rank: int  # 1 (closest) to 10
    neighbour: str  # DfE code
    band: str  # one of BANDS
    line: int


@dataclass(frozen=True)
class Refusal:
    line: int
    reason: str


@dataclass
class ValidationReport:
    """What reading a file found, shown before anything is loaded."""

    layout: str = ""
    rows_read: int = 0
    figures: int = 0
    councils_matched: set = field(default_factory=set)  # DfE codes
    indicators: set = field(default_factory=set)
    periods: set = field(default_factory=set)
    refused: list = field(default_factory=list)  # Refusal
    symbols: Counter = field(default_factory=Counter)
    predecessors_skipped: set = field(default_factory=set)
    joint_rows_skipped: set = field(default_factory=set)

    def refuse(self, line: int, reason: str) -> None:
        self.refused.append(Refusal(line, reason))


# Reading the bytes --------------------------------------------------------------------------

_NOT_CSV = {
    b"PK\x03\x04": "a spreadsheet or zip file (XLSX)",
    b"\xd0\xcf\x11\xe0": "an Excel 97-2003 spreadsheet (XLS)",
    b"%PDF": "a PDF",
}


def decode(data: bytes) -> str:
    """The file's text, or FileRefused: too big, not a CSV file, not UTF-8."""
    if len(data) > MAX_BYTES:
        raise FileRefused(f"The file is larger than {MAX_BYTES // 2**20} MB.")
    for signature, what in _NOT_CSV.items():
        if data.startswith(signature):
            raise FileRefused(
                f"The file is {what}, not a CSV file. Save it as “CSV UTF-8” and upload that."
            )
    if b"\x00" in data[:4096]:
        raise FileRefused("The file is not a text file. Upload the CSV file as published.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            "The file is not UTF-8 text (a byte at position "
            f"{error.start} cannot be read). Save it as “CSV UTF-8” and upload it again."
        ) from None


def _rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the data rows with their line numbers (the header is line 1)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise FileRefused("The file is empty.") from None
    except csv.Error as error:
        raise FileRefused(f"The file is not a CSV file: {error}.") from None
    rows = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, row))
    except csv.Error as error:
        raise FileRefused(f"Line {reader.line_num} cannot be read as CSV: {error}.") from None
    return header, rows


def header_of(text: str) -> list[str]:
    """The file's first line as column names (cheap: the rest is not read)."""
    first = text.split("\n", 1)[0]
    try:
        return [name.strip() for name in next(csv.reader([first]), [])]
    except csv.Error as error:
        raise FileRefused(f"The file is not a CSV file: {error}.") from None


def layout_of(header: list[str]) -> str:
    names = set(header)
    if set(TIDY_COLUMNS) <= names:
        return "tidy"
    if set(LAIT_COLUMNS) <= names:
        return "lait"
    if {"LA num", "SN1", "SNP"} <= names or {"old_la_code", "SN_1", "SN_1P"} <= names:
        return "neighbours"
    return ""


# Values -------------------------------------------------------------------------------------


def parse_value(text: str, *, decimals: int | None = None) -> tuple[Decimal | None, str]:
    """(value, "") for a number, (None, symbol) for a symbol; ValueError otherwise."""
    text = text.strip()
    if text.lower() in SYMBOLS:
        return None, text.lower()
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"“{text[:40]}” is neither a number nor a DfE symbol") from None
    if not value.is_finite():
        raise ValueError(f"“{text[:40]}” is not a number")
    if decimals is not None:  # LAIT's float artefacts
        value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return value, ""


# The catalogue ------------------------------------------------------------------------------

CATALOGUE_COLUMNS = (
    "code",
    "title",
    "unit",
    "polarity",
    "source_file",
    "filter",
    "value_column",
    "numerator_column",
    "time_column",
    "first_period",
    "latest_period",
    "dfe_publication",
    "notes",
)


def read_catalogue(text: str) -> list[CatalogueEntry]:
    header, rows = _rows(text)
    missing = [name for name in CATALOGUE_COLUMNS if name not in header]
    if missing:
        raise FileRefused(f"The indicator catalogue lacks the columns {', '.join(missing)}.")
    entries = []
    for line, row in rows:
        values = dict(zip(header, row, strict=False))
        if values["polarity"] not in ("High", "Low", "Neutral"):
            raise FileRefused(f"Line {line}: polarity must be High, Low or Neutral.")
        entries.append(
            CatalogueEntry(
                code=values["code"],
                title=values["title"],
                unit=values["unit"],
                polarity=values["polarity"],
                source_file=values["source_file"],
                filter=json.loads(values["filter"] or "{}"),
                value_column=values["value_column"],
                numerator_column=values["numerator_column"],
                time_column=values["time_column"],
                first_period=values["first_period"],
                latest_period=values["latest_period"],
                publication=values["dfe_publication"],
                notes=values["notes"],
            )
        )
    return entries


# A tidy file's metadata ---------------------------------------------------------------------

META_COLUMNS = ("col_name", "col_type", "label")


@dataclass(frozen=True)
class MetaColumn:
    name: str
    kind: str  # "Filter" or "Indicator"
    label: str
    unit: str
    decimals: str


def read_meta(text: str) -> dict[str, MetaColumn]:
    """A tidy file's `.meta.csv`: each column it describes, by name. FileRefused when it is
    not one."""
    header, rows = _rows(text)
    missing = [name for name in META_COLUMNS if name not in header]
    if missing:
        raise FileRefused(
            "The metadata file is not a DfE .meta.csv file: it lacks the columns "
            f"{', '.join(missing)}."
        )
    columns = {}
    for _line, row in rows:
        cell = dict(zip(header, row, strict=False))
        name = cell.get("col_name", "").strip()
        if name:
            columns[name] = MetaColumn(
                name=name,
                kind=cell.get("col_type", "").strip(),
                label=cell.get("label", "").strip(),
                unit=cell.get("indicator_unit", "").strip(),
                decimals=cell.get("indicator_dp", "").strip(),
            )
    return columns


def meta_check(meta: dict[str, MetaColumn], *, columns: list[str]) -> list[str]:
    """What the metadata says of the value columns the catalogue reads from the file
    (`columns`): a sentence each. FileRefused when it describes one of them as something
    other than an indicator, or the file's columns do not match it at all."""
    if columns and not any(name in meta for name in columns):
        raise FileRefused(
            "The metadata file describes none of the columns read from the data file: it "
            "belongs to another file."
        )
    notes = []
    for name in columns:
        column = meta.get(name)
        if column is None:
            notes.append(f"{name}: not described in the metadata file")
            continue
        if column.kind != "Indicator":
            raise FileRefused(
                f"The metadata file says the column {name} is a {column.kind.lower() or 'column'}"
                ", not an indicator: the file is not laid out as the catalogue expects."
            )
        unit = f" ({column.unit})" if column.unit else ""
        notes.append(f"{name}: “{column.label}”{unit}")
    return notes


# Figures ------------------------------------------------------------------------------------


def read_figures(
    text: str, *, catalogue: list[CatalogueEntry], councils: set[str]
) -> tuple[list[FigureRow], ValidationReport]:
    """The catalogue's indicators found in a tidy or LAIT file. `councils`: the DfE codes of
    the councils we hold; a council row with another code is refused (predecessors and
    joint rows are skipped and counted instead)."""
    header, rows = _rows(text)
    layout = layout_of(header)
    if layout not in ("tidy", "lait"):
        raise FileRefused(
            "The file's columns are not those of a DfE statistics file: it needs "
            f"{', '.join(TIDY_COLUMNS)} (a tidy file) or {', '.join(LAIT_COLUMNS)} (LAIT). "
            f"Its first line has {', '.join(header[:8])}."
        )
    report = ValidationReport(layout=layout, rows_read=len(rows))
    column = {name: index for index, name in enumerate(header)}
    if layout == "tidy":
        entries = [
            entry
            for entry in catalogue
            if not entry.is_lait
            and entry.value_column in column
            and all(name in column for name in entry.filter)
        ]
    else:
        entries = [entry for entry in catalogue if entry.is_lait]
    if not entries:
        raise FileRefused(
            "None of the framework's indicators is in this file: no column holds one of "
            "their values."
        )
    found: list[FigureRow] = []
    council_rows = 0
    for line, row in rows:
        if len(row) != len(header):
            report.refuse(line, f"it has {len(row)} fields where the header has {len(header)}")
            continue
        cell = dict(zip(header, row, strict=True))
        area = _area(layout, cell, line, councils, report)
        if area is None:
            continue
        level, code = area
        council_rows += level == COUNCIL
        for entry in entries:
            if not _matches(entry, cell):
                continue
            figure = _figure(entry, layout, cell, line, level, code, report)
            if figure is not None:
                found.append(figure)
    if council_rows == 0 and report.refused and not found:
        raise FileRefused(
            "None of the file's council codes is known: it does not look like DfE's files "
            "for English councils."
        )
    report.figures = len(found)
    return found, report


def _area(layout, cell, line, councils, report) -> tuple[str, str] | None:
    """(level, area code) of the row, or None (refused or skipped, noted in the report)."""
    if layout == "lait":
        number = cell["LA Number"].strip()
        if number in LAIT_AREAS:
            area = LAIT_AREAS[number]
            return (NATIONAL if area == ENGLAND else REGIONAL), area
        return _council(number, line, councils, report)
    level = LEVELS.get(cell["geographic_level"].strip())
    if level is None:
        report.refuse(line, f"geographic level “{cell['geographic_level'][:40]}” is not read")
        return None
    if level == NATIONAL:
        return level, ENGLAND
    if level == REGIONAL:
        code = cell.get("region_code", "").strip()
        if not code:
            report.refuse(line, "a regional row without a region code")
            return None
        return level, code
    return _council(cell["old_la_code"].strip(), line, councils, report)


def _council(code, line, councils, report) -> tuple[str, str] | None:
    if "/" in code:
        report.joint_rows_skipped.add(code)
        return None
    if code in PREDECESSORS:
        report.predecessors_skipped.add(code)
        return None
    if code not in councils:
        report.refuse(line, f"council code “{code[:12]}” is not one of the 153 councils")
        return None
    report.councils_matched.add(code)
    return COUNCIL, code


def _matches(entry: CatalogueEntry, cell: dict) -> bool:
    return all(cell.get(name, "").strip() == value for name, value in entry.filter.items())


def _figure(entry, layout, cell, line, level, code, report) -> FigureRow | None:
    if layout == "lait":
        raw, period, kind, numerator_text = cell["Values"], cell["Years"], "Reporting year", ""
        decimals = 1
    else:
        raw = cell[entry.value_column]
        period, kind = cell["time_period"].strip(), cell["time_identifier"].strip()
        numerator_text = cell.get(entry.numerator_column, "") if entry.numerator_column else ""
        decimals = None
    try:
        value, symbol = parse_value(raw, decimals=decimals)
    except ValueError as error:
        report.refuse(line, f"{entry.code}: {error}")
        return None
    numerator = None
    if numerator_text.strip():
        try:
            numerator, _ = parse_value(numerator_text)
        except ValueError:
            numerator = None  # a numerator is a caution's input, never a reason to refuse
    if symbol:
        report.symbols[symbol] += 1
    report.indicators.add(entry.code)
    report.periods.add(period.strip())
    return FigureRow(
        indicator=entry.code,
        period=period.strip(),
        period_kind=kind,
        level=level,
        area_code=code,
        value=value,
        symbol=symbol,
        numerator=numerator,
        line=line,
    )


# Statistical neighbours ---------------------------------------------------------------------


def read_neighbours(
    text: str, *, councils: set[str]
) -> tuple[list[NeighbourRow], ValidationReport]:
    """Each council's ten statistical neighbours, closest first, with their bands."""
    header, rows = _rows(text)
    if layout_of(header) != "neighbours":
        raise FileRefused(
            "The file's columns are not those of DfE's statistical neighbours: it needs "
            "LA num, SN1, SNP, ... (the benchmarking tool) or old_la_code, SN_1, SN_1P, ... "
            "(the children's social care dashboard)."
        )
    report = ValidationReport(layout="neighbours", rows_read=len(rows))
    wide = "old_la_code" in header
    found: list[NeighbourRow] = []
    for line, row in rows:
        if wide:
            cell = dict(zip(header, row, strict=False))
            code = cell.get("old_la_code", "").strip()
            pairs = [(cell.get(f"SN_{n}", ""), cell.get(f"SN_{n}P", "")) for n in range(1, 11)]
        else:
            # "SNP" is repeated after each SNn: read by position.
            code = row[header.index("LA num")].strip() if row else ""
            start = header.index("SN1")
            pairs = [
                (
                    row[start + 2 * n] if start + 2 * n < len(row) else "",
                    row[start + 2 * n + 1] if start + 2 * n + 1 < len(row) else "",
                )
                for n in range(10)
            ]
        if code in PREDECESSORS:
            report.predecessors_skipped.add(code)
            continue
        if code not in councils:
            report.refuse(line, f"council code “{code[:12]}” is not one of the 153 councils")
            continue
        group = []
        for rank, (neighbour, band) in enumerate(pairs, start=1):
            neighbour, band = neighbour.strip(), band.strip().capitalize()
            if neighbour not in councils:
                report.refuse(line, f"neighbour {rank}, “{neighbour[:12]}”, is not a council")
                group = None
                break
            if band not in BANDS:
                report.refuse(line, f"neighbour {rank}'s closeness “{band[:30]}” is not known")
                group = None
                break
            group.append(NeighbourRow(code, rank, neighbour, band, line))
        if group:
            report.councils_matched.add(code)
            found += group
    report.figures = len(found)
    return found, report
