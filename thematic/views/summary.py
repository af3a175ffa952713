"""The emerging themes summary: every council's next steps side by side to write from;
written by the coordinator with the Tier 2 group, issued as a PDF by the planners."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.generic import TemplateView

from peerchallenge.concurrency import EditConflict, record_version
from reports.views import report_requested_message

from ..forms.summary import SummaryForm
from ..models import EmergingSummary
from ..selectors import event_submissions, summary_versions
from ..services.summary import SUMMARY_FIELDS, summary_issue, summary_save
from .base import EventMixin


class SummaryView(EventMixin, TemplateView):
    template_name = "thematic/summary.html"

    def setup_page(self):
        user = self.request.user
        if not user.has_perm("thematic.write_summary", self.event):
            raise PermissionDenied
        self.summary = EmergingSummary.objects.filter(event=self.event).first()
        self.can_issue = user.has_perm("thematic.issue_summary", self.alliance)

    def get(self, request, *args, **kwargs):
        self.setup_page()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.setup_page()
        if "issue" in request.POST:
            if not self.can_issue:
                raise PermissionDenied
            try:
                version = summary_issue(event=self.event, issued_by=request.user)
            except ValidationError as error:
                return self.render_to_response(self.get_context_data(issue_errors=error.messages))
            report_requested_message(
                request,
                version,
                f"Version {version.number} of the summary is being produced. The councils' "
                "directors will be told when it is ready.",
            )
        else:
            form = SummaryForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form))
            try:
                summary_save(event=self.event, user=request.user, **form.cleaned_data)
            except EditConflict as conflict:
                form.conflict_show(conflict)
                return self.render_to_response(self.get_context_data(form=form))
            messages.success(request, "Summary saved.")
        return redirect(request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        initial = {
            "emerging_themes": self.summary.emerging_themes if self.summary else "",
            "proposed_next_steps": self.summary.proposed_next_steps if self.summary else "",
            "base_version": record_version(self.summary, SUMMARY_FIELDS),
        }
        context.setdefault("form", SummaryForm(initial=initial))
        context.update(
            summary=self.summary,
            submissions=event_submissions(event=self.event),
            can_issue=self.can_issue,
            versions=list(summary_versions(event=self.event)),
        )
        return context
