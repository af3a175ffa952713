"""How long a signed-in person's session has left, and keeping it going.

A session lasts `SESSION_COOKIE_AGE` (8 hours) from signing in. The time is fixed when the
person signs in (`session_clock_start`, on Django's `user_logged_in` signal) as an explicit
expiry date, so the server knows when it ends without writing on every request, and the
page can warn the person before it does (WCAG 2.2.1 Timing adjustable): the warning's
"Stay signed in" button posts to `session_extend`, which starts the full time again.

A session signed into before this was in place has no such date: its end is not known, so
no warning is shown for it (it ends as it always did).
"""

import datetime

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import salted_hmac

# The warning comes this long before the end: long enough to finish a sentence and press
# the button, well over WCAG's 20 seconds.
WARNING_SECONDS = 5 * 60


def session_clock_start(session) -> None:
    """Give the session its full time from now, as a fixed end date."""
    session.set_expiry(timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE))


def session_expires_in(session) -> int | None:
    """Whole seconds until the session ends (0 when it has), or None when its end is not
    fixed. Reads the session's own data: no query beyond loading the session."""
    if session.get("_session_expiry") is None:
        return None
    return max(0, int(session.get_expiry_age()))


def draft_owner_key(user) -> str:
    """A stable, non-identifying label for the person, under which the browser keeps their
    unsaved text (static/js/drafts.mjs): another person signing in on the same browser finds
    none of it."""
    return salted_hmac("peerchallenge.drafts", str(user.pk)).hexdigest()[:16]


@receiver(user_logged_in, dispatch_uid="peerchallenge.session_clock_start")
def _start_on_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_clock_start(request.session)
