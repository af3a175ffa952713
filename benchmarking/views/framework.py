"""The alliance's framework for the year: the indicators its data packs show, in order,
under their themes, and its own local indicators."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView, View

from peerchallenge.views.mixins import (
    AllianceObjectMixin,
    AlliancePermissionMixin,
    ConfirmMixin,
    refusals_on,
)

from ..forms import EntryChangeForm, EntryForm, LocalIndicatorForm
from ..models import FrameworkEntry, Indicator, LocalIndicator
from ..selectors import framework_entries, framework_of, framework_year, imports_of
from ..services.framework import (
    entry_add,
    entry_change,
    entry_remove,
    framework_start,
    local_indicator_add,
)


def _to_framework(alliance):
    return redirect("benchmarking:framework", alliance=alliance.slug)


class FrameworkView(AlliancePermissionMixin, TemplateView):
    permission_required = "benchmarking.view_framework"
    template_name = "benchmarking/framework.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        framework = framework_of(self.alliance)
        entries = framework_entries(framework) if framework else []
        themes: list[tuple[str, list]] = []
        for entry in entries:
            if not themes or themes[-1][0] != entry.theme:
                themes.append((entry.theme, []))
            themes[-1][1].append(entry)
        context.update(
            framework=framework,
            year=framework_year(),
            themes=themes,
            count=len(entries),
            can_manage=self.request.user.has_perm("benchmarking.manage_framework", self.alliance),
            can_import=self.request.user.has_perm("benchmarking.import_data", self.alliance),
            imports=imports_of(self.alliance, limit=5),
        )
        return context


class FrameworkStartView(AlliancePermissionMixin, View):
    """POST: start this year's framework (a copy of the last, or DfE's indicators)."""

    permission_required = "benchmarking.manage_framework"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        framework = framework_start(
            alliance=self.alliance, year=framework_year(), created_by=request.user
        )
        messages.success(request, f"The {framework.year} framework is started.")
        return _to_framework(self.alliance)


class CurrentFrameworkMixin(AlliancePermissionMixin):
    """A change to this year's framework: there must be one (started on the framework page)."""

    permission_required = "benchmarking.manage_framework"

    def dispatch(self, request, *args, **kwargs):
        self.framework = framework_of(request.alliance, year=framework_year())
        if self.framework is None or self.framework.year != framework_year():
            messages.info(request, f"Start the {framework_year()} framework first.")
            return _to_framework(request.alliance)
        return super().dispatch(request, *args, **kwargs)


class EntryAddView(CurrentFrameworkMixin, FormView):
    template_name = "benchmarking/entry_form.html"
    form_class = EntryForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        entries = framework_entries(self.framework)
        taken = {entry.indicator_id for entry in entries}
        taken_local = {entry.local_indicator_id for entry in entries}
        self.choices = {
            f"dfe-{indicator.pk}": indicator
            for indicator in Indicator.objects.order_by("title")
            if indicator.pk not in taken
        } | {
            f"local-{indicator.pk}": indicator
            for indicator in LocalIndicator.objects.filter(alliance=self.alliance)
            if indicator.pk not in taken_local
        }
        kwargs["choices"] = [
            (key, f"{indicator.title}{' (local)' if key.startswith('local') else ''}")
            for key, indicator in self.choices.items()
        ]
        return kwargs

    def form_valid(self, form):
        chosen = self.choices[form.cleaned_data["indicator"]]
        with refusals_on(form):
            entry_add(
                framework=self.framework,
                theme=form.cleaned_data["theme"],
                **(
                    {"local_indicator": chosen}
                    if isinstance(chosen, LocalIndicator)
                    else {"indicator": chosen}
                ),
            )
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"“{chosen.title}” is added to the framework.")
        return _to_framework(self.alliance)


class EntryMixin(AllianceObjectMixin):
    permission_required = "benchmarking.manage_framework"
    object_model = FrameworkEntry
    object_kwarg = "entry"
    object_name = "entry"
    object_related = ("framework", "indicator", "local_indicator")
    not_found = "No such indicator in the framework."

    def check_object(self, request, found):
        if found.framework.year != framework_year():
            messages.info(request, "Only this year's framework can be changed.")
            return _to_framework(request.alliance)
        return None


class EntryChangeView(EntryMixin, FormView):
    template_name = "benchmarking/entry_change.html"
    form_class = EntryChangeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["last"] = self.entry.framework.entries.count()
        return kwargs

    def get_initial(self):
        return {"theme": self.entry.theme, "position": self.entry.position}

    def form_valid(self, form):
        with refusals_on(form):
            entry_change(
                entry=self.entry,
                theme=form.cleaned_data["theme"],
                position=form.cleaned_data["position"],
            )
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"“{self.entry.title}” is saved.")
        return _to_framework(self.alliance)


class EntryRemoveView(EntryMixin, ConfirmMixin, TemplateView):
    template_name = "benchmarking/entry_remove.html"

    def confirmed_post(self, request, *args, **kwargs):
        entry_remove(entry=self.entry)
        messages.success(
            request,
            f"“{self.entry.title}” is taken out of the framework. Its figures are kept.",
        )
        return _to_framework(self.alliance)


class LocalIndicatorAddView(CurrentFrameworkMixin, FormView):
    template_name = "benchmarking/local_indicator_form.html"
    form_class = LocalIndicatorForm

    def form_valid(self, form):
        with refusals_on(form):
            indicator = local_indicator_add(framework=self.framework, **form.cleaned_data)
        if form.errors:
            return self.form_invalid(form)
        messages.success(self.request, f"“{indicator.title}” is added to the framework.")
        return _to_framework(self.alliance)
