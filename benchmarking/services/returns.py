"""The quarterly local return: the data lead opens a quarter with a deadline, each council
enters its figures for the framework's local indicators (in the form, or by uploading the
template), submits, and the data lead publishes the quarter. Until then the figures are
provisional: seen inside the alliance only (they are the alliance's rows), and every view
of another council's figures goes into the access log (`return_view_record`)."""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import load_workbook

from peerchallenge.concurrency import values_check_unchanged, values_version
from peerchallenge.models import AccessLog, Alliance, LocalAuthority, User
from peerchallenge.services import access_log_record
from peerchallenge.uploads import upload_check

from ..models import LocalFigure, LocalIndicator, LocalReturn, ReturnQuarter
from ..selectors_returns import open_returns_forget

NOT_AVAILABLE = "x"
TEMPLATE_COLUMNS = ("indicator", "title", "unit", "value")
MAX_TEMPLATE_BYTES = 1024 * 1024


# Opening and publishing ------------------------------------------------------------------------


def quarter_open(
    *,
    alliance: Alliance,
    year: int,
    quarter: int,
    deadline: datetime.date,
    opened_by: User,
    today: datetime.date | None = None,
) -> ReturnQuarter:
    """Open a quarter of the local return. ValidationError for one opened already or a
    deadline already past."""
    today = today or timezone.localdate()
    errors = {}
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = "Choose the quarter, from 1 (April to June) to 4 (January to March)."
    if deadline < today:
        errors["deadline"] = "The deadline must be today or later."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return ReturnQuarter.objects.create(
                alliance=alliance,
                year=year,
                quarter=quarter,
                deadline=deadline,
                opened_by=opened_by,
            )
    except IntegrityError:
        label = ReturnQuarter(year=year, quarter=quarter).label
        raise ValidationError({"quarter": f"{label} is open already."}) from None


def quarter_publish(*, quarter: ReturnQuarter, published_by: User) -> bool:
    """Publish the quarter: its figures stop being provisional and can no longer be
    changed. True if this call published it (pressed twice: once)."""
    published = ReturnQuarter.objects.filter(pk=quarter.pk, published_at__isnull=True).update(
        published_at=timezone.now(), published_by=published_by
    )
    # An update sends no post_save: the open quarters' cache is told here.
    transaction.on_commit(lambda: open_returns_forget(ReturnQuarter, quarter))
    open_returns_forget(ReturnQuarter, quarter)
    quarter.refresh_from_db()
    return bool(published)


# A council's return -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One figure as entered: a value, or not available."""

    value: Decimal | None
    not_available: bool = False


def _current(local_return: LocalReturn | None, indicators) -> dict[str, str]:
    """The return's figures as the conflict check compares them: indicator id -> text."""
    saved = {}
    if local_return is not None:
        saved = {figure.indicator_id: figure for figure in local_return.figures.all()}
    values = {}
    for indicator in indicators:
        figure = saved.get(indicator.pk)
        if figure is None:
            values[str(indicator.pk)] = ""
        elif figure.value is None:
            values[str(indicator.pk)] = figure.symbol
        else:
            values[str(indicator.pk)] = f"{figure.value.normalize():f}"
    return values


def return_version(*, local_return: LocalReturn | None, indicators) -> str:
    """The version of a return's figures, carried by its form (peerchallenge.concurrency)."""
    return values_version(_current(local_return, indicators))


@transaction.atomic
def return_save(
    *,
    quarter: ReturnQuarter,
    council: LocalAuthority,
    indicators: list[LocalIndicator],
    entries: dict[int, Entry],
    entered_by: User,
    submit: bool = False,
    base_version: str | None = None,
) -> LocalReturn:
    """Save a council's figures for the quarter (only those that changed get a new history
    row), and with `submit` mark the return submitted, which needs every indicator
    answered. Refused when the quarter is published; EditConflict when someone else saved
    the return since the form was filled."""
    if ReturnQuarter.objects.filter(pk=quarter.pk, published_at__isnull=False).exists():
        raise ValidationError("The quarter is published: its figures can no longer be changed.")
    local_return, _ = LocalReturn.objects.get_or_create(
        alliance_id=quarter.alliance_id, quarter=quarter, council=council
    )
    local_return = LocalReturn.objects.select_for_update().get(pk=local_return.pk)
    values_check_unchanged(
        current=_current(local_return, indicators),
        labels={str(indicator.pk): indicator.title for indicator in indicators},
        base_version=base_version,
    )
    if submit:
        missing = {
            f"indicator_{indicator.pk}": f"Enter a figure for “{indicator.title}”, or say it "
            "is not available."
            for indicator in indicators
            if entries.get(indicator.pk) is None
            or (entries[indicator.pk].value is None and not entries[indicator.pk].not_available)
        }
        if missing:
            raise ValidationError(missing)
    saved = {figure.indicator_id: figure for figure in local_return.figures.all()}
    now = timezone.now()
    for indicator in indicators:
        entry = entries.get(indicator.pk)
        old = saved.get(indicator.pk)
        if entry is None or (entry.value is None and not entry.not_available):
            if old is not None:
                old.delete()
            continue
        value = None if entry.not_available else entry.value
        symbol = NOT_AVAILABLE if entry.not_available else ""
        if old is not None and (old.value, old.symbol) == (value, symbol):
            continue
        figure = old or LocalFigure(
            alliance_id=quarter.alliance_id, local_return=local_return, indicator=indicator
        )
        figure.value, figure.symbol = value, symbol
        figure.entered_by, figure.entered_at = entered_by, now
        figure.save()
    if submit and local_return.submitted_at is None:
        local_return.submitted_at, local_return.submitted_by = now, entered_by
        local_return.save(update_fields=["submitted_at", "submitted_by"])
    return local_return


