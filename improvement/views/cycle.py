"""The cycle's pages: its steps and dates for every member, and for its planners opening
it, its deadlines, the self-evaluation template and the board of every council's
progress."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from peerchallenge.models import Alliance, LocalAuthority
from peerchallenge.permissions import council_ids_in
from peerchallenge.selectors import council_of_alliance, councils_of_alliance
from peerchallenge.views.mixins import (
    AllianceObjectMixin,
    AlliancePermissionMixin,
    ConfirmMixin,
    refusals_on,
)

from ..forms import CycleOpenForm, DeadlinesForm, SectionChangeForm, SectionForm
from ..models import Cycle, Scrutiny, TemplateSection, step_defaults
from ..permissions import (
    may_read_council_work,
    may_submit_self_evaluation,
    may_write_self_evaluation,
    scrutinising_councils,
)
from ..selectors import (
    board_rows,
    cycle_current,
    cycle_year_next,
    has_submissions,
    scrutineer_ids,
    scrutinies_by,
    template_of,
    year_label,
)
from ..services.cycle import (
    cycle_deadlines_change,
    cycle_open,
    section_add,
    section_change,
    section_remove,
)


def to_cycle(alliance):
    return redirect("improvement:cycle", alliance=alliance.slug)


class RegionalMixin(AlliancePermissionMixin):
    """Every page of the cycle: only a regional alliance runs it (404 in the LGA's)."""

    alliance_kind = Alliance.Kind.REGIONAL


class CycleView(RegionalMixin, TemplateView):
    """The current cycle: its steps with their dates, the person's own council's
    self-evaluation, and the planners' links."""

    permission_required = "improvement.view_cycle"
    template_name = "improvement/cycle.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, alliance = self.request.user, self.alliance
        cycle = cycle_current(alliance)
        today = timezone.localdate()
        steps = []
        if cycle is not None:
            upcoming = next((day for _f, _l, day in cycle.deadlines() if day >= today), None)
            steps = [
                (label, day, day < today, day == upcoming) for _f, label, day in cycle.deadlines()
            ]
        own, scrutinising = [], []
        if cycle is not None:
            own = [
                council
                for council in alliance_councils(alliance, council_ids_in(user, alliance.pk))
                if may_read_council_work(user, alliance=alliance, council=council)
            ]
            mine = {council.pk for council in own}
            scrutinising = scrutinies_by(cycle, mine) + scrutinies_by(
                cycle, mine, stage=Scrutiny.Stage.PLAN
            )
        context.update(
            cycle=cycle,
            steps=steps,
            own_councils=own,
            scrutinising=scrutinising,
            next_label=year_label(year) if (year := cycle_year_next(alliance)) else "",
            can_manage=user.has_perm("improvement.manage_cycle", alliance),
            can_view_board=user.has_perm("improvement.view_board", alliance),
        )
        return context


def alliance_councils(alliance, ids):
    """The councils of the alliance the person works for (no query when none)."""
    if not ids:
        return []
    return list(councils_of_alliance(alliance=alliance).filter(pk__in=ids).order_by("name"))


class CycleOpenView(RegionalMixin, FormView):
    permission_required = "improvement.manage_cycle"
    template_name = "improvement/cycle_open.html"
    form_class = CycleOpenForm

    def dispatch(self, request, *args, **kwargs):
        self.year = cycle_year_next(request.alliance)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.year is None:
            return self.already_open()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.year is None:
            return self.already_open()
        return super().post(request, *args, **kwargs)

    def already_open(self):
        messages.info(self.request, "This year's cycle is already open.")
        return to_cycle(self.alliance)

    def get_initial(self):
        return step_defaults(self.year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["label"] = year_label(self.year)
        return context

    def form_valid(self, form):
        with refusals_on(form):
            cycle = cycle_open(
                alliance=self.alliance,
                year=self.year,
                deadlines=form.deadlines(),
                opened_by=self.request.user,
            )
        if form.errors:
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"The {cycle.label} cycle is open. Check the self-evaluation template before "
            "councils start writing.",
        )
        return to_cycle(self.alliance)


class CycleMixin(RegionalMixin, AllianceObjectMixin):
    object_model = Cycle
    object_kwarg = "improvement_cycle"
    object_name = "cycle"
    not_found = "No such improvement cycle."


class CouncilWorkMixin(CycleMixin):
    """A page of one council's own work in the cycle (its self-evaluation, its development
    plan): 404 for anyone who may not read it. The council and the alliance's planners read
    it; the councils assigned to scrutinise (or challenge) it read it once it is submitted.
    A subclass says which work (`work_of`), which scrutiny reads it (`stage`), and what it is
    called (`work_name`, `locked_text`, `to_work`)."""

    permission_required = "improvement.view_cycle"
    stage = Scrutiny.Stage.SELF_EVALUATION
    work_name = "work"
    locked_text = "It is submitted: it can no longer change."

    def work_of(self, cycle, council):
        raise NotImplementedError

    def to_work(self):
        raise NotImplementedError

    def check_object(self, request, found):
        try:
            self.council = council_of_alliance(
                alliance=request.alliance, gss_code=self.kwargs["gss"]
            )
        except LocalAuthority.DoesNotExist:
            raise Http404("Not one of this alliance's councils.") from None
        user, alliance = request.user, request.alliance
        self.work = self.work_of(found, self.council)
        scrutineers = (
            scrutineer_ids(found, self.council, stage=self.stage)
            if self.work is not None and self.work.is_locked
            else set()
        )
        if not may_read_council_work(
            user, alliance=alliance, council=self.council, scrutineers=scrutineers
        ):
            raise Http404(f"No such {self.work_name}.")
        self.scrutinising = scrutinising_councils(user, alliance=alliance, scrutineers=scrutineers)
        self.may_write = may_write_self_evaluation(user, alliance=alliance, council=self.council)
        self.may_submit = may_submit_self_evaluation(user, alliance=alliance, council=self.council)
        return None

    @property
    def locked(self) -> bool:
        return self.work is not None and self.work.is_locked

    def writer_only(self, request):
        """For the pages that change the work: its writers, while it is not submitted."""
        if not self.may_write:
            raise Http404("No such page.")
        if self.locked:
            messages.info(request, self.locked_text)
            return self.to_work()
        return None


class DeadlinesView(CycleMixin, FormView):
    permission_required = "improvement.manage_cycle"
    template_name = "improvement/deadlines.html"
    form_class = DeadlinesForm

    def get_initial(self):
        return {field: day for field, _label, day in self.cycle.deadlines()}

    def form_valid(self, form):
        with refusals_on(form):
            cycle_deadlines_change(cycle=self.cycle, deadlines=form.deadlines())
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, "The deadlines are saved.")
        return to_cycle(self.alliance)


