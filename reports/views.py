"""Downloading a rendered report: only for whoever the offer's rules entitle (404 for anyone
else), every download written to the access log."""

from django.http import FileResponse, Http404
from django.views.generic import View

from peerchallenge.models import AccessLog
from peerchallenge.services import access_log_record
from peerchallenge.views.mixins import AlliancePermissionMixin, client_ip

from .models import ReportVersion
from .permissions import DOWNLOAD_REPORT


def may_download(user, version: ReportVersion) -> bool:
    return version.is_rendered and user.has_perm(DOWNLOAD_REPORT, version)


def report_download_response(request, version: ReportVersion) -> FileResponse:
    """The version's PDF as an attachment, logged. Offers may serve reports from their own
    pages with this; it checks the permission itself and 404s, so a caller cannot forget."""
    if not may_download(request.user, version):
        raise Http404("No such report for you.")
    return report_file_response(request, version)


def report_file_response(request, version: ReportVersion) -> FileResponse:
    """The PDF and its access-log entry (in the alliance the report belongs to), for a
    caller that has decided by its own rule who may have it: a report the council shared
    with its regional alliance, whose members are not the LGA's."""
    access_log_record(
        alliance=version.alliance,
        user=request.user,
        action=AccessLog.Action.DOWNLOAD,
        obj=version,
        ip_address=client_ip(request),
    )
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.filename,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


class ReportDownloadView(AlliancePermissionMixin, View):
    """/a/<alliance>/reports/<report_version>/download/ for any registered report."""

    permission_required = "peerchallenge.view_alliance"

    def dispatch(self, request, *args, **kwargs):
        # Checked before the method is: a version that is not yours is 404 for any method.
        self.version = (
            ReportVersion.objects.filter(alliance=request.alliance, pk=kwargs["report_version"])
            .select_related("alliance")
            .first()
        )
        if self.version is None or not may_download(request.user, self.version):
            raise Http404("No such report for you.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return report_download_response(request, self.version)