def template_rows(*, indicators, local_return: LocalReturn | None) -> list[list[str]]:
    """The return's template: a header, then one row per indicator with what is saved."""
    current = _current(local_return, indicators)
    return [
        list(TEMPLATE_COLUMNS),
        *(
            [str(indicator.pk), indicator.title, indicator.unit, current[str(indicator.pk)]]
            for indicator in indicators
        ),
    ]


def template_read(*, upload, indicators) -> dict[int, Entry]:
    """The figures in an uploaded template (CSV or XLSX, as we generate it). ValidationError
    on `file`, with the line of every problem, for anything that is not one."""
    try:
        kind = upload_check(upload, max_bytes=MAX_TEMPLATE_BYTES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    if kind.key == "xlsx":
        rows = _xlsx_rows(upload)
    elif kind.key == "csv":
        rows = _csv_rows(upload)
    else:
        raise ValidationError(
            {"file": "Upload the template as a CSV or Excel (XLSX) file, as it was downloaded."}
        )
    if not rows or [cell.strip().lower() for cell in rows[0][:4]] != list(TEMPLATE_COLUMNS):
        raise ValidationError(
            {
                "file": "The file's first row must be the template's: "
                f"{', '.join(TEMPLATE_COLUMNS)}. Download the template and fill it in."
            }
        )
    known = {str(indicator.pk): indicator for indicator in indicators}
    entries, problems = {}, []
    for line, row in enumerate(rows[1:], start=2):
        cells = [*row, "", "", "", ""][:4]
        key, value = cells[0].strip(), cells[3].strip()
        if not key and not value:
            continue
        indicator = known.get(key)
        if indicator is None:
            problems.append(f"Line {line}: “{key[:20]}” is not one of this return's indicators.")
            continue
        try:
            entries[indicator.pk] = entry_parse(value)
        except ValueError as error:
            problems.append(f"Line {line}: {error}")
    if problems:
        raise ValidationError({"file": problems[:20]})
    return entries


def entry_parse(text: str) -> Entry:
    """A figure as typed: a number, "x" (not available), or nothing."""
    text = (text or "").strip()
    if not text:
        return Entry(value=None)
    if text.lower() == NOT_AVAILABLE:
        return Entry(value=None, not_available=True)
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(
            f"“{text[:20]}” is not a number (write x if it is not available)."
        ) from None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 10:
        raise ValueError(f"“{text[:20]}” is not a figure we can keep.")
    return Entry(value=value.quantize(Decimal("0.0001")))


def _csv_rows(upload) -> list[list[str]]:
    upload.seek(0)
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            {"file": "The file is not UTF-8 text: save it as “CSV UTF-8”."}
        ) from None
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ValidationError({"file": f"The file cannot be read as CSV: {error}."}) from None


def _xlsx_rows(upload) -> list[list[str]]:
    upload.seek(0)
    try:
        sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
        return [
            ["" if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(max_row=200, max_col=4, values_only=True)
        ]
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise ValidationError(
            {"file": "The spreadsheet cannot be read. Download the template again."}
        ) from None


def return_view_record(
    *, quarter: ReturnQuarter, user: User, ip_address, council: LocalAuthority | None = None
) -> AccessLog:
    """Log a view of provisional figures: one council's return, or (no council) the
    quarter's table of every council's."""
    whose = f"{council.name}'s" if council is not None else "every council's"
    return access_log_record(
        alliance=quarter.alliance,
        user=user,
        action=AccessLog.Action.VIEW,
        obj=quarter,
        ip_address=ip_address,
        description=f"Provisional local return figures, {quarter.label}: {whose}",
    )
