"""The core's report: a council's improvement plan as a PDF (registered with reports/ from
PeerChallengeConfig.ready()).

The plan is a live document, read from the actions as they stand; its PDF is a copy of it
at the moment the worker renders it. It goes through the report pipeline like every other
report (a ReportVersion about the council's `ImprovementPlan` row, rendered by the Celery
task under its time limits, stored, reaped and retried), never in a web request: a 5 MB
action text once tied a web process for minutes. The plan page offers "Prepare a PDF",
shows "being prepared" and then the download (`services.plans`)."""

from django.utils import timezone

from reports.registry import Report, register

from .selectors import improvement_plan, rag_count_of

IMPROVEMENT_PLAN = "peerchallenge.improvement_plan"


@register
class ImprovementPlanReport(Report):
    identifier = IMPROVEMENT_PLAN
    title = "Improvement plan"
    template = "peerchallenge/reports/improvement_plan.html"

    def context(self, plan) -> dict:
        council = plan.local_authority
        groups = improvement_plan(alliance=plan.alliance, council=council)
        actions = [action for group in groups for action in group.actions]
        return {
            "title": f"Improvement plan of {council.name}",
            "metadata": [
                ("Council", council.official_name or council.name),
                ("Actions", str(len(actions))),
            ],
            "council": council,
            "groups": groups,
            "counts": rag_count_of(actions),
        }

    def filename(self, plan, version) -> str:
        day = timezone.localdate()
        return f"Improvement plan - {plan.local_authority.name} - {day:%Y-%m-%d}.pdf"
