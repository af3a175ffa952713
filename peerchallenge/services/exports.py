"""Writes for a Tier 2 board's exports: ask the worker for a file of the actions the person
filtered (peerchallenge.reports: TIER2_CSV, TIER2_XLSX)."""

from dataclasses import asdict

from django.db import transaction

from reports.models import ReportVersion
from reports.services import report_request

from ..models import Tier2Group, User
from ..reports import TIER2_CSV, TIER2_XLSX
from ..selectors import BoardFilters, tier2_exports_of

EXPORTS = {"csv": TIER2_CSV, "xlsx": TIER2_XLSX}


@transaction.atomic
def tier2_export_request(
    *, group: Tier2Group, filters: BoardFilters, file_format: str, requested_by: User
) -> ReportVersion:
    """Queue an export of the group's actions with these filters as CSV or XLSX. The same
    export by the same person still queued or being prepared is returned instead of a
    second (a double click, a reload). The caller checks that the person may see the board
    and that the filters match some actions; runs in the alliance's scope."""
    identifier = EXPORTS[file_format]
    options = asdict(filters)
    # Lock the group's row: two presses at once queue one file.
    Tier2Group.objects.select_for_update().filter(pk=group.pk).first()
    waiting = (
        tier2_exports_of(group=group, user=requested_by)
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
        identifier=identifier, subject=group, requested_by=requested_by, options=options
    )
