"""One-time form tokens: every state-changing POST is idempotent against a double click or
a resubmitted form.

Every `{% csrf_token %}` (ours, crispy-forms', allauth's) also renders a hidden
`form_token` field with a fresh random token (`templatetags/form_token.py`, a template
builtin). `FormTokenMiddleware` claims the token before the view runs: the first POST with
it creates a `FormSubmission` row, whose unique token makes any later claim fail. Then:

- the view redirected (it did the work): the row keeps where it sent the person, and a
  replay of the token is redirected there too, with "This form was already sent", and the
  view does not run again;
- any other answer (the form shown again with its errors, an error page): the row is
  deleted, since nothing was done, and the same page may be sent again;
- a replay that arrives while the first is still being done waits a moment for its
  result, then answers 409 "This form was already sent".

A POST without a token (an API client, a test) is handled as before: the token adds a
guarantee, it grants nothing. GET forms have no CSRF token, hence no form token.
"""

import datetime
import re
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import FormSubmission

FIELD_NAME = "form_token"
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def form_token_new() -> str:
    return secrets.token_urlsafe(24)


def form_token_of(request) -> str | None:
    """The well-formed token a POST carries, or None."""
    token = request.POST.get(FIELD_NAME, "")
    return token if _TOKEN_RE.match(token) else None


@dataclass(frozen=True)
class Replay:
    """What the first submission with this token became: where it sent the person
    (`result_url`), or nothing yet / not theirs (empty)."""

    result_url: str


def form_token_claim(*, token: str, user, path: str) -> FormSubmission | Replay:
    """Record that `token` is being used: the new row, or, when it was used before, what
    the first use became. Committed at once (outside any request transaction) so that a
    second request sees it while the first is still working."""
    user_id = user.pk if user is not None and user.is_authenticated else None
    wait_until = time.monotonic() + settings.PEERCHALLENGE_FORM_TOKEN_WAIT_SECONDS
    while True:
        try:
            with transaction.atomic():
                return FormSubmission.objects.create(token=token, user_id=user_id, path=path)
        except IntegrityError:
            pass
        first = FormSubmission.objects.filter(token=token).first()
        if first is None:
            continue  # the first use was undone (its form had errors) meanwhile: claim it
        if first.user_id is not None and first.user_id != user_id:
            return Replay(result_url="")  # someone else's token: say no more than "sent"
        if first.result_url or time.monotonic() >= wait_until:
            return Replay(result_url=first.result_url)
        time.sleep(0.2)


def form_token_finish(*, submission: FormSubmission, response) -> None:
    """After the view: keep the claim with its result if the view redirected (the work
    was done), else release the token (nothing was done; the page may be sent again)."""
    if 300 <= response.status_code < 400 and response.has_header("Location"):
        FormSubmission.objects.filter(pk=submission.pk).update(
            result_url=response["Location"][:2000], completed_at=timezone.now()
        )
    else:
        FormSubmission.objects.filter(pk=submission.pk).delete()


def form_tokens_purge() -> int:
    """Delete the tokens older than PEERCHALLENGE_FORM_TOKEN_DAYS; return how many."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.PEERCHALLENGE_FORM_TOKEN_DAYS)
    deleted, _ = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
