"""A data lead's import of DfE's files: upload, check, confirm, load.

The upload is checked in the request only as far as it is cheap (size, that it is UTF-8 CSV
text and not a spreadsheet renamed, that its header is one of DfE's layouts), so a bad file
gets its message next to the field and nothing is stored. Reading every row is a task
(`benchmarking.imports.run`): it stores what it found on the `DataImport` (`report`: rows
read, councils matched, rows refused with line and reason, symbols kept, predecessor
councils and joint rows skipped, and what loading would add, revise or leave), and nothing
is loaded until the person confirms. Confirming is a second task run of the same row.

The `DataImport` row is the durable record, as a report version is: each run claims it by its
state under a lease, so a task delivered twice does its work once, a worker killed mid-way
leaves a lease that expires, and `imports_reap` (on the beat) hands back to the broker what
it lost. Figures an alliance loads are its own (`Figure.alliance`): the shared published
figures are never changed by an alliance."""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django_scopes import scopes_disabled

from peerchallenge.models import Alliance, User

from .. import dfe_files
from ..models import DataImport, Indicator
from .loading import CATALOGUE, council_codes, figures_load, figures_plan, neighbours_load

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 3
UNQUEUED_GRACE = timedelta(minutes=1)
REFUSED_KEPT = 500  # refused rows stored on the report; the count is always whole
REVISIONS_KEPT = 50
NEIGHBOUR_MODELS = ("2025", "2021")

State = DataImport.State


def shipped_catalogue() -> list[dfe_files.CatalogueEntry]:
    """Where each indicator's value lives in DfE's files: the catalogue shipped with the app.
    Next year's files keep the layout, so they load against it unchanged."""
    text = (dfe_files.DFE_DIRECTORY / CATALOGUE).read_text(encoding="utf-8-sig")
    return dfe_files.read_catalogue(text)


def _refuse_upload(message: str) -> ValidationError:
    return ValidationError({"file": message})


def import_start(
    *,
    alliance: Alliance,
    upload,
    uploaded_by: User,
    model: str = NEIGHBOUR_MODELS[0],
    meta=None,
) -> DataImport:
    """Store the file (and a tidy file's `.meta.csv`, `meta`) and queue the check.
    ValidationError (on `file` or `meta`) for a file that is too big, not CSV text, or not
    one of DfE's layouts: nothing is stored then."""
    if upload.size > dfe_files.MAX_BYTES:
        raise _refuse_upload(
            f"The file is {upload.size / 2**20:.0f} MB: it must be smaller than "
            f"{dfe_files.MAX_BYTES // 2**20} MB."
        )
    data = upload.read()
    try:
        text = dfe_files.decode(data)
        header = dfe_files.header_of(text)
    except dfe_files.FileRefused as refused:
        raise _refuse_upload(str(refused)) from None
    layout = dfe_files.layout_of(header)
    if not layout:
        raise _refuse_upload(
            "The file's columns are not those of a DfE file: a tidy statistics file has "
            f"{', '.join(dfe_files.TIDY_COLUMNS)}; LAIT has {', '.join(dfe_files.LAIT_COLUMNS)}; "
            "statistical neighbours have LA num, SN1, SNP, ... or old_la_code, SN_1, SN_1P, ..."
        )
    if model not in NEIGHBOUR_MODELS:
        raise ValidationError({"model": "Choose the year of DfE's statistical neighbour model."})
    kind = DataImport.Kind.NEIGHBOURS if layout == "neighbours" else DataImport.Kind.FIGURES
    meta_data = _meta_start(meta, layout=layout)
    data_import = DataImport(
        alliance=alliance,
        file_name=(upload.name or "upload.csv")[:200],
        size=len(data),
        kind=kind,
        report={"layout": layout, "model": model} if kind == DataImport.Kind.NEIGHBOURS else {},
        uploaded_by=uploaded_by,
    )
    with transaction.atomic():
        data_import.file.save("upload", ContentFile(data), save=False)
        if meta_data is not None:
            data_import.meta_file.save("meta", ContentFile(meta_data), save=False)
            data_import.meta_file_name = (meta.name or "upload.meta.csv")[:200]
        data_import.save()
        transaction.on_commit(lambda: imports_enqueue(import_id=data_import.pk), robust=True)
    return data_import


