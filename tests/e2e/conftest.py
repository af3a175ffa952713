"""Browser journeys: one Chromium (the system's) and one live server per test session.

These tests fail — never skip — when Chromium or the front-end build is missing: CI must
not pass without them.
"""

import json
import os
import re
import time
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
APP_CSS = ROOT / "static" / "dist" / "app.css"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    for needed, why in [
        (Path(CHROMIUM), "apt-get install chromium"),
        (AXE, "npm ci"),
        (APP_CSS, "npm run build"),
    ]:
        if not needed.exists():
            pytest.fail(f"{needed} is missing: run `{why}` (scripts/test does it for you)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-quic",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, settings, transactional_db):
    """The live server, with emailed links pointing at it, and the reference data (which a
    transactional test's flush removes) loaded again by the data migration's own loader."""
    from importlib import import_module

    from django.apps import apps

    import_module("peerchallenge.migrations.0002_reference_data").load(apps, None)
    settings.SITE_URL = live_server.url
    return live_server


@pytest.fixture
def new_page(browser, site):
    """Open a fresh browser (own cookies) per person in the journey."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=site.url)
        # axe arrives as an init script (through DevTools), so the page's strict CSP, which
        # refuses injected <script> tags, stays on and is tested too.
        context.add_init_script(path=str(AXE))
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.csp_errors = []
        page.on(
            "console",
            lambda msg: (
                page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()


def assert_accessible(page) -> None:
    """axe-core on the current page: no WCAG 2.2 A/AA violations, no CSP errors."""
    page.wait_for_load_state("load")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
    assert violations == [], f"{page.url}\n{json.dumps(violations, indent=2)}"
    assert page.csp_errors == [], page.csp_errors


def date_group(page, label: str):
    """The fieldset of a GOV.UK date (or our time) input, found by its legend: the exact
    legend, else the one that starts with `label` ("... (optional)")."""
    exact = page.get_by_role("group", name=label, exact=True)
    if exact.count():
        return exact
    return page.get_by_role("group", name=re.compile("^" + re.escape(label))).last


def fill_date(page, label: str, day) -> None:
    """Type `day` (a date) into the Day, Month and Year boxes of the date input `label`;
    None empties them."""
    group = date_group(page, label)
    typed = (day.day, day.month, day.year) if day else ("", "", "")
    for part, value in zip(PARTS, typed, strict=True):
        group.get_by_label(part, exact=True).fill(str(value))


def date_in(page, label: str) -> tuple[str, str, str]:
    """What the Day, Month and Year boxes of the date input `label` hold."""
    group = date_group(page, label)
    return tuple(group.get_by_label(part, exact=True).input_value() for part in PARTS)


PARTS = ("Day", "Month", "Year")


def fill_time(page, label: str, time: str) -> None:
    """Type `time` ("14:30") into the Hour and Minute boxes of the time input `label`."""
    hour, minute = time.split(":")
    group = date_group(page, label)
    group.get_by_label("Hour", exact=True).fill(hour)
    group.get_by_label("Minute", exact=True).fill(minute)


def sign_in(page, user):
    """Sign in through the real form: password, then the authenticator code."""
    import pyotp

    from tests.factories import PASSWORD

    page.goto("/")
    assert_accessible(page)  # the sign-in page
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Authenticator code").wait_for()
    assert_accessible(page)
    totp = pyotp.TOTP(user.totp_secret)
    page.get_by_label("Authenticator code").fill(totp.now())
    page.get_by_role("button", name=re.compile("Sign in|Continue|Confirm")).click()
    home = page.get_by_role("heading", name="Your alliances")
    refused = page.locator(".govuk-error-summary")
    home.or_(refused).first.wait_for()
    if not home.is_visible():
        # A code is accepted once: the same person signing in again within its 30 seconds
        # (or a code typed as its window closed) is refused. Wait for the next code.
        time.sleep(totp.interval - time.time() % totp.interval + 0.5)
        page.get_by_label("Authenticator code").fill(totp.now())
        page.get_by_role("button", name=re.compile("Sign in|Continue|Confirm")).click()
        home.wait_for()
