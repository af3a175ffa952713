"""The regional development plan as a PDF (registered with reports/ through
ImprovementConfig.extra_report_modules): the introduction, the common priorities, the
collective responses, and a section per council of its brokered support, needed and
offered. The worker makes it; every member of the alliance downloads it."""

from django.utils import timezone
from django.utils.formats import date_format

from reports.registry import Report, register

from .selectors import REGIONAL_PLAN_PDF, regional_plan_of


@register
class RegionalPlanPdf(Report):
    identifier = REGIONAL_PLAN_PDF
    title = "Regional development plan"
    template = "improvement/reports/regional_plan.html"

    def context(self, plan) -> dict:
        contents = regional_plan_of(plan.cycle)
        return {
            "title": f"Regional development plan {plan.cycle.label}",
            "plan": plan,
            "contents": contents,
            "alliance": plan.alliance,
            "metadata": [
                ("Alliance", plan.alliance.name),
                ("Produced", date_format(timezone.localtime(), "j F Y, H:i")),
                ("Councils with a section", str(len(contents.councils))),
            ],
        }

    def filename(self, plan, version) -> str:
        return f"Regional development plan {plan.cycle.label} - version {version.number}.pdf"
