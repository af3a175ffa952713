"""Asking for a council's data pack as a PDF (the worker makes it; the pack page offers the
download when it is ready)."""

from django.shortcuts import redirect
from django.views.generic import View

from peerchallenge.views.councils import CouncilMixin
from reports.views import report_requested_message

from ..services.pack_pdf import pack_pdf_request


class DataPackPdfView(CouncilMixin, View):
    """POST: queue a PDF of the pack for this person; back to the pack."""

    permission_required = "benchmarking.view_data_pack"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        version = pack_pdf_request(
            alliance=self.alliance, council=self.council, requested_by=request.user
        )
        report_requested_message(
            request,
            version,
            f"A PDF of {self.council.name}'s data pack is being prepared. Refresh this page in "
            "a minute to download it.",
        )
        return redirect(
            "benchmarking:data_pack", alliance=self.alliance.slug, gss=self.council.gss_code
        )
