"""National reference data, outside any alliance: the Ofsted judgements and their import.

Only the service's staff see these pages (`permissions.may_maintain_reference_data`);
everyone else gets 404, as for any page that is not theirs. Alliances read the judgements on
their council pages and never edit them.
"""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from ..csvimport import CsvError
from ..forms import OfstedImportForm
from ..models import OfstedImport
from ..permissions import may_maintain_reference_data
from ..services import ofsted_import_csv


class StaffOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_maintain_reference_data(request.user):
            raise Http404("Not a page of yours.")
        return super().dispatch(request, *args, **kwargs)


class OfstedReferenceView(StaffOnlyMixin, TemplateView):
    """The loads so far: which publication, when, by whom, how many judgements."""

    template_name = "peerchallenge/reference_ofsted.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["imports"] = list(
            OfstedImport.objects.select_related("imported_by").annotate(
                judgement_count=Count("judgements")
            )[:50]
        )
        return context


class OfstedImportView(StaffOnlyMixin, FormView):
    template_name = "peerchallenge/ofsted_import.html"
    form_class = OfstedImportForm

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            result = ofsted_import_csv(
                upload=upload,
                source=form.cleaned_data["source"],
                imported_by=self.request.user,
                file_name=upload.name or "",
            )
        except CsvError as error:
            form.add_error("file", "Nothing was imported. Correct the file and import it again.")
            for message in error.messages:
                form.add_error("file", message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Imported {len(result.added)} new Ofsted judgement"
            f"{'s' if len(result.added) != 1 else ''}"
            + (f"; {result.unchanged} were already on record." if result.unchanged else "."),
        )
        return redirect("reference_ofsted")
