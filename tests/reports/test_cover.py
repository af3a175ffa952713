"""What every PDF report carries around its content, read back with pypdf: the cover page
(owner, title, council, version line), the protective marking at the top and bottom of
every page, DRAFT on every page of a draft, and a contents list when it is long."""

import io

import pytest
from django.core.files.base import ContentFile
from django_scopes import scope
from pypdf import PdfReader

from peerchallenge.models import Alliance
from reports.registry import OFFICIAL, Report, register
from reports.services import report_render_unstored, report_request
from tests import clock
from tests.factories import AllianceFactory
from tests.peerchallenge.test_alliance_logo import png

TODAY_TEXT = clock.day_text(clock.TODAY)  # as the reports write the day they are made


@register
class CouncilReport(Report):
    """A report about one council whose first version is a draft."""

    identifier = "tests.council_draft"
    title = "Council findings"
    template = "reports_tests/example.html"
    marking = OFFICIAL

    def context(self, obj) -> dict:
        return {"summary": "Short.", "sections": []}

    def council_of(self, obj) -> str:
        return "Derby"

    def is_draft(self, obj, version) -> bool:
        return version.number == 1


def rendered_texts(world, identifier, capture) -> list[str]:
    with scope(alliance=world.em), capture(execute=True):
        version = report_request(identifier=identifier, subject=world.em, requested_by=world.pm)
    version.refresh_from_db()
    assert version.status == "rendered"
    with version.file.open("rb") as file:
        return [page.extract_text() for page in PdfReader(io.BytesIO(file.read())).pages]


def test_the_cover_names_the_owner_title_version_and_dates(
    world, django_capture_on_commit_callbacks
):
    texts = rendered_texts(world, "tests.example", django_capture_on_commit_callbacks)
    cover = texts[0]
    for line in (
        "East Midlands RIIA",
        "Alliance summary",
        f"Version 1, issued {TODAY_TEXT}",
        "About this report",
        f"Produced {TODAY_TEXT}, {clock.NOW:%H:%M}",
    ):
        assert line in cover
    assert "Councils met in Derby" not in cover  # the content starts on a page of its own


def test_the_marking_is_at_the_top_and_bottom_of_every_page(
    world, django_capture_on_commit_callbacks
):
    texts = rendered_texts(world, "tests.example", django_capture_on_commit_callbacks)
    assert len(texts) > 5
    assert [text.count("OFFICIAL-SENSITIVE") for text in texts] == [2] * len(texts)
    official = rendered_texts(world, "tests.council_draft", django_capture_on_commit_callbacks)
    assert [text.count("OFFICIAL") for text in official] == [2] * len(official)
    assert "OFFICIAL-SENSITIVE" not in "".join(official)


def test_a_draft_says_draft_on_every_page_and_the_next_version_on_none(
    world, django_capture_on_commit_callbacks
):
    draft = rendered_texts(world, "tests.council_draft", django_capture_on_commit_callbacks)
    assert all("DRAFT" in text for text in draft)
    assert "Derby" in draft[0]
    assert f"Draft, version 1, {TODAY_TEXT}" in draft[0]
    issued = rendered_texts(world, "tests.council_draft", django_capture_on_commit_callbacks)
    assert not any("DRAFT" in text for text in issued)
    assert f"Version 2, issued {TODAY_TEXT}" in issued[0]


def test_a_long_report_has_a_contents_list_with_page_numbers(
    world, django_capture_on_commit_callbacks
):
    texts = rendered_texts(world, "tests.example", django_capture_on_commit_callbacks)
    contents = texts[1]
    assert "Contents" in contents.splitlines()
    # Each section listed with the page it starts on.
    for n in range(1, 9):
        line = next(line for line in contents.splitlines() if line.startswith(f"Finding {n}"))
        page = int(line.rsplit(" ", 1)[1])
        assert f"Finding {n}" in texts[page - 1]


def test_a_short_report_has_no_contents_list(world, django_capture_on_commit_callbacks):
    texts = rendered_texts(world, "tests.council_draft", django_capture_on_commit_callbacks)
    assert len(texts) == 2
    assert "Contents" not in "".join(texts)


@pytest.mark.django_db
def test_the_lga_s_reports_are_the_local_government_association_s():
    lga = AllianceFactory(name="LGA peer challenge", kind=Alliance.Kind.NATIONAL)
    with scope(alliance=lga):
        pdf = report_render_unstored(identifier="tests.example", subject=lga, alliance=lga)
    cover = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Local Government Association" in cover
    assert "Preview, not issued" in cover


def test_the_cover_shows_the_alliance_s_logo(world):
    world.em.report_logo.save("logo", ContentFile(png()))
    with scope(alliance=world.em):
        pdf = report_render_unstored(
            identifier="tests.example", subject=world.em, alliance=world.em
        )
    cover = PdfReader(io.BytesIO(pdf.content)).pages[0]
    images = [
        name
        for name, xobject in cover["/Resources"]["/XObject"].items()
        if xobject.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 1
    assert "East Midlands RIIA" in cover.extract_text()
