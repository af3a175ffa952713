"""A data lead's imports: upload a DfE file, read the check, confirm (or not), and the
history of what was loaded."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView, View

from peerchallenge.models import LocalAuthority
from peerchallenge.views.mixins import AllianceObjectMixin, AlliancePermissionMixin, refusals_on

from ..dfe_files import ENGLAND
from ..forms import ImportForm
from ..models import DataImport, Indicator
from ..selectors import imports_of
from ..services.imports import import_cancel, import_confirm, import_start


class ImportListView(AlliancePermissionMixin, FormView):
    """The history of the alliance's imports, and the form to upload the next file."""

    permission_required = "benchmarking.view_framework"
    template_name = "benchmarking/imports.html"
    form_class = ImportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["imports"] = imports_of(self.alliance)
        context["can_import"] = self.request.user.has_perm(
            "benchmarking.import_data", self.alliance
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("benchmarking.import_data", self.alliance):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        with refusals_on(form):
            data_import = import_start(
                alliance=self.alliance,
                upload=form.cleaned_data["file"],
                uploaded_by=self.request.user,
                model=form.cleaned_data["model"],
                meta=form.cleaned_data.get("meta"),
            )
        if form.errors:
            return self.form_invalid(form)
        return redirect(
            "benchmarking:import_detail", alliance=self.alliance.slug, data_import=data_import.pk
        )


class ImportMixin(AllianceObjectMixin):
    permission_required = "benchmarking.view_framework"
    object_model = DataImport
    object_kwarg = "data_import"
    object_name = "data_import"
    object_related = ("uploaded_by", "confirmed_by")
    not_found = "No such import."


class ImportDetailView(ImportMixin, TemplateView):
    template_name = "benchmarking/import_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.data_import.report
        titles = dict(Indicator.objects.values_list("code", "title"))
        areas = {code: code for code in {r["area"] for r in report.get("revisions", [])}}
        areas.update(
            LocalAuthority.objects.filter(dfe_code__in=list(areas)).values_list("dfe_code", "name")
        )
        areas[ENGLAND] = "England"
        context.update(
            report=report,
            indicator_titles=[titles.get(code, code) for code in report.get("indicators", [])],
            revisions=[
                {
                    **revision,
                    "title": titles.get(revision["indicator"], revision["indicator"]),
                    "area": areas.get(revision["area"], revision["area"]),
                }
                for revision in report.get("revisions", [])
            ],
            can_confirm=self.data_import.state == DataImport.State.CHECKED
            and self.request.user.has_perm("benchmarking.import_data", self.alliance),
        )
        return context


class ImportConfirmView(ImportMixin, View):
    """POST: load a checked import (once, however often it is pressed)."""

    permission_required = "benchmarking.import_data"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if import_confirm(data_import=self.data_import, confirmed_by=request.user):
            messages.success(request, f"“{self.data_import.file_name}” is being loaded.")
        return redirect(
            "benchmarking:import_detail",
            alliance=self.alliance.slug,
            data_import=self.data_import.pk,
        )


class ImportCancelView(ImportMixin, View):
    """POST: leave a checked import unloaded."""

    permission_required = "benchmarking.import_data"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if import_cancel(data_import=self.data_import):
            messages.success(
                request, f"“{self.data_import.file_name}” was not loaded. Nothing changed."
            )
        return redirect("benchmarking:imports", alliance=self.alliance.slug)