def to_template(cycle):
    return redirect(
        "improvement:template", alliance=cycle.alliance.slug, improvement_cycle=cycle.pk
    )


class TemplateSectionsView(CycleMixin, TemplateView):
    permission_required = "improvement.manage_cycle"
    template_name = "improvement/template.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = template_of(self.cycle)
        context["fixed"] = has_submissions(self.cycle)
        return context


class TemplateChangeMixin:
    """A change to the template: refused once a council has submitted."""

    def check_object(self, request, found):
        cycle = found if isinstance(found, Cycle) else found.cycle
        if has_submissions(cycle):
            messages.info(
                request,
                "A council has submitted its self-evaluation: the template can no longer change.",
            )
            return to_template(cycle)
        return None


class SectionAddView(TemplateChangeMixin, CycleMixin, FormView):
    permission_required = "improvement.manage_cycle"
    template_name = "improvement/section_form.html"
    form_class = SectionForm

    def form_valid(self, form):
        with refusals_on(form):
            section = section_add(cycle=self.cycle, **form.cleaned_data)
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"“{section.title}” is added to the template.")
        return to_template(self.cycle)


class SectionMixin(RegionalMixin, AllianceObjectMixin):
    permission_required = "improvement.manage_cycle"
    object_model = TemplateSection
    object_kwarg = "template_section"
    object_name = "section"
    object_related = ("cycle",)
    not_found = "No such section in the template."


class SectionChangeView(TemplateChangeMixin, SectionMixin, FormView):
    template_name = "improvement/section_change.html"
    form_class = SectionChangeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["last"] = self.section.cycle.sections.count()
        return kwargs

    def get_initial(self):
        section = self.section
        return {
            "title": section.title,
            "guidance": section.guidance,
            "kind": section.kind,
            "position": section.position,
        }

    def form_valid(self, form):
        with refusals_on(form):
            section_change(section=self.section, **form.cleaned_data)
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"“{self.section.title}” is saved.")
        return to_template(self.section.cycle)


class SectionRemoveView(TemplateChangeMixin, SectionMixin, ConfirmMixin, TemplateView):
    template_name = "improvement/section_remove.html"

    def confirmed_post(self, request, *args, **kwargs):
        try:
            section_remove(section=self.section)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, f"“{self.section.title}” is taken out of the template.")
        return to_template(self.section.cycle)


class BoardView(CycleMixin, TemplateView):
    """Every council of the alliance by step of the cycle, with what is late."""

    permission_required = "improvement.view_board"
    template_name = "improvement/board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = board_rows(self.cycle)
        context.update(
            rows=rows,
            sections=self.cycle.sections.count(),
            submitted=sum(1 for row in rows if row.submitted),
            late=sum(1 for row in rows if row.late),
            can_read=self.request.user.has_perm(
                "improvement.review_self_evaluations", self.alliance
            ),
        )
        return context
