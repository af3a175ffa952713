"""Error reporting to Sentry (or a service that speaks its protocol), off unless SENTRY_DSN
is set. Production settings call `init_error_reporting`; docs/operations.md lists the variables.

What is sent is the exception, its stack trace (code, not variables), the URL and the method:
requests here carry children's services evidence and people's names, so bodies, cookies,
headers, query strings, users and local variables stay behind.
"""

from collections.abc import Mapping

import sentry_sdk
from django.core.exceptions import ImproperlyConfigured
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

# sentry-sdk 3 replaced `send_default_pii` with this option, and collects most of it unless
# told not to: every category that could hold personal data is switched off.
DATA_COLLECTION = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_headers": {"request": {"mode": "off"}},
    "http_bodies": [],
    "url_query_params": {"mode": "off"},
    "database_query_data": False,
    "queues": False,
    "stack_frame_variables": False,
}

# Kept out of the request even if an integration collected them despite DATA_COLLECTION.
SCRUBBED_REQUEST_KEYS = ("data", "cookies", "headers", "query_string", "env")


def error_event_scrub(event: dict, hint: dict) -> dict:
    """`before_send`: drop the request's body, cookies, headers and query string, and the user."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in SCRUBBED_REQUEST_KEYS:
            request.pop(key, None)
    event.pop("user", None)
    return event


def _traces_sample_rate(environ: Mapping[str, str]) -> float:
    value = environ.get("SENTRY_TRACES_SAMPLE_RATE", "").strip() or "0"
    try:
        rate = float(value)
    except ValueError:
        rate = -1.0
    # A typo stops the start-up rather than being read as some other rate.
    if not 0 <= rate <= 1:
        raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1.")
    return rate


def init_error_reporting(environ: Mapping[str, str]) -> bool:
    """Start the Sentry SDK (Django and Celery) if `environ` has a SENTRY_DSN; say whether it
    did. Reads SENTRY_ENVIRONMENT, SENTRY_RELEASE and SENTRY_TRACES_SAMPLE_RATE (default 0)."""
    dsn = environ.get("SENTRY_DSN", "").strip()
    if not dsn:
        return False
    options = {}
    for option, variable in (("environment", "SENTRY_ENVIRONMENT"), ("release", "SENTRY_RELEASE")):
        if environ.get(variable, "").strip():
            options[option] = environ[variable].strip()
    sentry_sdk.init(
        dsn=dsn,
        # Cache keys can hold IP addresses (allauth's rate limits): no cache spans, and none of
        # the integrations the SDK would otherwise enable by itself (Redis's records keys).
        integrations=[DjangoIntegration(cache_spans=False), CeleryIntegration()],
        auto_enabling_integrations=False,
        data_collection=DATA_COLLECTION,
        before_send=error_event_scrub,
        traces_sample_rate=_traces_sample_rate(environ),
        **options,
    )
    return True