def _meta_start(meta, *, layout: str) -> bytes | None:
    """The metadata file's bytes, checked as far as is cheap: a tidy file's only, a CSV
    file, with DfE's metadata columns."""
    if meta is None:
        return None
    if layout != "tidy":
        raise ValidationError(
            {"meta": "Only a tidy statistics file has a metadata (.meta.csv) file."}
        )
    if meta.size > dfe_files.MAX_BYTES:
        raise ValidationError({"meta": "The metadata file is too big to be a .meta.csv file."})
    data = meta.read()
    try:
        dfe_files.read_meta(dfe_files.decode(data))
    except dfe_files.FileRefused as refused:
        raise ValidationError({"meta": str(refused)}) from None
    return data


@transaction.atomic
def import_confirm(*, data_import: DataImport, confirmed_by: User) -> bool:
    """Load a checked import: True if this call started it (a second press finds it loading
    or loaded and does nothing)."""
    started = DataImport.objects.filter(pk=data_import.pk, state=State.CHECKED).update(
        state=State.LOADING,
        confirmed_by=confirmed_by,
        confirmed_at=timezone.now(),
        attempts=0,
        started_at=None,
    )
    if started:
        transaction.on_commit(lambda: imports_enqueue(import_id=data_import.pk), robust=True)
    data_import.refresh_from_db()
    return bool(started)


def import_cancel(*, data_import: DataImport) -> bool:
    """Leave a checked import unloaded; its file is removed (the report is kept)."""
    cancelled = DataImport.objects.filter(pk=data_import.pk, state=State.CHECKED).update(
        state=State.CANCELLED, finished_at=timezone.now()
    )
    if cancelled:
        data_import.refresh_from_db()
        data_import.file.delete(save=False)
    return bool(cancelled)


# The queue -----------------------------------------------------------------------------------


def imports_enqueue(*, import_id: int) -> bool:
    from ..tasks import run  # the tasks module imports this one

    try:
        run.apply_async((import_id,))
    except (OperationalError, OSError) as error:
        logger.warning("Data import %s not queued, broker unreachable: %s", import_id, error)
        return False
    with scopes_disabled():  # on commit, outside the request's scope; the id names one row
        DataImport.objects.filter(
            pk=import_id, state__in=[State.CHECKING, State.LOADING], started_at__isnull=True
        ).update(queued_at=timezone.now())
    return True


def import_claim(*, import_id: int) -> DataImport | None:
    """Take the import for its next step (checking or loading) under a lease; None when
    there is nothing to do or a live worker holds it. An import whose lease expired
    MAX_ATTEMPTS times is refused rather than tried again."""
    now = timezone.now()
    with transaction.atomic():
        data_import = (
            DataImport.objects.select_for_update()
            .select_related("alliance")
            .filter(pk=import_id, state__in=[State.CHECKING, State.LOADING])
            .first()
        )
        if data_import is None:
            return None
        if data_import.started_at is not None and data_import.started_at > now - LEASE:
            return None
        if data_import.attempts >= MAX_ATTEMPTS:
            step = "checked" if data_import.state == State.CHECKING else "loaded"
            data_import.state = State.REFUSED
            data_import.refusal = (
                f"The file could not be {step}: the work stopped before it finished "
                f"{data_import.attempts} times. Nothing was loaded from it."
            )
            data_import.finished_at = now
            data_import.save(update_fields=["state", "refusal", "finished_at"])
            return None
        data_import.started_at = now
        data_import.attempts += 1
        data_import.save(update_fields=["started_at", "attempts"])
    return data_import


def import_run(*, data_import: DataImport) -> None:
    """The claimed step: check the file, or load it."""
    if data_import.state == State.CHECKING:
        _check(data_import)
    elif data_import.state == State.LOADING:
        _load(data_import)


def imports_reap(*, now=None) -> int:
    """Hand back to the broker the imports it lost, that were started while it was away, or
    that a dead worker left (their lease expired). Returns how many were queued again."""
    now = now or timezone.now()
    stale = DataImport.objects.filter(state__in=[State.CHECKING, State.LOADING]).filter(
        Q(started_at__isnull=True, queued_at__isnull=True, uploaded_at__lt=now - UNQUEUED_GRACE)
        | Q(started_at__isnull=True, queued_at__lt=now - LEASE)
        | Q(started_at__lt=now - LEASE)
    )
    ids = list(stale.values_list("pk", flat=True)[:200])
    for import_id in ids:
        imports_enqueue(import_id=import_id)
    return len(ids)


# The two steps ---------------------------------------------------------------------------------


def _read(data_import: DataImport):
    """(rows, report) of the stored file. FileRefused for a file that cannot be read."""
    with data_import.file.open("rb") as stored:
        text = dfe_files.decode(stored.read())
    codes = set(council_codes())
    if data_import.kind == DataImport.Kind.NEIGHBOURS:
        return dfe_files.read_neighbours(text, councils=codes)
    return dfe_files.read_figures(text, catalogue=shipped_catalogue(), councils=codes)


