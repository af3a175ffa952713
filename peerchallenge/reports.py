"""The core's report: a council's improvement plan as a PDF (registered with reports/ from
PeerChallengeConfig.ready()).

The plan is a live document, read from the actions as they stand, so it is rendered when
asked for and not stored: no ReportVersion, no Celery task. reports/ versions documents
that are issued (a summary report, a findings report) and keys them to a subject row with
an alliance; a plan is one council's actions within one alliance, which no row holds, and
a numbered copy of it would be out of date with the next progress update. What it shares
with every other report is the registry entry (identifier, title, template, context), the
base template and the PDF pipeline (reports/pdf.py: tagged PDF/UA, restrictive URL
fetcher). A plan is a few pages (about 65 actions at national scale), which renders in
about a second in the web process."""

from dataclasses import dataclass

from django.utils import timezone

from reports.registry import Report, register

from .models import Alliance, LocalAuthority

IMPROVEMENT_PLAN = "peerchallenge.improvement_plan"


@dataclass(frozen=True)
class PlanSubject:
    """What the report is about: one council's plan in one alliance."""

    alliance: Alliance
    council: LocalAuthority

    @property
    def alliance_id(self) -> int:
        return self.alliance.pk

    def __str__(self):
        return self.council.name


@register
class ImprovementPlanReport(Report):
    identifier = IMPROVEMENT_PLAN
    title = "Improvement plan"
    template = "peerchallenge/reports/improvement_plan.html"

    def context(self, plan: PlanSubject) -> dict:
        from .selectors import improvement_plan, rag_count_of

        groups = improvement_plan(alliance=plan.alliance, council=plan.council)
        actions = [action for group in groups for action in group.actions]
        return {
            "title": f"Improvement plan of {plan.council.name}",
            "metadata": [
                ("Council", plan.council.official_name or plan.council.name),
                ("Actions", str(len(actions))),
            ],
            "council": plan.council,
            "groups": groups,
            "counts": rag_count_of(actions),
        }

    def filename(self, plan: PlanSubject, version=None) -> str:
        return f"Improvement plan - {plan.council.name} - {timezone.localdate():%Y-%m-%d}.pdf"


def improvement_plan_pdf(*, alliance: Alliance, council: LocalAuthority):
    """The council's improvement plan rendered now as a tagged PDF (reports.pdf.RenderedPDF).
    Writes nothing. Runs inside the alliance's scope; the caller checks who may read it."""
    from reports.services import report_render_unstored

    return report_render_unstored(
        identifier=IMPROVEMENT_PLAN,
        subject=PlanSubject(alliance=alliance, council=council),
        alliance=alliance,
    )
