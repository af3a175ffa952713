"""The summary report: written by the planners and the cycle's consultants, issued by the
programme manager, downloaded by the participating councils' people."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.generic import TemplateView

from peerchallenge.concurrency import EditConflict, values_version
from peerchallenge.views.mixins import form_errors_from
from reports.views import report_requested_message

from ..forms.summary import SummaryForm, SupportOfferForm
from ..models import SupportOffer
from ..selectors import cycle_triads, summary_texts, summary_versions
from ..services.summary import summary_issue, summary_save, support_offer_add
from .base import CycleMixin


class SummaryView(CycleMixin, TemplateView):
    permission_required = "triads.view_cycle"
    template_name = "triads/summary.html"

    def setup_page(self):
        user = self.request.user
        if not user.has_perm("triads.write_summary", self.cycle):
            raise PermissionDenied
        self.triads = cycle_triads(cycle=self.cycle)
        self.can_issue = user.has_perm("triads.issue_report", self.alliance)

    def summary_form(self, data=None):
        texts = summary_texts(cycle=self.cycle, triads=self.triads)
        initial = {**texts, "base_version": values_version(texts)}
        return SummaryForm(data, triads=self.triads, initial=initial)

    def get(self, request, *args, **kwargs):
        self.setup_page()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.setup_page()
        if "issue" in request.POST:
            if not self.can_issue:
                raise PermissionDenied
            try:
                version = summary_issue(cycle=self.cycle, issued_by=request.user)
            except ValidationError as error:
                return self.render_to_response(self.get_context_data(issue_errors=error.messages))
            report_requested_message(
                request,
                version,
                f"Version {version.number} of the summary report is being produced. "
                "The councils' directors will be told when it is ready.",
            )
        elif "add_support" in request.POST:
            form = SupportOfferForm(request.POST, councils=self.cycle.councils.order_by("name"))
            if form.is_valid():
                try:
                    support_offer_add(cycle=self.cycle, **form.cleaned_data)
                except ValidationError as error:
                    form_errors_from(form, error)
            if form.errors:
                return self.render_to_response(self.get_context_data(support_form=form))
            messages.success(request, "Support offer added.")
        else:
            form = self.summary_form(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form))
            try:
                summary_save(
                    cycle=self.cycle,
                    overview=form.cleaned_data["overview"],
                    recommendations=form.cleaned_data["recommendations"],
                    triad_texts=form.triad_texts(),
                    base_version=form.cleaned_data["base_version"],
                )
            except EditConflict as conflict:
                form.conflict_show(conflict)
                return self.render_to_response(self.get_context_data(form=form))
            messages.success(request, "Summary saved.")
        return redirect(request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.summary_form())
        context.setdefault(
            "support_form", SupportOfferForm(councils=self.cycle.councils.order_by("name"))
        )
        context.update(
            can_issue=self.can_issue,
            support=list(
                SupportOffer.objects.filter(cycle=self.cycle).select_related(
                    "from_council", "to_council"
                )
            ),
            versions=list(summary_versions(cycle=self.cycle)),
        )
        return context
