"""Writes for the grid: ask the worker for an export of it (benchmarking.reports)."""

from peerchallenge.models import Alliance, User
from reports.models import ReportVersion
from reports.services import report_request_once

from ..grid import GRID_CSV, GRID_PDF, GRID_XLSX, GridChoice

EXPORTS = {"csv": GRID_CSV, "xlsx": GRID_XLSX, "pdf": GRID_PDF}


def grid_export_request(
    *, alliance: Alliance, choice: GridChoice, file_format: str, requested_by: User
) -> ReportVersion:
    """Queue an export of the alliance's grid, as `choice` shows it, as CSV, XLSX or PDF
    (a report version about the alliance, made by the worker). The same export by the same
    person still queued or being made is returned instead of a second (a double click, a
    reload). The caller checks that the person may see the grid; runs in the alliance's
    scope."""
    return report_request_once(
        identifier=EXPORTS[file_format],
        subject=alliance,
        requested_by=requested_by,
        options=choice.as_options(),
    )
