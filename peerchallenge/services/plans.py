"""Writes for a council's improvement-plan PDF: ask the worker to prepare one."""

from django.db import transaction

from ..models import Alliance, ImprovementPlan, LocalAuthority, User
from ..reports import IMPROVEMENT_PLAN
from ..selectors import improvement_plan_pdfs


@transaction.atomic
def improvement_plan_pdf_request(
    *, alliance: Alliance, council: LocalAuthority, requested_by: User
):
    """Queue a PDF of the council's plan as it stands (a ReportVersion about its
    ImprovementPlan row, made the first time; the worker renders it). While one is still
    queued or being prepared, that one is returned and nothing new is queued. The caller
    checks who may (`permissions.may_view_improvement_plan`); runs in the alliance's scope."""
    from reports.models import ReportVersion
    from reports.services import report_request

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
    return report_request(identifier=IMPROVEMENT_PLAN, subject=plan, requested_by=requested_by)
