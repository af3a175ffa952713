"""One-time form tokens: the record that a form was sent, so that sending it again (a
double click, a resubmitted page, the back button) does not do the work twice."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class FormSubmission(models.Model):
    """A form token used by one POST. Claimed (created) before the view runs; the unique
    token makes a second claim fail. When the view answered with a redirect, the address
    it sent the person to is kept, and a replay is sent there; any other answer (the form
    shown again with errors, an error page) deletes the row, since nothing was done.

    Not tenant-owned: it belongs to a person's browser session, like the session itself,
    and is read only by its token. Rows older than PEERCHALLENGE_FORM_TOKEN_DAYS are
    purged daily (task `peerchallenge.form_tokens.purge`)."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    path = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Where the first submission's answer sent the person; empty while it is being done.
    result_url = models.CharField(max_length=2000, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Form sent to {self.path}"
