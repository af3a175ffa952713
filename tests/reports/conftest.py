"""Test-only reports about an alliance, registered the way an offer registers its own (an
offer does it from AppConfig.ready()), with their templates in tests/reports/templates/."""

from pathlib import Path

import pytest

from peerchallenge.models import Alliance
from peerchallenge.permissions import MANAGERS, register_object_rule, roles_in
from reports.permissions import DOWNLOAD_REPORT
from reports.registry import Report, register

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
PARAGRAPH = "Councils met in Derby and agreed three actions on early help."


@register
class ExampleReport(Report):
    identifier = "tests.example"
    title = "Alliance summary"
    template = "reports_tests/example.html"

    def context(self, obj) -> dict:
        return {
            "summary": PARAGRAPH,
            "metadata": [("Subject", obj.name)],
            # Enough text for several pages, to see the page numbers count.
            "sections": [
                {
                    "heading": f"Finding {n}",
                    "paragraphs": [f"Finding {n} is set out here in some detail. " * 12] * 3,
                }
                for n in range(1, 9)
            ],
        }


@register
class ExternalImageReport(Report):
    identifier = "tests.external_image"
    title = "Report with a remote image"
    template = "reports_tests/external_image.html"


@register
class BrokenReport(Report):
    identifier = "tests.broken"
    title = "Broken report"
    template = "reports_tests/broken.html"


def managers_of_the_alliance(user, alliance) -> bool:
    return bool(roles_in(user, alliance.pk) & MANAGERS)


register_object_rule(DOWNLOAD_REPORT, Alliance, managers_of_the_alliance)


@pytest.fixture(autouse=True)
def report_templates(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES_DIR]}
    ]


@pytest.fixture(autouse=True)
def storage(settings, tmp_path) -> Path:
    """Report files go to a folder of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    return tmp_path
