"""The thematic offer's report: the emerging themes summary (registered with reports/ when
ThematicConfig.ready() imports this module)."""

from django.urls import reverse

from peerchallenge.emails import email_send
from peerchallenge.recipients import council_dcs, email_addresses, everyone_in
from reports.registry import OFFICIAL_SENSITIVE, Report, register

from .models import ThematicEvent
from .selectors import event_attendance, event_submissions


@register
class ThematicSummaryReport(Report):
    identifier = "thematic.summary"
    title = "Thematic peer challenge: emerging themes and next steps"
    template = "thematic/reports/summary.html"
    marking = OFFICIAL_SENSITIVE  # councils' submissions and next steps

    def context(self, event: ThematicEvent) -> dict:
        summary = getattr(event, "summary", None)
        attendance = event_attendance(event=event)
        return {
            "title": f"{event.theme.name}: emerging themes and next steps",
            "metadata": [
                ("Theme", event.theme.name),
                (
                    "Event",
                    f"{event.date.day} {event.date:%B %Y}, {event.start_time:%H:%M} to "
                    f"{event.end_time:%H:%M} ({event.get_format_display().lower()})",
                ),
                ("Councils", str(len(attendance))),
                ("Officers nominated", str(sum(len(row.nominations) for row in attendance))),
                ("Monitored by", event.tier2_group.name),
            ],
            "event": event,
            "summary": summary,
            "kloes": list(event.kloes.all()),
            "submissions": event_submissions(event=event),
        }

    def filename(self, event: ThematicEvent, version) -> str:
        return f"{event.theme.name} thematic summary {event.date:%Y-%m-%d} v{version.number}.pdf"

    def on_rendered(self, event: ThematicEvent, version) -> None:
        """Tell the active DCSs of the participating councils that the summary is ready."""
        emails = email_addresses(
            everyone_in(
                council_dcs(
                    alliance=event.alliance,
                    council_ids=event.councils.values_list("pk", flat=True),
                )
            )
        )
        path = reverse(
            "thematic:event_detail", kwargs={"alliance": event.alliance.slug, "event": event.pk}
        )
        for email in emails:  # one message each: recipients do not see each other
            email_send(
                template="thematic_summary_issued",
                to=[email],
                context={"event": event, "version": version, "path": path},
                dedupe_key=f"report:{version.pk}:{email}",
            )
