"""A council's development plan: read by the same people as its self-evaluation (the
council, the alliance's planners, and once submitted the councils challenging it), its
priorities written by its organisers and DCS, submitted by its DCS (each priority then an
agreed action)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from peerchallenge.models import Tier2Group
from peerchallenge.permissions import may_view_improvement_plan
from peerchallenge.views.mixins import ConfirmMixin, refusals_on

from ..forms import PlanSubmitForm, PriorityForm
from ..models import Priority, Scrutiny
from ..selectors import plan_of, priorities_of, scrutinies_of_council
from ..services.plan import (
    plan_submit,
    priority_add,
    priority_change,
    priority_remove,
)
from .cycle import CouncilWorkMixin


def to_plan(cycle, council):
    return redirect(
        "improvement:plan",
        alliance=cycle.alliance.slug,
        improvement_cycle=cycle.pk,
        gss=council.gss_code,
    )


class PlanMixin(CouncilWorkMixin):
    """A page of one council's development plan."""

    stage = Scrutiny.Stage.PLAN
    work_name = "development plan"
    locked_text = "The development plan is submitted: it can no longer change."

    def work_of(self, cycle, council):
        return plan_of(cycle=cycle, council=council)

    def to_work(self):
        return to_plan(self.cycle, self.council)

    @property
    def plan(self):
        return self.work

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            council=self.council,
            plan=self.plan,
            may_write=self.may_write and not self.locked,
            may_submit=self.may_submit and not self.locked,
        )
        return context


class PlanView(PlanMixin, TemplateView):
    template_name = "improvement/plan.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        challenges = scrutinies_of_council(self.cycle, self.council, stage=Scrutiny.Stage.PLAN)
        comments: dict[int, list] = {}
        for challenge in challenges:
            for comment in challenge.comments.all():
                comments.setdefault(comment.priority_id, []).append((challenge, comment))
        context.update(
            priorities=[
                (priority, comments.get(priority.pk, [])) for priority in priorities_of(self.plan)
            ],
            challenges=challenges,
            my_challenges=[c for c in challenges if c.scrutineer_id in self.scrutinising]
            if self.locked
            else [],
            can_view_improvement_plan=may_view_improvement_plan(
                self.request.user, alliance=self.alliance, council=self.council
            ),
        )
        return context


class PriorityAddView(PlanMixin, FormView):
    template_name = "improvement/priority_form.html"
    form_class = PriorityForm

    def check_object(self, request, found):
        return super().check_object(request, found) or self.writer_only(request)

    def form_valid(self, form):
        with refusals_on(form):
            priority = priority_add(cycle=self.cycle, council=self.council, **form.cleaned_data)
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"“{priority.title}” is added to the plan.")
        return to_plan(self.cycle, self.council)


class PriorityMixin(PlanMixin):
    def check_object(self, request, found):
        refused = super().check_object(request, found) or self.writer_only(request)
        if refused is not None:
            return refused
        self.priority = (
            Priority.objects.filter(plan=self.plan, pk=self.kwargs["priority"]).first()
            if self.plan is not None
            else None
        )
        if self.priority is None:
            raise Http404("No such priority.")
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["priority"] = self.priority
        return context


class PriorityChangeView(PriorityMixin, FormView):
    template_name = "improvement/priority_form.html"
    form_class = PriorityForm

    def get_initial(self):
        priority = self.priority
        return {
            "title": priority.title,
            "what": priority.what,
            "owner": priority.owner,
            "due_date": priority.due_date,
        }

    def form_valid(self, form):
        with refusals_on(form):
            priority_change(priority=self.priority, **form.cleaned_data)
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"“{self.priority.title}” is saved.")
        return to_plan(self.cycle, self.council)


class PriorityRemoveView(PriorityMixin, ConfirmMixin, TemplateView):
    template_name = "improvement/priority_remove.html"

    def confirmed_post(self, request, *args, **kwargs):
        priority_remove(priority=self.priority)
        messages.success(request, f"“{self.priority.title}” is taken out of the plan.")
        return to_plan(self.cycle, self.council)


class PlanSubmitView(PlanMixin, FormView):
    template_name = "improvement/plan_submit.html"
    form_class = PlanSubmitForm

    def check_object(self, request, found):
        refused = super().check_object(request, found)
        if refused is not None:
            return refused
        if not self.may_submit:
            raise Http404("No such page.")
        if self.locked:
            messages.info(request, "The development plan is already submitted.")
            return to_plan(found, self.council)
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["groups"] = Tier2Group.objects.filter(alliance=self.alliance).order_by("name")
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["priorities"] = priorities_of(self.plan)
        return context

    def form_valid(self, form):
        if self.plan is None:
            form.add_error(None, "Add at least one priority before submitting the plan.")
            return self.form_invalid(form)
        with refusals_on(form):
            plan_submit(
                plan=self.plan,
                submitted_by=self.request.user,
                tier2_group=form.cleaned_data["tier2_group"],
            )
        if form.errors:
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{self.council.name}'s development plan is submitted: each priority is now an "
            "agreed action on the council's improvement plan.",
        )
        return to_plan(self.cycle, self.council)
