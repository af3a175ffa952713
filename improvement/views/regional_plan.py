"""The regional development plan: every member of the alliance reads it and downloads its
issued PDF; the planners write its introduction and collective responses and issue it."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View

from peerchallenge.sections import alliance_action_for
from peerchallenge.views.mixins import AllianceObjectMixin, ConfirmMixin, refusals_on

from ..forms import IntroductionForm, ResponseForm
from ..models import CollectiveResponse
from ..selectors import regional_plan_of, regional_plan_pdfs
from ..services.regional_plan import (
    introduction_save,
    regional_plan_issue,
    response_add,
    response_change,
    response_remove,
)
from .cycle import CycleMixin, RegionalMixin


def to_regional_plan(cycle):
    return redirect(
        "improvement:regional_plan", alliance=cycle.alliance.slug, improvement_cycle=cycle.pk
    )


class RegionalPlanView(CycleMixin, TemplateView):
    permission_required = "improvement.view_cycle"
    template_name = "improvement/regional_plan.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        contents = regional_plan_of(self.cycle)
        action = alliance_action_for(user, self.alliance, "thematic_event_create")
        visits = {}
        if action is not None:
            base = reverse(action.url_name, kwargs={"alliance": self.alliance.slug})
            visits = {
                response.pk: f"{base}?{urlencode({'theme': response.theme})}"
                for response in contents.responses
                if response.kind == CollectiveResponse.Kind.HOSTED_VISIT
            }
        context.update(
            contents=contents,
            pdfs=regional_plan_pdfs(contents.plan),
            can_manage=user.has_perm("improvement.manage_cycle", self.alliance),
            visit_links=visits,
            visit_label=action.label if action else "",
        )
        return context


class IntroductionView(CycleMixin, FormView):
    permission_required = "improvement.manage_cycle"
    template_name = "improvement/regional_plan_form.html"
    form_class = IntroductionForm

    def get_initial(self):
        plan = regional_plan_of(self.cycle).plan
        return {"introduction": plan.introduction if plan else ""}

    def form_valid(self, form):
        introduction_save(cycle=self.cycle, introduction=form.cleaned_data["introduction"])
        messages.success(self.request, "The introduction is saved.")
        return to_regional_plan(self.cycle)


class ResponseAddView(CycleMixin, FormView):
    permission_required = "improvement.manage_cycle"
    template_name = "improvement/regional_plan_form.html"
    form_class = ResponseForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = "Add a collective response"
        return context

    def form_valid(self, form):
        with refusals_on(form):
            response = response_add(cycle=self.cycle, **form.cleaned_data)
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"“{response.title}” is in the plan.")
        return to_regional_plan(self.cycle)


class ResponseMixin(RegionalMixin, AllianceObjectMixin):
    permission_required = "improvement.manage_cycle"
    object_model = CollectiveResponse
    object_kwarg = "collective_response"
    object_name = "response"
    object_related = ("plan__cycle",)
    not_found = "No such response."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cycle"] = self.response.plan.cycle
        return context


class ResponseChangeView(ResponseMixin, FormView):
    template_name = "improvement/regional_plan_form.html"
    form_class = ResponseForm

    def get_initial(self):
        response = self.response
        return {
            name: getattr(response, name)
            for name in ("theme", "kind", "title", "description", "owner", "starts_on", "ends_on")
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = f"Change “{self.response.title}”"
        return context

    def form_valid(self, form):
        with refusals_on(form):
            response_change(response=self.response, **form.cleaned_data)
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"“{self.response.title}” is saved.")
        return to_regional_plan(self.response.plan.cycle)


class ResponseRemoveView(ResponseMixin, ConfirmMixin, TemplateView):
    template_name = "improvement/response_remove.html"

    def confirmed_post(self, request, *args, **kwargs):
        response_remove(response=self.response)
        messages.success(request, f"“{self.response.title}” is taken out of the plan.")
        return to_regional_plan(self.response.plan.cycle)


class RegionalPlanIssueView(CycleMixin, View):
    """POST: issue the plan as a PDF, made by the worker."""

    permission_required = "improvement.manage_cycle"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            regional_plan_issue(cycle=self.cycle, issued_by=request.user)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(
                request,
                "The plan is issued: its PDF is being made, and every member of the alliance "
                "can download it here in a minute.",
            )
        return to_regional_plan(self.cycle)
