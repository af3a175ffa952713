from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from peerchallenge.grouping import GroupingError, group_sizes, suggestion_score, triads_suggest
from peerchallenge.models import OfstedGrade
from peerchallenge.permissions import prefetch_grants
from peerchallenge.selectors import councils_of_alliance
from peerchallenge.views.mixins import form_errors_from

from ..forms.cycles import ArrangeForm, CycleForm
from ..selectors import (
    cycle_council_infos,
    cycle_past_pairs,
    cycle_triads,
    cycles_of_alliance,
    summary_versions,
)
from ..services.cycles import cycle_create, cycle_update, triads_save
from .base import CycleMixin, TriadsMixin


class CycleListView(TriadsMixin, TemplateView):
    permission_required = "triads.view_cycle"
    template_name = "triads/cycle_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cycles"] = list(cycles_of_alliance(alliance=self.alliance))
        context["can_manage"] = self.request.user.has_perm("triads.manage_cycle", self.alliance)
        return context


class CycleFormMixin:
    form_class = CycleForm
    template_name = "triads/cycle_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["councils"] = councils_of_alliance(alliance=self.alliance)
        return kwargs

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        councils = list(data.pop("councils"))
        try:
            cycle = self.save(councils=councils, **data)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{cycle.name} saved.")
        return redirect("triads:cycle_detail", alliance=self.alliance.slug, cycle=cycle.pk)


class CycleCreateView(CycleFormMixin, TriadsMixin, FormView):
    permission_required = "triads.manage_cycle"

    def get_initial(self):
        return {"councils": list(councils_of_alliance(alliance=self.alliance))}

    def save(self, **fields):
        return cycle_create(alliance=self.alliance, created_by=self.request.user, **fields)


class CycleEditView(CycleFormMixin, CycleMixin, FormView):
    permission_required = "triads.manage_cycle"

    def get_initial(self):
        fields = ["name", "event_date", "venue", "online_link"]
        fields += ["kloes_due", "templates_due", "report_due"]
        initial = {name: getattr(self.cycle, name) for name in fields}
        initial["councils"] = list(self.cycle.councils.all())
        return initial

    def save(self, **fields):
        return cycle_update(cycle=self.cycle, **fields)


class CycleDetailView(CycleMixin, TemplateView):
    permission_required = "triads.view_cycle"
    template_name = "triads/cycle_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        triads = cycle_triads(cycle=self.cycle)
        prefetch_grants(self.request.user, triads)
        for triad in triads:
            triad.can_view = self.request.user.has_perm("triads.view_triad", triad)
        context["triads"] = triads
        context["councils"] = list(self.cycle.councils.select_related("region"))
        context["can_manage"] = self.request.user.has_perm("triads.manage_cycle", self.alliance)
        context["can_write_summary"] = self.request.user.has_perm(
            "triads.write_summary", self.cycle
        )
        versions = [v for v in summary_versions(cycle=self.cycle) if v.is_rendered]
        entitled = versions and self.request.user.has_perm("reports.download_report", versions[0])
        # Everyone entitled gets the latest issued version; planners every earlier one too.
        context["report_versions"] = (
            (versions if context["can_manage"] else versions[:1]) if entitled else []
        )
        return context


class TriadArrangeView(CycleMixin, FormView):
    """Suggest triads, let the programme manager move councils, check the score, save."""

    permission_required = "triads.manage_cycle"
    template_name = "triads/triad_arrange.html"
    form_class = ArrangeForm

    def setup_grouping(self):
        self.infos = cycle_council_infos(cycle=self.cycle)
        self.past_pairs = cycle_past_pairs(cycle=self.cycle)
        self.councils = list(self.cycle.councils.order_by("name"))
        grades = {info.id: info.grade for info in self.infos}
        for council in self.councils:  # shown beside each council: national reference data
            grade = grades.get(council.pk)
            council.ofsted_label = OfstedGrade(grade).label if grade else ""
        try:
            self.triad_count = len(group_sizes(len(self.infos)))
        except GroupingError as error:
            self.grouping_error = str(error)
            self.triad_count = 0
        else:
            self.grouping_error = ""

    def get(self, request, *args, **kwargs):
        self.setup_grouping()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_grouping()
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        if self.grouping_error:
            return {}
        triads = cycle_triads(cycle=self.cycle)
        placed = {m.council_id: t.number for t in triads for m in t.members.all()}
        use_saved = (
            triads
            and "suggest" not in self.request.GET
            and set(placed) == {info.id for info in self.infos}
        )
        if use_saved:
            self.source = "saved"
            return {f"council_{council}": number for council, number in placed.items()}
        self.source = "suggested"
        suggestion = triads_suggest(self.infos, past_pairs=self.past_pairs)
        return {
            f"council_{council}": number
            for number, group in enumerate(suggestion.groups, start=1)
            for council in group
        }

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(councils=self.councils, triad_count=self.triad_count)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(
            grouping_error=self.grouping_error,
            source=getattr(self, "source", "edited"),
            triad_numbers=range(1, self.triad_count + 1),
        )
        groups = self._groups_shown(form)
        if groups and all(3 <= len(group) <= 4 for group in groups):
            score, repeats = suggestion_score(
                groups, councils=self.infos, past_pairs=self.past_pairs
            )
            names = {council.pk: council.name for council in self.councils}
            context["score"] = score
            context["repeats"] = [(names[a], names[b], times) for a, b, times in repeats]
        context["groups"] = [
            [council for council in self.councils if council.pk in group] for group in groups
        ]
        return context

    def _groups_shown(self, form) -> list[list[int]]:
        if form.is_bound and form.is_valid():
            return form.groups()
        if form.is_bound:
            return []
        by_number: dict[int, list[int]] = {}
        for council in self.councils:
            number = form.initial.get(f"council_{council.pk}")
            if number:
                by_number.setdefault(number, []).append(council.pk)
        return [by_number[n] for n in sorted(by_number)]

    def form_valid(self, form):
        if "save" not in self.request.POST:
            return self.render_to_response(self.get_context_data(form=form))
        try:
            triads_save(cycle=self.cycle, groups=form.groups())
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Triads saved.")
        return redirect("triads:cycle_detail", alliance=self.alliance.slug, cycle=self.cycle.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=200)
