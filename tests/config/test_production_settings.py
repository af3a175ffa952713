"""Production settings refuse to start without what production needs: importing them in a
fresh interpreter with one variable missing names it."""

import base64
import os
import subprocess
import sys

import pytest
from django.conf import settings

ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "a-production-secret-key-for-the-settings-test-only-0123456789",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "ALLOWED_HOSTS": "peer.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "PEERCHALLENGE_TOTP_KEY": base64.urlsafe_b64encode(b"k" * 32).decode(),
}


def load(env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ENV and k != "PEERCHALLENGE_DEMO"}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**base, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_load_with_everything_set():
    result = load(ENV)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("REDIS_URL", "Set REDIS_URL"),
        ("DATABASE_URL", "Set DATABASE_URL"),
        ("SECRET_KEY", "Set SECRET_KEY"),
    ],
)
def test_production_settings_refuse_to_start_without(missing, message):
    result = load({k: v for k, v in ENV.items() if k != missing})
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr
