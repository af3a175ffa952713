from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView, View

from reports.views import report_requested_message

from ..models import LocalAuthority, Region
from ..permissions import may_maintain_reference_data, may_view_improvement_plan
from ..selectors import (
    council_of_alliance,
    councils_of_alliance,
    improvement_plan_page,
    improvement_plan_pdfs,
    members_of_council,
    ofsted_history,
    ofsted_latest_by_council,
)
from ..services.plans import improvement_plan_pdf_request
from .mixins import AlliancePermissionMixin

# Actions a page of a council's improvement plan: a page for almost every council; a plan of
# hundreds (a decade of challenges) is read a page at a time, and its PDF has them all.
PLAN_PAGE_SIZE = 100


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
        councils = list(councils)
        latest = ofsted_latest_by_council(councils=councils)
        context.update(
            rows=[(council, latest.get(council.pk)) for council in councils],
            regions=regions if len(regions) > 1 else [],
            selected_region=region,
            query=query,
            can_import_ofsted=may_maintain_reference_data(self.request.user),
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
        context["can_import_ofsted"] = may_maintain_reference_data(user)
        context["can_view_plan"] = may_view_improvement_plan(
            user, alliance=self.alliance, council=self.council
        )
        history = ofsted_history(council=self.council)
        context["ofsted_latest"] = history[0] if history else None
        context["ofsted_history"] = history
        return context


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
        plan = improvement_plan_page(
            alliance=self.alliance,
            council=self.council,
            number=self.request.GET.get("page"),
            per_page=PLAN_PAGE_SIZE,
        )
        for action in plan.page.object_list:
            # Roles and councils are loaded once per request: no query per action.
            action.can_change = self.request.user.has_perm("peerchallenge.change_action", action)
        context.update(groups=plan.groups, counts=plan.counts, page=plan.page)
        context["pdf"] = improvement_plan_pdfs(alliance=self.alliance, council=self.council).first()
        return context


class ImprovementPlanPdfView(PlanMixin, View):
    """The old address of the plan's PDF, which was rendered in the request: now the plan
    page, where the PDF is prepared by the worker and downloaded when ready."""

    def get(self, request, *args, **kwargs):
        self.check_may_view()
        return redirect("improvement_plan", alliance=self.alliance.slug, gss=self.council.gss_code)


class ImprovementPlanPdfPrepareView(PlanMixin, View):
    """POST: ask the worker for a PDF of the plan as it stands (services.plans); back to the
    plan page, which says it is being prepared and then offers the download."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.check_may_view()
        version = improvement_plan_pdf_request(
            alliance=self.alliance, council=self.council, requested_by=request.user
        )
        report_requested_message(
            request,
            version,
            f"A PDF of {self.council.name}'s improvement plan is being prepared. Refresh this "
            "page in a minute to download it.",
        )
        return redirect("improvement_plan", alliance=self.alliance.slug, gss=self.council.gss_code)
