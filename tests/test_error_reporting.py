"""Error reporting (config/error_reporting.py): off without SENTRY_DSN, and nothing personal
sent when it is on."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sentry_sdk
from django.core.exceptions import ImproperlyConfigured
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from config.error_reporting import DATA_COLLECTION, error_event_scrub, init_error_reporting

DSN = "https://public@sentry.example.org/1"


@pytest.fixture
def sentry_init_calls(monkeypatch):
    """The keyword arguments of each sentry_sdk.init call, which is not made for real."""
    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **kwargs: calls.append(kwargs))
    return calls


@pytest.mark.parametrize("environ", [{}, {"SENTRY_DSN": ""}, {"SENTRY_DSN": "  "}])
def test_error_reporting_is_off_without_a_dsn(sentry_init_calls, environ):
    assert init_error_reporting(environ) is False
    assert sentry_init_calls == []


def test_error_reporting_with_a_dsn_sends_nothing_personal(sentry_init_calls):
    assert init_error_reporting({"SENTRY_DSN": DSN}) is True

    [kwargs] = sentry_init_calls
    integrations = kwargs.pop("integrations")
    assert [type(integration) for integration in integrations] == [
        DjangoIntegration,
        CeleryIntegration,
    ]
    assert integrations[0].cache_spans is False
    assert kwargs == {
        "dsn": DSN,
        "auto_enabling_integrations": False,
        "data_collection": DATA_COLLECTION,
        "before_send": error_event_scrub,
        "traces_sample_rate": 0.0,
    }


def test_error_reporting_takes_environment_release_and_sample_rate(sentry_init_calls):
    environ = {
        "SENTRY_DSN": DSN,
        "SENTRY_ENVIRONMENT": "staging",
        "SENTRY_RELEASE": "peerchallenge@2026.12.1",
        "SENTRY_TRACES_SAMPLE_RATE": "0.05",
    }
    assert init_error_reporting(environ) is True

    [kwargs] = sentry_init_calls
    assert (kwargs["environment"], kwargs["release"], kwargs["traces_sample_rate"]) == (
        "staging",
        "peerchallenge@2026.12.1",
        0.05,
    )


@pytest.mark.parametrize("rate", ["1.5", "-0.1", "ten per cent", "nan"])
def test_a_sample_rate_that_is_not_from_0_to_1_is_refused(sentry_init_calls, rate):
    with pytest.raises(ImproperlyConfigured) as error:
        init_error_reporting({"SENTRY_DSN": DSN, "SENTRY_TRACES_SAMPLE_RATE": rate})
    assert str(error.value) == "SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1."
    assert sentry_init_calls == []


def test_before_send_drops_request_contents_and_the_user():
    event = {
        "exception": {"values": [{"type": "ValueError", "value": "boom"}]},
        "request": {
            "url": "https://peer.example.org/a/east-midlands/",
            "method": "POST",
            "data": {"name": "Jane Smith"},
            "cookies": {"sessionid": "abc"},
            "headers": {"Cookie": "sessionid=abc", "User-Agent": "Firefox"},
            "query_string": "q=Jane",
            "env": {"REMOTE_ADDR": "192.0.2.1"},
        },
        "user": {"id": 7, "email": "jane@example.org"},
    }

    assert error_event_scrub(event, {}) == {
        "exception": {"values": [{"type": "ValueError", "value": "boom"}]},
        "request": {"url": "https://peer.example.org/a/east-midlands/", "method": "POST"},
    }


def test_before_send_leaves_an_event_without_a_request_alone():
    event = {"message": "beat started"}
    assert error_event_scrub(event, {}) == {"message": "beat started"}


# Run in a child process: the SDK's Django integration patches Django for the life of the
# process, which must not touch the rest of the suite. A request that carries a body, a query
# string, a cookie, a token and an address goes through Django's WSGI handler (as gunicorn's
# would) to a view that fails; the SDK sends to a transport that keeps the events.
REAL_SDK = """
import io, json, sys
from django.conf import settings
from django.urls import path
import sentry_sdk
from sentry_sdk.transport import Transport

def boom(request):
    raise ValueError("boom")

urlpatterns = [path("boom/", boom)]
settings.configure(
    DEBUG=False, ALLOWED_HOSTS=["testserver"], ROOT_URLCONF=__name__, SECRET_KEY="x" * 50,
    INSTALLED_APPS=[], MIDDLEWARE=[],
)

events = []

class Keep(Transport):
    def capture_envelope(self, envelope):
        events.extend(item.payload.json for item in envelope.items if item.type == "event")

real_init = sentry_sdk.init
sentry_sdk.init = lambda **kwargs: real_init(transport=Keep, **kwargs)

from config.error_reporting import init_error_reporting
from django.core.wsgi import get_wsgi_application

assert init_error_reporting({"SENTRY_DSN": sys.argv[1]})
body = b"name=Jane+Smith"
environ = {
    "REQUEST_METHOD": "POST", "PATH_INFO": "/boom/", "QUERY_STRING": "q=Jane+Smith",
    "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "testserver",
    "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
    "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
    "HTTP_COOKIE": "sessionid=secret-session", "HTTP_AUTHORIZATION": "Bearer secret-token",
    "HTTP_X_FORWARDED_FOR": "192.0.2.1", "REMOTE_ADDR": "192.0.2.1",
}
status = []
b"".join(get_wsgi_application()(environ, lambda line, headers: status.append(line)))
assert status == ["500 Internal Server Error"], status
sentry_sdk.flush()
print(json.dumps(events))
"""


def test_the_real_sdk_sends_the_error_without_the_requests_contents():
    environ = {key: value for key, value in os.environ.items() if not key.startswith("SENTRY_")}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", REAL_SDK, DSN],
        cwd=Path(__file__).resolve().parent.parent,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    [event] = json.loads(result.stdout)
    assert [value["type"] for value in event["exception"]["values"]] == ["ValueError"]
    assert event["request"] == {"url": "http://testserver/boom/", "method": "POST"}
    assert "user" not in event
    sent = json.dumps(event)
    for secret in ("Jane", "secret-session", "secret-token", "192.0.2.1"):
        assert secret not in sent
