"""The URL fetcher of every rendering: our own print assets and data: URIs, nothing else."""

import io
import logging

import pytest
from django_scopes import scope
from pypdf import PdfReader

from reports.pdf import ASSETS_DIR, RestrictiveURLFetcher, URLRefused
from reports.services import report_request


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/x.png",
        "http://127.0.0.1:6379/",
        "file:///etc/passwd",
        (ASSETS_DIR / "missing.css").as_uri(),
        ASSETS_DIR.as_uri() + "/../../models.py",
        ASSETS_DIR.as_uri() + "/%2e%2e/%2e%2e/models.py",
        "file://attacker.example.org" + (ASSETS_DIR / "print.css").as_uri()[7:],
        "ftp://example.org/x.png",
    ],
)
def test_fetcher_refuses_everything_but_our_assets(url):
    with pytest.raises(URLRefused, match="Reports may only load their own assets"):
        RestrictiveURLFetcher()(url)


def test_fetcher_serves_the_print_stylesheet():
    response = RestrictiveURLFetcher()((ASSETS_DIR / "print.css").as_uri())
    assert response.content_type == "text/css"
    assert response.read() == (ASSETS_DIR / "print.css").read_bytes()


def test_fetcher_serves_data_uris():
    response = RestrictiveURLFetcher()("data:text/plain;base64,aGVsbG8=")
    assert (response.content_type, response.read()) == ("text/plain", b"hello")


def test_report_with_a_remote_image_renders_without_it(
    world, django_capture_on_commit_callbacks, caplog
):
    """Our choice: a refused resource is dropped and logged; the report still renders."""
    with (
        scope(alliance=world.em),
        caplog.at_level(logging.WARNING, logger="weasyprint"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        version = report_request(
            identifier="tests.external_image", subject=world.em, requested_by=world.pm
        )
    version.refresh_from_db()
    # The cover page, then the template's content.
    assert (version.status, version.error, version.pages) == ("rendered", "", 2)
    refusals = [r.getMessage() for r in caplog.records if "example.org" in r.getMessage()]
    # Laid out twice: with a contents list, then without it, as it is short (reports.pdf).
    assert len(refusals) == 2
    assert (
        "URLRefused: Reports may only load their own assets, not https://example.org/x.png"
        in refusals[0]
    )
    with version.file.open("rb") as file:
        text = PdfReader(io.BytesIO(file.read())).pages[1].extract_text()
    assert "The logo below is on another server." in text
