"""Requesting and rendering reports: a real, tagged, numbered PDF, stored once per version,
rendered by the Celery task (eager in tests) after the request commits."""

import io
import re

import pytest
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from reports.models import ReportVersion
from reports.services import report_request
from reports.tasks import render
from tests import clock
from tests.reports.conftest import PARAGRAPH

TODAY_TEXT = clock.day_text(clock.TODAY)  # as the reports write the day they are made


@pytest.fixture
def em_scope(world):
    with scope(alliance=world.em):
        yield world


def request_rendered(world, identifier="tests.example", capture=None) -> ReportVersion:
    with capture(execute=True):
        version = report_request(identifier=identifier, subject=world.em, requested_by=world.pm)
    version.refresh_from_db()
    return version


def read_pdf(version: ReportVersion) -> PdfReader:
    with version.file.open("rb") as file:
        return PdfReader(io.BytesIO(file.read()))


def struct_roles(node, found=None) -> set[str]:
    """Every structure type (/H1, /P, /Table, ...) in a tagged PDF's structure tree."""
    found = set() if found is None else found
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            struct_roles(child, found)
    elif hasattr(node, "get"):
        if "/S" in node:
            found.add(str(node["/S"]))
        if "/K" in node:
            struct_roles(node["/K"], found)
    return found


def test_report_request_renders_a_readable_tagged_pdf(em_scope, django_capture_on_commit_callbacks):
    world = em_scope
    version = request_rendered(world, capture=django_capture_on_commit_callbacks)
    assert (version.status, version.number, version.error) == ("rendered", 1, "")
    assert (version.report, version.title, version.subject, version.requested_by) == (
        "tests.example",
        "Alliance summary",
        world.em,
        world.pm,
    )
    assert version.filename == "alliance-summary-east-midlands-riia-version-1.pdf"
    assert version.rendered_at is not None
    pdf = read_pdf(version)
    assert version.pages == len(pdf.pages)
    assert version.pages >= 2
    with version.file.open("rb") as file:
        assert version.size == len(file.read())
    # The cover: the owner, the title, the version line, the dates; then the content.
    first = pdf.pages[0].extract_text()
    assert "Alliance summary" in first
    assert "About this report" in first
    assert "East Midlands RIIA" in first
    assert f"Version 1, issued {TODAY_TEXT}" in first
    assert PARAGRAPH not in first
    assert f"Page 1 of {version.pages}" in first
    texts = [page.extract_text() for page in pdf.pages]
    assert "Summary" in texts[2] and PARAGRAPH in texts[2]  # after the contents list
    assert "Contents" in texts[1]
    assert f"Page {version.pages} of {version.pages}" in pdf.pages[-1].extract_text()
    # Tagged for accessibility (PDF/UA-1): marked, a structure tree with real headings,
    # the language and the title shown as the document's title.
    catalog = pdf.trailer["/Root"]
    assert catalog["/MarkInfo"] == {"/Marked": True}
    assert {"/H1", "/H2", "/P", "/Table", "/TH", "/TD"} <= struct_roles(catalog["/StructTreeRoot"])
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"] == {"/DisplayDocTitle": True}
    assert pdf.metadata.title == "Alliance summary"
    assert pdf.metadata.author == "East Midlands RIIA"
    assert 'pdfuaid:part="1"' in pdf.xmp_metadata.stream.get_data().decode()


def test_report_request_numbers_versions_and_keeps_each_file(
    em_scope, django_capture_on_commit_callbacks, storage
):
    world = em_scope
    first = request_rendered(world, capture=django_capture_on_commit_callbacks)
    second = request_rendered(world, capture=django_capture_on_commit_callbacks)
    assert [(v.number, v.status) for v in (first, second)] == [(1, "rendered"), (2, "rendered")]
    assert first.file.name != second.file.name
    assert second.filename == "alliance-summary-east-midlands-riia-version-2.pdf"
    # Stored under random names in the alliance's folder, both kept.
    stored = sorted(p.name for p in (storage / "reports" / str(world.em.pk)).iterdir())
    assert stored == sorted([first.file.name.rsplit("/", 1)[1], second.file.name.rsplit("/", 1)[1]])
    assert all(len(name) == 32 for name in stored)
    # Another report about the same subject counts from 1.
    other = request_rendered(
        world, identifier="tests.external_image", capture=django_capture_on_commit_callbacks
    )
    assert other.number == 1


def test_report_request_enqueues_only_after_commit(em_scope, django_capture_on_commit_callbacks):
    world = em_scope
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = report_request(identifier="tests.example", subject=world.em, requested_by=None)
    version.refresh_from_db()
    assert (len(callbacks), version.status, version.file.name) == (1, "pending", "")


def test_report_request_refuses_an_unknown_report(em_scope):
    with pytest.raises(LookupError, match=re.escape("No report is registered as 'tests.nope'.")):
        report_request(identifier="tests.nope", subject=em_scope.em, requested_by=None)
    assert ReportVersion.objects.count() == 0


def test_render_task_twice_renders_once(em_scope, django_capture_on_commit_callbacks, storage):
    world = em_scope
    version = request_rendered(world, capture=django_capture_on_commit_callbacks)
    render(version.pk)  # a redelivered message, say
    again = ReportVersion.objects.get(pk=version.pk)
    assert (again.file.name, again.rendered_at) == (version.file.name, version.rendered_at)
    assert len(list((storage / "reports" / str(world.em.pk)).iterdir())) == 1


def test_render_task_returns_quietly_for_a_version_that_is_gone(db):
    assert render(987654) is None


def test_broken_template_marks_the_version_failed_with_the_error(
    em_scope, django_capture_on_commit_callbacks
):
    world = em_scope
    version = request_rendered(
        world, identifier="tests.broken", capture=django_capture_on_commit_callbacks
    )
    assert (version.status, version.file.name, version.pages) == ("failed", "", 0)
    assert version.error == "TemplateSyntaxError: Unexpected end of expression in if tag."
    # A failed version stays failed until someone asks again: a redelivered message does
    # not render it (and the task re-raised: Celery records the failure, the worker logs it).
    assert render(version.pk) is None
    with scopes_disabled():
        assert ReportVersion.objects.get(pk=version.pk).status == "failed"
