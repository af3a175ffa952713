"""Writes for a Tier 2 board's exports: ask the worker for a file of the actions the person
filtered (peerchallenge.reports: TIER2_CSV, TIER2_XLSX)."""

from dataclasses import asdict

from reports.models import ReportVersion
from reports.services import report_request_once

from ..models import Tier2Group, User
from ..reports import TIER2_CSV, TIER2_XLSX
from ..selectors import BoardFilters

EXPORTS = {"csv": TIER2_CSV, "xlsx": TIER2_XLSX}


def tier2_export_request(
    *, group: Tier2Group, filters: BoardFilters, file_format: str, requested_by: User
) -> ReportVersion:
    """Queue an export of the group's actions with these filters as CSV or XLSX. The same
    export by the same person still queued or being prepared is returned instead of a
    second (a double click, a reload). The caller checks that the person may see the board
    and that the filters match some actions; runs in the alliance's scope."""
    return report_request_once(
        identifier=EXPORTS[file_format],
        subject=group,
        requested_by=requested_by,
        options=asdict(filters),
    )
