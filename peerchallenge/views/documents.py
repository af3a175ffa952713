"""Downloading a stored document version, the same in every offer that keeps documents (a
triad's evidence, an LGA challenge's advance documents)."""

from django.http import FileResponse

from ..models import AccessLog, DocumentVersion
from ..services import access_log_record
from .mixins import client_ip


def document_version_response(request, *, version: DocumentVersion) -> FileResponse:
    """The stored file as an attachment, its download written to the access log. The caller
    has already checked that this person may have this version."""
    access_log_record(
        alliance=request.alliance,
        user=request.user,
        action=AccessLog.Action.DOWNLOAD,
        obj=version,
        ip_address=client_ip(request),
    )
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
