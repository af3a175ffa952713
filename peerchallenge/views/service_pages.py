"""The service's own pages: the accessibility statement, cookies, the privacy notice and how
to get help, linked from every page's footer. Anyone may read them: before signing in, and
while still setting up two-factor authentication (peerchallenge/middleware.py)."""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

# Who runs the service and how to reach them. Placeholders: an installation puts its own
# organisation and addresses here.
SERVICE = {
    "operator": "the Peer Challenge service team",
    "feedback_email": "peer-challenge@example.org",
    "privacy_email": "privacy@peer-challenge.example.org",
    "reply_days": 5,
}

# When the accessibility statement was written and the service last tested (say so again
# whenever it changes; docs/frontend.md).
STATEMENT_PREPARED = datetime.date(2026, 12, 7)
LAST_TESTED = datetime.date(2026, 12, 7)


def lasting(seconds: int) -> str:
    """A cookie's lifetime in words: "8 hours", "1 year"."""
    hours = seconds // 3600
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = seconds // 86400
    if days >= 364:  # Django's CSRF cookie: 52 weeks
        return "1 year"
    return f"{days} days"


@method_decorator(login_not_required, name="dispatch")
class ServicePageView(TemplateView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, service=SERVICE)


class AccessibilityStatementView(ServicePageView):
    template_name = "service/accessibility.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            site=self.request.get_host(),
            prepared=STATEMENT_PREPARED,
            tested=LAST_TESTED,
        )


class CookiesView(ServicePageView):
    template_name = "service/cookies.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            session_lasts=lasting(settings.SESSION_COOKIE_AGE),
            csrf_lasts=lasting(settings.CSRF_COOKIE_AGE),
            session_cookie=settings.SESSION_COOKIE_NAME,
            csrf_cookie=settings.CSRF_COOKIE_NAME,
        )


class PrivacyNoticeView(ServicePageView):
    template_name = "service/privacy.html"


class ContactView(ServicePageView):
    template_name = "service/contact.html"
