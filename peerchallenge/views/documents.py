"""Downloading a stored file: a document version (a triad's evidence, an LGA challenge's
advance documents) or a report's PDF, the same way everywhere: an attachment that no cache
keeps, its download written to the access log."""

from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.http import FileResponse

from ..models import AccessLog, Alliance, DocumentVersion
from ..services import access_log_record
from .mixins import client_ip


def logged_file_response(
    request, *, alliance: Alliance, obj: Model, file: FieldFile, filename: str, content_type: str
) -> FileResponse:
    """`file` as an attachment, its download of `obj` logged in `alliance`. The caller has
    already checked that this person may have it."""
    access_log_record(
        alliance=alliance,
        user=request.user,
        action=AccessLog.Action.DOWNLOAD,
        obj=obj,
        ip_address=client_ip(request),
    )
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


def document_version_response(request, *, version: DocumentVersion) -> FileResponse:
    """The stored document version as an attachment, logged (see logged_file_response)."""
    return logged_file_response(
        request,
        alliance=request.alliance,
        obj=version,
        file=version.file,
        filename=version.original_name,
        content_type=version.content_type,
    )
