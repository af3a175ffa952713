"""Evidence documents a council uploads for a challenge, with every version kept.

Files live in the default storage, whose folder no URL serves (settings: STORAGES, base_url
None); a permission-checked view streams them and writes the access log."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .core import LocalAuthority
from .tenancy import AllianceOwned


def _version_path(version: "DocumentVersion", filename: str) -> str:
    # A random name: the original name is kept in the database, never trusted as a path.
    return f"documents/{version.alliance_id}/{uuid.uuid4().hex}"


class Document(AllianceOwned):
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+", verbose_name="council"
    )
    challenge_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    challenge_id = models.PositiveBigIntegerField()
    challenge = GenericForeignKey("challenge_type", "challenge_id")
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["local_authority__name", "title", "pk"]
        indexes = [models.Index(fields=["challenge_type", "challenge_id", "local_authority"])]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge_type", "challenge_id", "local_authority", "title"],
                name="document_unique_title",
            )
        ]

    def __str__(self):
        return self.title


class DocumentVersion(AllianceOwned):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=_version_path, max_length=200)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=20)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_once")
        ]

    def __str__(self):
        return f"{self.document} (version {self.number})"
