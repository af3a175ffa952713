"""Asking the worker for a council's data pack as a PDF."""

from peerchallenge.models import Alliance, LocalAuthority, User
from reports.models import ReportVersion
from reports.services import report_request_once

from ..selectors import PACK_PDF


def pack_pdf_request(
    *, alliance: Alliance, council: LocalAuthority, requested_by: User
) -> ReportVersion:
    """Queue a PDF of the council's pack for this person (a ReportVersion about the
    alliance, the council its option); theirs still queued or being made is returned
    instead (pressing twice makes one). The caller checks who may
    (`benchmarking.view_data_pack`)."""
    return report_request_once(
        identifier=PACK_PDF,
        subject=alliance,
        requested_by=requested_by,
        options={"council": council.pk, "council_name": council.name},
    )