def _meta_notes(data_import: DataImport, report) -> list[str]:
    """What the metadata file says of each value column read (FileRefused if it
    contradicts the catalogue)."""
    with data_import.meta_file.open("rb") as stored:
        meta = dfe_files.read_meta(dfe_files.decode(stored.read()))
    columns = sorted(
        {
            entry.value_column
            for entry in shipped_catalogue()
            if entry.code in report.indicators and not entry.is_lait
        }
    )
    return dfe_files.meta_check(meta, columns=columns)


def _indicators() -> dict[str, Indicator]:
    return {indicator.code: indicator for indicator in Indicator.objects.all()}


def _check(data_import: DataImport) -> None:
    try:
        rows, report = _read(data_import)
    except dfe_files.FileRefused as refused:
        _finish(data_import, state=State.REFUSED, refusal=str(refused))
        return
    found = report_as_json(report)
    found["model"] = data_import.report.get("model", "")
    if data_import.meta_file:
        try:
            found["meta"] = _meta_notes(data_import, report)
        except dfe_files.FileRefused as refused:
            _finish(data_import, state=State.REFUSED, refusal=str(refused), report=found)
            return
    if data_import.kind == DataImport.Kind.FIGURES:
        indicators = _indicators()
        missing = sorted({row.indicator for row in rows} - set(indicators))
        if missing:
            _finish(
                data_import,
                state=State.REFUSED,
                refusal=f"The indicators {', '.join(missing)} are not in the catalogue.",
            )
            return
        plan = figures_plan(
            rows=rows,
            indicators=indicators,
            source=data_import.file_name,
            alliance=data_import.alliance,
        )
        found["would_add"] = len(plan.new) - len(plan.revisions)
        found["would_revise"] = len(plan.revisions)
        found["unchanged"] = plan.unchanged
        found["revisions"] = [_revision(old, row) for old, row in plan.revisions[:REVISIONS_KEPT]]
    if not rows:
        _finish(
            data_import,
            state=State.REFUSED,
            refusal="Nothing in the file can be loaded: every row was refused or skipped.",
            report=found,
        )
        return
    _finish(data_import, state=State.CHECKED, report=found)


def _load(data_import: DataImport) -> None:
    try:
        rows, report = _read(data_import)
    except dfe_files.FileRefused as refused:  # the stored file changed under us
        _finish(data_import, state=State.REFUSED, refusal=str(refused))
        return
    alliance = data_import.alliance
    with transaction.atomic():
        if data_import.kind == DataImport.Kind.NEIGHBOURS:
            written = neighbours_load(
                rows=rows, model=data_import.report.get("model") or "2025", alliance=alliance
            )
            result = {"neighbours": written, "councils": len(report.councils_matched)}
        else:
            loaded = figures_load(
                rows=rows,
                indicators=_indicators(),
                source=data_import.file_name,
                alliance=alliance,
                data_import=data_import,
            )
            result = {
                "added": loaded.added,
                "revised": loaded.revised,
                "unchanged": loaded.unchanged,
            }
        _finish(data_import, state=State.LOADED, result=result)


def _finish(data_import: DataImport, *, state: str, **fields) -> None:
    data_import.state = state
    data_import.finished_at = timezone.now()
    data_import.started_at = None
    for name, value in fields.items():
        setattr(data_import, name, value)
    data_import.save(
        update_fields=["state", "finished_at", "started_at", *fields.keys()],
    )


def _shown(value, symbol) -> str:
    return symbol if value is None else f"{value.normalize():f}"


def _revision(old, row) -> dict:
    return {
        "indicator": row.indicator,
        "period": row.period,
        "area": row.area_code,
        "old": _shown(old.value, old.symbol),
        "new": _shown(row.value, row.symbol),
        "shared": old.alliance_id is None,
    }


def report_as_json(report: dfe_files.ValidationReport) -> dict:
    """What the check found, as stored on the import and shown on its page."""
    return {
        "layout": report.layout,
        "rows_read": report.rows_read,
        "figures": report.figures,
        "councils_matched": len(report.councils_matched),
        "indicators": sorted(report.indicators),
        "periods": sorted(report.periods),
        "refused_count": len(report.refused),
        "refused": [
            {"line": refusal.line, "reason": refusal.reason}
            for refusal in report.refused[:REFUSED_KEPT]
        ],
        "symbols": dict(sorted(report.symbols.items())),
        "predecessors_skipped": sorted(report.predecessors_skipped),
        "joint_rows_skipped": sorted(report.joint_rows_skipped),
    }
