"""Writes for a council's improvement-plan PDF: ask the worker to prepare one."""

from django.db import transaction

from reports.models import ReportVersion
from reports.services import report_request

from ..models import Alliance, ImprovementPlan, LocalAuthority, User
from ..reports import IMPROVEMENT_PLAN
from ..selectors import improvement_plan_pdfs

# A plan's PDF is a snapshot for a meeting; the plan page is the live record. Asking for a
# new one deletes the finished ones beyond the newest few, so they do not pile up.
PLAN_PDFS_KEPT = 3


@transaction.atomic
def improvement_plan_pdf_request(
    *, alliance: Alliance, council: LocalAuthority, requested_by: User
):
    """Queue a PDF of the council's plan as it stands (a ReportVersion about its
    ImprovementPlan row, made the first time; the worker renders it). While one is still
    queued or being prepared, that one is returned and nothing new is queued. The caller
    checks who may (`permissions.may_view_improvement_plan`); runs in the alliance's scope."""
    plan, _ = ImprovementPlan.objects.get_or_create(alliance=alliance, local_authority=council)
    # Lock the plan's row: two presses at once queue one PDF.
    ImprovementPlan.objects.select_for_update().filter(pk=plan.pk).first()
    waiting = (
        improvement_plan_pdfs(alliance=alliance, council=council)
        .filter(status__in=[ReportVersion.Status.PENDING, ReportVersion.Status.RENDERING])
        .first()
    )
    if waiting is not None:
        return waiting
    _prune_old_pdfs(alliance=alliance, council=council)
    return report_request(identifier=IMPROVEMENT_PLAN, subject=plan, requested_by=requested_by)


def _prune_old_pdfs(*, alliance: Alliance, council: LocalAuthority) -> None:
    """Keep the newest PLAN_PDFS_KEPT - 1 finished PDFs (the one being asked for makes
    PLAN_PDFS_KEPT); delete the older rows, and their files once the deletion commits."""
    finished = improvement_plan_pdfs(alliance=alliance, council=council).filter(
        status__in=[ReportVersion.Status.RENDERED, ReportVersion.Status.FAILED]
    )
    old = list(finished[PLAN_PDFS_KEPT - 1 :])
    if not old:
        return
    files = [version.file for version in old if version.file]
    ReportVersion.objects.filter(pk__in=[version.pk for version in old]).delete()

    def delete_files():
        for file in files:
            file.storage.delete(file.name)

    transaction.on_commit(delete_files)
