"""The summary report: written by the planners and the cycle's consultants, issued by the
programme manager, downloaded by the participating councils' people. The page's flow is the
core's (peerchallenge.views.summary); the triads add the support offers between councils."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import TemplateView

from peerchallenge.concurrency import values_version
from peerchallenge.views.mixins import form_errors_from
from peerchallenge.views.summary import SummaryReportMixin

from ..forms.summary import SummaryForm, SupportOfferForm
from ..models import SupportOffer
from ..selectors import cycle_triads, summary_texts, summary_versions
from ..services.summary import summary_issue, summary_save, support_offer_add
from .base import CycleMixin


class SummaryView(SummaryReportMixin, CycleMixin, TemplateView):
    permission_required = "triads.view_cycle"
    template_name = "triads/summary.html"
    write_permission = "triads.write_summary"
    issue_permission = "triads.issue_report"
    issuing_message = (
        "Version {number} of the summary report is being produced. "
        "The councils' directors will be told when it is ready."
    )

    def summary_subject(self):
        return self.cycle

    def setup_page(self):
        super().setup_page()
        self.triads = cycle_triads(cycle=self.cycle)

    def summary_form(self, data=None):
        texts = summary_texts(cycle=self.cycle, triads=self.triads)
        initial = {**texts, "base_version": values_version(texts)}
        return SummaryForm(data, triads=self.triads, initial=initial)

    def summary_save(self, form):
        summary_save(
            cycle=self.cycle,
            overview=form.cleaned_data["overview"],
            recommendations=form.cleaned_data["recommendations"],
            triad_texts=form.triad_texts(),
            base_version=form.cleaned_data["base_version"],
        )

    def summary_issue(self, *, issued_by):
        return summary_issue(cycle=self.cycle, issued_by=issued_by)

    def save_post(self, request):
        if "add_support" not in request.POST:
            return super().save_post(request)
        form = SupportOfferForm(request.POST, councils=self.cycle.councils.order_by("name"))
        if form.is_valid():
            try:
                support_offer_add(cycle=self.cycle, **form.cleaned_data)
            except ValidationError as error:
                form_errors_from(form, error)
        if form.errors:
            return self.render_to_response(self.get_context_data(support_form=form))
        messages.success(request, "Support offer added.")
        return redirect(request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault(
            "support_form", SupportOfferForm(councils=self.cycle.councils.order_by("name"))
        )
        context.update(
            support=list(
                SupportOffer.objects.filter(cycle=self.cycle).select_related(
                    "from_council", "to_council"
                )
            ),
            versions=list(summary_versions(cycle=self.cycle)),
        )
        return context
