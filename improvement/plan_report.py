"""The regional development plan as a PDF (registered with reports/ through
ImprovementConfig.extra_report_modules): the introduction, the common priorities, the
collective responses, and a section per council of its brokered support, needed and
offered. The worker makes it; every member of the alliance downloads it."""

from reports.registry import OFFICIAL, Report, register

from .selectors import REGIONAL_PLAN_PDF, regional_plan_of


@register
class RegionalPlanPdf(Report):
    identifier = REGIONAL_PLAN_PDF
    title = "Regional development plan"
    template = "improvement/reports/regional_plan.html"
    marking = OFFICIAL  # the region's shared priorities and support, no council's judgement

    def context(self, plan) -> dict:
        contents = regional_plan_of(plan.cycle)
        return {
            "title": f"Regional development plan {plan.cycle.label}",
            "plan": plan,
            "contents": contents,
            "alliance": plan.alliance,
            # The alliance, version and date come first from reports.services for every report.
            "metadata": [
                ("Councils with a section", str(len(contents.councils))),
            ],
        }

    def filename(self, plan, version) -> str:
        return f"Regional development plan {plan.cycle.label} - version {version.number}.pdf"
