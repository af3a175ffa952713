"""The triad offer's reports (registered with reports/ from TriadsConfig.ready())."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from peerchallenge.dates import day_text
from peerchallenge.emails import email_send
from peerchallenge.models import Action
from peerchallenge.permissions import roles_in
from peerchallenge.recipients import council_dcs, email_addresses, everyone_in
from reports.registry import OFFICIAL_SENSITIVE, Report, register

from .models import Cycle, SupportOffer, TriadSummary
from .permissions import PLANNERS
from .selectors import cycle_triads, summary_versions


@register
class TriadSummaryReport(Report):
    identifier = "triads.summary"
    title = "Peer challenge summary report"
    template = "triads/reports/summary.html"
    marking = OFFICIAL_SENSITIVE  # the triads' findings on each council

    def context(self, cycle: Cycle) -> dict:
        triads = cycle_triads(cycle=cycle)
        sections = dict(
            TriadSummary.objects.filter(triad__cycle=cycle).values_list("triad_id", "text")
        )
        actions = list(
            Action.objects.filter(
                source_type=ContentType.objects.get_for_model(Cycle), source_id=cycle.pk
            )
            .select_related("local_authority", "tier2_group")
            .order_by("local_authority__name", "due_date")
        )
        summary = getattr(cycle, "summary", None)
        return {
            "title": f"{cycle.name}: summary report",
            # The alliance, version and date come first from reports.services for every report.
            "metadata": [
                ("Event", day_text(cycle.event_date)),
                ("Councils", str(cycle.councils.count())),
            ],
            "cycle": cycle,
            "summary": summary,
            "triads": [(triad, sections.get(triad.pk, "")) for triad in triads],
            "support": list(
                SupportOffer.objects.filter(cycle=cycle).select_related(
                    "from_council", "to_council"
                )
            ),
            "actions": actions,
        }

    def filename(self, cycle: Cycle, version) -> str:
        return f"{cycle.name} - summary report v{version.number}.pdf"

    def may_download_version(self, user, cycle: Cycle, version) -> bool:
        """Planners keep every version; the councils' people get the latest issued one."""
        if roles_in(user, cycle.alliance_id) & PLANNERS:
            return True
        latest = summary_versions(cycle=cycle).filter(status="rendered").first()
        return latest is not None and latest.pk == version.pk

    def on_rendered(self, cycle: Cycle, version) -> None:
        """Tell the active DCSs of the participating councils that the report is ready."""
        dcs_emails = email_addresses(
            everyone_in(
                council_dcs(
                    alliance=cycle.alliance,
                    council_ids=cycle.councils.values_list("pk", flat=True),
                )
            )
        )
        if not dcs_emails:
            return
        path = reverse(
            "triads:cycle_detail", kwargs={"alliance": cycle.alliance.slug, "cycle": cycle.pk}
        )
        for email in dcs_emails:  # one message each: recipients do not see each other
            email_send(
                template="report_issued",
                to=[email],
                context={"cycle": cycle, "version": version, "path": path},
                dedupe_key=f"report:{version.pk}:{email}",
            )
