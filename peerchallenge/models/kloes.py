"""Key lines of enquiry: the questions a council asks its peers to examine.

A KLOE belongs to one council and to the challenge it was written for (a triad cycle, a
thematic event, an on-demand review, an LGA challenge): a generic relation, so every offer
shares this model. Who may read it is the offer's rule (registered object rules)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .core import LocalAuthority
from .tenancy import AllianceOwned


class KeyLineOfEnquiry(AllianceOwned):
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+", verbose_name="council"
    )
    challenge_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    challenge_id = models.PositiveBigIntegerField()
    challenge = GenericForeignKey("challenge_type", "challenge_id")
    title = models.CharField(max_length=200)
    question = models.TextField("the line of enquiry")
    why_it_matters = models.TextField("why it matters", blank=True)
    evidence = models.TextField("evidence the council will bring", blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["local_authority__name", "created_at", "pk"]
        verbose_name = "key line of enquiry"
        verbose_name_plural = "key lines of enquiry"
        indexes = [models.Index(fields=["challenge_type", "challenge_id", "local_authority"])]
        permissions = [
            ("share_keylineofenquiry", "Can share a key line of enquiry"),
            ("comment_keylineofenquiry", "Can comment on a key line of enquiry"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None


class KloeComment(AllianceOwned):
    kloe = models.ForeignKey(KeyLineOfEnquiry, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment by {self.author} on {self.kloe}"
