"""Writes for evidence documents, shared by every offer."""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from ..models import Document, DocumentVersion, LocalAuthority, User
from ..uploads import upload_check


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def document_upload(
    *, challenge, local_authority: LocalAuthority, title: str, upload, uploaded_by: User
) -> DocumentVersion:
    """Store an uploaded file as a new document of the council for the challenge, or as the
    next version of its document with the same title. The type is sniffed from the content
    and the size capped (peerchallenge.uploads); a refused file raises ValidationError and
    stores nothing."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Enter a title for the document."})
    try:
        kind = upload_check(upload, max_bytes=settings.PEERCHALLENGE_UPLOAD_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    document, _ = Document.objects.get_or_create(
        alliance_id=challenge.alliance_id,
        challenge_type=ContentType.objects.get_for_model(challenge),
        challenge_id=challenge.pk,
        local_authority=local_authority,
        title=title,
    )
    # Lock the document row so two uploads at once cannot take the same version number.
    Document.objects.select_for_update().filter(pk=document.pk).first()
    number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = DocumentVersion(
        alliance_id=document.alliance_id,
        document=document,
        number=number,
        original_name=upload.name[:255],
        kind=kind.key,
        content_type=kind.content_type,
        size=upload.size,
        sha256=_sha256(upload),
        uploaded_by=uploaded_by,
    )
    version.file.save(upload.name, upload, save=False)
    version.save()
    return version
