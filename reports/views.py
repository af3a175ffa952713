"""Downloading a rendered report: only for whoever the offer's rules entitle (404 for anyone
else), every download written to the access log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import View

from peerchallenge.views.documents import logged_file_response
from peerchallenge.views.mixins import AlliancePermissionMixin

from .models import ReportVersion
from .permissions import DOWNLOAD_REPORT, may_retry
from .registry import get_report
from .services import report_retry


def may_download(user, version: ReportVersion) -> bool:
    return version.is_rendered and user.has_perm(DOWNLOAD_REPORT, version)


def report_requested_message(request, version: ReportVersion, produced: str) -> None:
    """The message after someone asks for a report: `produced` ("... is being produced ...")
    when the version went to the queue, and the honest one when the broker was away and the
    version waits for it (the reaper hands it over later)."""
    version.refresh_from_db(fields=["status", "queued_at", "unqueued_at"])
    if version.is_waiting_for_the_service:
        messages.warning(
            request,
            f"Version {version.number} of the {version.title.lower()} is queued: the report "
            "service is unavailable just now, and it will be produced when the service is "
            "back. Nothing else needs doing.",
        )
    else:
        messages.success(request, produced)


def report_download_response(request, version: ReportVersion) -> FileResponse:
    """The version's PDF as an attachment, logged. Offers may serve reports from their own
    pages with this; it checks the permission itself and 404s, so a caller cannot forget."""
    if not may_download(request.user, version):
        raise Http404("No such report for you.")
    return report_file_response(request, version)


def report_file_response(request, version: ReportVersion) -> FileResponse:
    """The file and its access-log entry (in the alliance the report belongs to), for a
    caller that has decided by its own rule who may have it: a report the council shared
    with its regional alliance, whose members are not the LGA's."""
    try:
        content_type = get_report(version.report).content_type
    except LookupError:  # a report no longer registered: its file is still the person's
        content_type = "application/octet-stream"
    return logged_file_response(
        request,
        alliance=version.alliance,
        obj=version,
        file=version.file,
        filename=version.filename,
        content_type=content_type,
    )


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


class ReportRetryView(AlliancePermissionMixin, View):
    """POST /a/<alliance>/reports/<report_version>/retry/: the person who asked for a version
    that could not be produced queues it again, and goes back to the page they came from."""

    permission_required = "peerchallenge.view_alliance"
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        # Checked before the method is: another alliance's version is 404 for any method.
        self.version = ReportVersion.objects.filter(
            alliance=request.alliance, pk=kwargs["report_version"]
        ).first()
        if self.version is None:
            raise Http404("No such report.")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        version = self.version
        if version.is_failed and not may_retry(request.user, version):
            raise PermissionDenied
        if version.is_failed:
            report_retry(version=version)
            report_requested_message(
                request,
                version,
                f"Version {version.number} of the {version.title.lower()} is being produced "
                "again. Refresh the page in a minute.",
            )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("alliance_detail", kwargs={"alliance": request.alliance.slug})
        return redirect(target)
