"""The demo's settings (config/settings/dev.py), read as `scripts/demo` would with the
environment given: the address in emails follows `PORT`, as `runserver` reads it."""

import runpy
import sys

import pytest

import config.settings


def dev_settings(monkeypatch, **environ) -> dict:
    for name in ("PORT", "SITE_URL", "EMAIL_HOST", "ALLOWED_HOSTS", "PEERCHALLENGE_VAR_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    # base.py reads the environment too: import it afresh, and put the suite's back after.
    monkeypatch.setattr(config.settings, "base", config.settings.base)
    monkeypatch.delitem(sys.modules, "config.settings.base")
    return runpy.run_module("config.settings.dev")


@pytest.mark.parametrize(
    ("port", "site_url", "allowed_hosts"),
    [
        (None, "http://127.0.0.1:8000", ["127.0.0.1", "localhost"]),
        ("8123", "http://127.0.0.1:8123", ["127.0.0.1", "localhost"]),
        ("192.0.2.7:8124", "http://192.0.2.7:8124", ["127.0.0.1", "localhost", "192.0.2.7"]),
        # Listening everywhere: links (and the banner) still need an address a browser opens.
        ("0.0.0.0:8125", "http://127.0.0.1:8125", ["127.0.0.1", "localhost"]),
    ],
)
def test_demo_site_url_follows_port(monkeypatch, tmp_path, port, site_url, allowed_hosts):
    environ = {"PEERCHALLENGE_VAR_DIR": str(tmp_path), **({"PORT": port} if port else {})}
    demo = dev_settings(monkeypatch, **environ)
    assert demo["SITE_URL"] == site_url
    assert demo["ALLOWED_HOSTS"] == allowed_hosts


def test_demo_site_url_set_explicitly_wins_over_port(monkeypatch, tmp_path):
    demo = dev_settings(
        monkeypatch,
        PEERCHALLENGE_VAR_DIR=str(tmp_path),
        PORT="8123",
        SITE_URL="https://demo.example.org/",
    )
    assert demo["SITE_URL"] == "https://demo.example.org"


def test_demo_emails_go_to_files_in_var_unless_smtp_is_set(monkeypatch, tmp_path):
    demo = dev_settings(monkeypatch, PEERCHALLENGE_VAR_DIR=str(tmp_path))
    assert demo["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert demo["EMAIL_FILE_PATH"] == tmp_path / "emails"
    smtp = dev_settings(monkeypatch, PEERCHALLENGE_VAR_DIR=str(tmp_path), EMAIL_HOST="smtp")
    assert smtp["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
