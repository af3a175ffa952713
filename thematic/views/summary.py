"""The emerging themes summary: every council's next steps side by side to write from;
written by the coordinator with the Tier 2 group, issued as a PDF by the planners. The
page's flow is the core's (peerchallenge.views.summary)."""

from django.views.generic import TemplateView

from peerchallenge.concurrency import record_version
from peerchallenge.views.summary import SummaryReportMixin

from ..forms.summary import SummaryForm
from ..models import EmergingSummary
from ..selectors import event_submissions, summary_versions
from ..services.summary import SUMMARY_FIELDS, summary_issue, summary_save
from .base import EventMixin


class SummaryView(SummaryReportMixin, EventMixin, TemplateView):
    template_name = "thematic/summary.html"
    write_permission = "thematic.write_summary"
    issue_permission = "thematic.issue_summary"
    issuing_message = (
        "Version {number} of the summary is being produced. The councils' "
        "directors will be told when it is ready."
    )

    def summary_subject(self):
        return self.event

    def setup_page(self):
        super().setup_page()
        self.summary = EmergingSummary.objects.filter(event=self.event).first()

    def summary_form(self, data=None):
        if data is not None:
            return SummaryForm(data)
        initial = {
            "emerging_themes": self.summary.emerging_themes if self.summary else "",
            "proposed_next_steps": self.summary.proposed_next_steps if self.summary else "",
            "base_version": record_version(self.summary, SUMMARY_FIELDS),
        }
        return SummaryForm(initial=initial)

    def summary_save(self, form):
        summary_save(event=self.event, user=self.request.user, **form.cleaned_data)

    def summary_issue(self, *, issued_by):
        return summary_issue(event=self.event, issued_by=issued_by)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            summary=self.summary,
            submissions=event_submissions(event=self.event),
            versions=list(summary_versions(event=self.event)),
        )
        return context
