"""A council's data pack as a PDF: asked for on the pack page, made by the worker through
the reports pipeline, read back as text; pressing twice makes one; theirs alone."""

import io

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from benchmarking.pack_report import pack_pdf_html
from reports.models import ReportVersion
from reports.pdf import html_to_pdf
from tests.factories import council


@pytest.fixture(autouse=True)
def _reports_run_on_commit(monkeypatch):
    """The render is queued on commit; a test's transaction never commits: run it at once
    (tasks are eager in the tests)."""
    monkeypatch.setattr(
        "reports.services.transaction.on_commit", lambda callback, robust=False: callback()
    )


def text_of(content: bytes) -> str:
    """The PDF's text, its line breaks and spaces as one space each."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def pack_url(world, name="Derby"):
    return reverse(
        "benchmarking:data_pack", kwargs={"alliance": world.em.slug, "gss": council(name).gss_code}
    )


def pdf_url(world, name="Derby"):
    return reverse(
        "benchmarking:data_pack_pdf",
        kwargs={"alliance": world.em.slug, "gss": council(name).gss_code},
    )


def test_the_pdf_has_every_indicator_its_figures_and_the_licence(world, loaded):
    with scope(alliance=world.em):
        pdf = html_to_pdf(pack_pdf_html(alliance=world.em, council=council("Derby")))
    text = text_of(pdf.content)
    assert "Data pack: Derby" in text
    assert "Children looked after at 31 March, rate per 10,000 children aged under 18" in text
    assert "88 (decreasing since the year before)" in text
    assert "Derby (this council)" in text
    assert "Contains public sector information licensed under the Open Government" in text
    assert pdf.pages >= 15  # an indicator a page


def test_a_member_asks_for_the_pdf_and_downloads_it(client, world, loaded):
    client.force_login(world.dcs)
    assert client.post(pdf_url(world)).status_code == 302
    with scopes_disabled():
        version = ReportVersion.objects.get(report="benchmarking.data_pack_pdf")
    assert version.status == ReportVersion.Status.RENDERED
    assert version.options == {"council": council("Derby").pk, "council_name": "Derby"}
    page = client.get(pack_url(world)).content.decode()
    download = reverse(
        "reports:report_download", kwargs={"alliance": world.em.slug, "report_version": version.pk}
    )
    assert f'href="{download}"' in page
    response = client.get(download)
    assert response.status_code == 200
    assert "Data pack: Derby" in text_of(b"".join(response.streaming_content))


def test_pressing_twice_while_it_is_made_asks_once(client, world, loaded, monkeypatch):
    monkeypatch.setattr("reports.services.transaction.on_commit", lambda *a, **k: None)
    client.force_login(world.dcs)
    client.post(pdf_url(world))
    client.post(pdf_url(world))
    with scopes_disabled():
        assert ReportVersion.objects.filter(report="benchmarking.data_pack_pdf").count() == 1


def test_someone_elses_pdf_is_not_theirs(client, world, loaded):
    client.force_login(world.dcs)
    client.post(pdf_url(world))
    with scopes_disabled():
        version = ReportVersion.objects.get(report="benchmarking.data_pack_pdf")
    download = reverse(
        "reports:report_download", kwargs={"alliance": world.em.slug, "report_version": version.pk}
    )
    client.force_login(world.pm)
    assert client.get(download).status_code in (403, 404)
    assert f'href="{download}"' not in client.get(pack_url(world)).content.decode()
    client.force_login(world.outsider)
    london = reverse(
        "reports:report_download",
        kwargs={"alliance": world.london.slug, "report_version": version.pk},
    )
    assert client.get(london).status_code == 404


def test_a_council_another_alliance_covers_has_no_pdf_here(client, world, loaded):
    client.force_login(world.pm)
    assert client.post(pdf_url(world, "Camden")).status_code == 404


def test_the_pdf_shows_each_flags_answer(world, loaded):
    from benchmarking.selectors import data_pack
    from tests.benchmarking.factories import FlagAnswerFactory

    with scope(alliance=world.em):
        derby = council("Derby")
        flagged = [
            r
            for r in data_pack(council=derby, alliance=world.em)
            if any(not flag.caution for flag in r.flags)
        ]
        first, second = flagged[:2]
        with scopes_disabled():
            FlagAnswerFactory(
                alliance=world.em,
                council=derby,
                indicator=first.indicator,
                period=first.period,
                text="A new front door team started that year.",
                answered_by=world.dcs,
            )
        pdf = html_to_pdf(pack_pdf_html(alliance=world.em, council=derby))
    text = text_of(pdf.content)
    assert "Explained: A new front door team started that year." in text
    assert f"answered by {world.dcs}" in text
    assert "Not answered yet." in text  # the second flag's
    assert second.indicator.title in text


def test_the_pdf_prints_published_local_figures_never_provisional_ones(world):
    from django.utils import timezone

    from benchmarking.selectors import framework_year
    from tests.benchmarking.factories import (
        FrameworkEntryFactory,
        FrameworkFactory,
        LocalFigureFactory,
        LocalIndicatorFactory,
        LocalReturnFactory,
        ReturnQuarterFactory,
    )

    derby = council("Derby")
    with scopes_disabled():
        framework = FrameworkFactory(alliance=world.em, year=framework_year())
        waiting = LocalIndicatorFactory(alliance=world.em, title="Children waiting", decimals=0)
        FrameworkEntryFactory(framework=framework, indicator=None, local_indicator=waiting)
        published = ReturnQuarterFactory(
            alliance=world.em, year=2026, quarter=1, published_at=timezone.now()
        )
        provisional = ReturnQuarterFactory(alliance=world.em, year=2026, quarter=2)
        for quarter, value in [(published, 41), (provisional, 97)]:
            LocalFigureFactory(
                local_return=LocalReturnFactory(quarter=quarter, council=derby),
                indicator=waiting,
                value=value,
            )
    with scope(alliance=world.em):
        pdf = html_to_pdf(pack_pdf_html(alliance=world.em, council=derby))
    text = text_of(pdf.content)
    assert "Children waiting" in text
    assert "2026-27 Q1 41 41 (1 council)" in text
    assert "2026-27 Q2" not in text and "97" not in text
    assert "Provisional figures are not printed." in text
