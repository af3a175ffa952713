"""Writes for the grid: ask the worker for an export of it (benchmarking.reports)."""

from django.db import transaction

from peerchallenge.models import Alliance, User
from reports.models import ReportVersion
from reports.services import report_request

from ..grid import GRID_CSV, GRID_PDF, GRID_XLSX, GridChoice, grid_exports_of

EXPORTS = {"csv": GRID_CSV, "xlsx": GRID_XLSX, "pdf": GRID_PDF}


@transaction.atomic
def grid_export_request(
    *, alliance: Alliance, choice: GridChoice, file_format: str, requested_by: User
) -> ReportVersion:
    """Queue an export of the alliance's grid, as `choice` shows it, as CSV, XLSX or PDF
    (a report version about the alliance, made by the worker). The same export by the same
    person still queued or being made is returned instead of a second (a double click, a
    reload). The caller checks that the person may see the grid; runs in the alliance's
    scope."""
    identifier = EXPORTS[file_format]
    options = choice.as_options()
    # Lock the alliance's row: two presses at once queue one file.
    Alliance.objects.select_for_update().filter(pk=alliance.pk).first()
    waiting = (
        grid_exports_of(alliance=alliance, user=requested_by)
        .filter(
            report=identifier,
            options=options,
            status__in=[ReportVersion.Status.PENDING, ReportVersion.Status.RENDERING],
        )
        .first()
    )
    if waiting is not None:
        return waiting
    return report_request(
        identifier=identifier, subject=alliance, requested_by=requested_by, options=options
    )
