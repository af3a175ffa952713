"""Asking the worker for a council's data pack as a PDF."""

from django.db import transaction

from peerchallenge.models import Alliance, LocalAuthority, User
from reports.models import ReportVersion
from reports.services import report_request

from ..selectors import PACK_PDF, pack_pdfs_of


@transaction.atomic
def pack_pdf_request(*, alliance: Alliance, council: LocalAuthority, requested_by: User):
    """Queue a PDF of the council's pack for this person (a ReportVersion about the
    alliance, the council its option). While theirs is still queued or being made, that one
    is returned and nothing new is queued: pressing twice makes one. The caller checks who
    may (`benchmarking.view_data_pack`)."""
    # Lock the person's row: two presses at once queue one PDF.
    User.objects.select_for_update().filter(pk=requested_by.pk).first()
    waiting = (
        pack_pdfs_of(alliance=alliance, council=council, user=requested_by)
        .filter(status__in=[ReportVersion.Status.PENDING, ReportVersion.Status.RENDERING])
        .first()
    )
    if waiting is not None:
        return waiting
    return report_request(
        identifier=PACK_PDF,
        subject=alliance,
        requested_by=requested_by,
        options={"council": council.pk, "council_name": council.name},
    )
