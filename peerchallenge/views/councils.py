from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.generic import FormView, TemplateView, View

from ..forms import OfstedForm, OfstedImportForm
from ..models import AccessLog, LocalAuthority, Region
from ..permissions import may_view_improvement_plan
from ..selectors import (
    council_of_alliance,
    councils_of_alliance,
    improvement_plan,
    members_of_council,
    rag_count_of,
)
from ..services import access_log_record, council_set_ofsted, ofsted_import_csv
from .mixins import AlliancePermissionMixin, client_ip


class CouncilListView(AlliancePermissionMixin, TemplateView):
    permission_required = "peerchallenge.view_councils"
    template_name = "peerchallenge/council_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        councils = councils_of_alliance(alliance=self.alliance)
        regions = list(Region.objects.filter(councils__in=councils).distinct())
        region = self.request.GET.get("region", "")
        query = self.request.GET.get("q", "").strip()
        if region:
            councils = councils.filter(region__slug=region)
        if query:
            councils = councils.filter(name__icontains=query)
        context.update(
            councils=list(councils),
            regions=regions if len(regions) > 1 else [],
            selected_region=region,
            query=query,
            can_edit_ofsted=self.request.user.has_perm("peerchallenge.edit_ofsted", self.alliance),
        )
        return context


class CouncilMixin(AlliancePermissionMixin):
    def dispatch(self, request, *args, **kwargs):
        try:
            self.council = council_of_alliance(alliance=request.alliance, gss_code=kwargs["gss"])
        except LocalAuthority.DoesNotExist:
            raise Http404("Not one of this alliance's councils.") from None
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["council"] = self.council
        return context


class CouncilDetailView(CouncilMixin, TemplateView):
    permission_required = "peerchallenge.view_councils"
    template_name = "peerchallenge/council_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.has_perm("peerchallenge.view_members", self.alliance):
            context["members"] = list(
                members_of_council(alliance=self.alliance, council=self.council)
            )
        context["can_edit_ofsted"] = user.has_perm("peerchallenge.edit_ofsted", self.alliance)
        context["can_view_plan"] = may_view_improvement_plan(
            user, alliance=self.alliance, council=self.council
        )
        context["ofsted_history"] = list(
            self.council.history.select_related("history_user").order_by("-history_date")[:5]
        )
        return context


class CouncilOfstedView(CouncilMixin, FormView):
    permission_required = "peerchallenge.edit_ofsted"
    template_name = "peerchallenge/council_ofsted.html"
    form_class = OfstedForm

    def get_initial(self):
        return {
            "ofsted_grade": self.council.ofsted_grade,
            "ofsted_date": self.council.ofsted_date,
        }

    def form_valid(self, form):
        try:
            council_set_ofsted(
                council=self.council,
                grade=form.cleaned_data["ofsted_grade"],
                judgement_date=form.cleaned_data["ofsted_date"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        messages.success(self.request, f"Ofsted judgement for {self.council} saved.")
        return redirect("council_detail", alliance=self.alliance.slug, gss=self.council.gss_code)


class OfstedImportView(AlliancePermissionMixin, FormView):
    permission_required = "peerchallenge.edit_ofsted"
    template_name = "peerchallenge/ofsted_import.html"
    form_class = OfstedImportForm

    def form_valid(self, form):
        try:
            result = ofsted_import_csv(
                alliance=self.alliance, content=form.cleaned_data["file"].read()
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
            return self.form_invalid(form)
        if not result.errors:
            messages.success(
                self.request, f"Imported Ofsted grades for {len(result.updated)} councils."
            )
            return redirect(reverse("council_list", kwargs={"alliance": self.alliance.slug}))
        return self.render_to_response(self.get_context_data(form=self.form_class(), result=result))


class PlanMixin(CouncilMixin):
    """A council's improvement plan: read by its own people and by those whose role follows
    every council's plan; another council's people get 404."""

    permission_required = "peerchallenge.view_councils"

    def check_may_view(self) -> None:
        if not may_view_improvement_plan(
            self.request.user, alliance=self.alliance, council=self.council
        ):
            raise Http404("Not your council's plan.")


class ImprovementPlanView(PlanMixin, TemplateView):
    template_name = "peerchallenge/improvement_plan.html"

    def get(self, request, *args, **kwargs):
        self.check_may_view()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = improvement_plan(alliance=self.alliance, council=self.council)
        for group in groups:
            for action in group.actions:
                # Roles and councils are loaded once per request: no query per action.
                action.can_change = self.request.user.has_perm(
                    "peerchallenge.change_action", action
                )
        context["groups"] = groups
        context["counts"] = rag_count_of(action for group in groups for action in group.actions)
        return context


class ImprovementPlanPdfView(PlanMixin, View):
    """The plan as a PDF, rendered on request (peerchallenge/reports.py says why it is not a
    stored report version); every download is written to the access log."""

    def get(self, request, *args, **kwargs):
        from ..reports import ImprovementPlanReport, PlanSubject, improvement_plan_pdf

        self.check_may_view()
        pdf = improvement_plan_pdf(alliance=self.alliance, council=self.council)
        access_log_record(
            alliance=self.alliance,
            user=request.user,
            action=AccessLog.Action.DOWNLOAD,
            obj=self.council,
            ip_address=client_ip(request),
        )
        filename = ImprovementPlanReport().filename(PlanSubject(self.alliance, self.council))
        response = HttpResponse(pdf.content, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["Cache-Control"] = "private, no-store"
        return response
