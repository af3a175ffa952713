"""The grid ("tartan rug"): councils by indicators for one year, each figure with its band
among every council in England by the indicator's better direction; England and the
regions above; sortable; exported by the worker as CSV, XLSX and a landscape PDF."""

import csv
import io
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook
from pypdf import PdfReader

from benchmarking.dfe_files import ENGLAND
from benchmarking.grid import GridChoice, band_of, grid_read, period_year
from benchmarking.models import Level, Polarity
from reports.models import ReportVersion
from tests.benchmarking.factories import FigureFactory, IndicatorFactory
from tests.factories import council
from tests.lga_cspc.factories import lga as lga  # the fixture

EAST_MIDLANDS = "E12000004"
EM_COUNCILS = [
    "Derby",
    "Derbyshire",
    "Leicester",
    "Leicestershire",
    "Lincolnshire",
    "North Northamptonshire",
    "Nottingham",
    "Nottinghamshire",
    "Rutland",
    "West Northamptonshire",
]
# One figure per council, 1 to 8: four of East Midlands' councils between four of London's.
FIGURES = {
    "Camden": 1,
    "Derby": 2,
    "Hackney": 3,
    "Leicester": 4,
    "Islington": 5,
    "Nottingham": 6,
    "Lambeth": 7,
    "Rutland": 8,
}


def figure(indicator, name, value=None, *, symbol="", period="2025", alliance=None):
    la = council(name)
    return FigureFactory(
        indicator=indicator,
        council=la,
        area_code=la.dfe_code,
        value=None if value is None else Decimal(value),
        symbol=symbol,
        period=period,
        alliance=alliance,
    )


def area_figure(indicator, code, value, *, level):
    return FigureFactory(
        indicator=indicator, level=level, council=None, area_code=code, value=Decimal(value)
    )


@pytest.fixture
def small(world):
    """Three indicators (lower is better, higher is better, no better direction) with the
    same figures for eight councils, Lincolnshire's suppressed, England's and East
    Midlands'."""
    indicators = {
        "low": IndicatorFactory(code="low_one", title="Re-referrals", polarity=Polarity.LOW),
        "high": IndicatorFactory(code="high_one", title="Stable", polarity=Polarity.HIGH),
        "neutral": IndicatorFactory(
            code="neutral_one", title="Looked after", polarity=Polarity.NEUTRAL, decimals=0
        ),
    }
    for indicator in indicators.values():
        for name, value in FIGURES.items():
            figure(indicator, name, value)
        figure(indicator, "Lincolnshire", symbol="c")
        area_figure(indicator, ENGLAND, "4.4", level=Level.NATIONAL)
        area_figure(indicator, EAST_MIDLANDS, "5.26", level=Level.REGIONAL)
    return indicators


def read(alliance, choice=None):
    with scope(alliance=alliance):
        return grid_read(alliance=alliance, choice=choice)


def row(grid, name):
    [found] = [r for r in [*grid.comparators, *grid.rows] if r.name == name]
    return found


def column_of(grid, code) -> int:
    return [c.indicator.code for c in grid.columns].index(code)


def shown(grid, name, code) -> tuple[str, str]:
    """A council's figure in one column as written, with its band's letter."""
    cell = row(grid, name).cells[column_of(grid, code)]
    return cell.text, cell.letter


# Bands -----------------------------------------------------------------------------------


def test_a_lower_is_better_indicators_lowest_quarter_is_band_a(world, small):
    grid = read(world.em)
    assert [shown(grid, name, "low_one") for name in ("Derby", "Leicester", "Nottingham")] == [
        ("2.0", "A"),
        ("4.0", "B"),
        ("6.0", "C"),
    ]
    assert shown(grid, "Rutland", "low_one") == ("8.0", "D")


def test_a_higher_is_better_indicators_bands_are_the_other_way_round(world, small):
    grid = read(world.em)
    assert [
        shown(grid, name, "high_one") for name in ("Derby", "Leicester", "Nottingham", "Rutland")
    ] == [("2.0", "D"), ("4.0", "C"), ("6.0", "B"), ("8.0", "A")]


def test_an_indicator_with_no_better_direction_has_no_band(world, small):
    grid = read(world.em)
    assert shown(grid, "Derby", "neutral_one") == ("2", "")
    assert {cell.band for r in grid.rows for cell in r.cells[column_of(grid, "neutral_one") :]} == {
        None
    }


def test_a_suppressed_figure_shows_its_symbol_and_no_band(world, small):
    grid = read(world.em)
    assert shown(grid, "Lincolnshire", "low_one") == ("c", "")
    assert shown(grid, "Derbyshire", "low_one") == ("\u2013", "")  # nothing published
    assert grid.symbols == ["c"]
    assert grid.columns[column_of(grid, "low_one")].reporting == 8  # London's counted too


def test_councils_with_the_same_figure_share_the_better_band():
    ordered = [Decimal(v) for v in (1, 2, 2, 2, 5, 6, 7, 8)]
    two = Decimal(2)
    # Lower is better: one council is better, so all three 2s are A (the third 2 alone,
    # fourth of eight, would be B). Higher is better: four are better, so all three are C
    # (the last of them, sixth best, would be D).
    assert band_of(two, ordered, Polarity.LOW) == 1
    assert band_of(two, ordered, Polarity.HIGH) == 3
    assert band_of(two, ordered, Polarity.NEUTRAL) is None
    assert band_of(None, ordered, Polarity.LOW) is None
    assert band_of(Decimal(1), [], Polarity.LOW) is None


def test_a_period_is_named_by_the_year_it_ends_in():
    assert [period_year(p) for p in ("2025", "2024-25", "202425", "nonsense")] == [
        2025,
        2025,
        2025,
        None,
    ]


# Rows, lines and choices -------------------------------------------------------------------


def test_england_and_the_region_head_the_grid(world, small):
    grid = read(world.em)
    assert [(r.name, r.code) for r in grid.comparators] == [
        ("England", ENGLAND),
        ("East Midlands", EAST_MIDLANDS),
    ]
    assert [cell.text for cell in grid.comparators[1].cells] == ["5.3", "5.3", "5"]
    assert {cell.band for r in grid.comparators for cell in r.cells} == {None}


def test_a_regional_alliance_sees_its_own_councils_only(world, small):
    grid = read(world.em)
    assert [r.name for r in grid.rows] == EM_COUNCILS
    assert [r.name for r in read(world.london).rows][:3] == [
        "Barking and Dagenham",
        "Barnet",
        "Bexley",
    ]


@pytest.mark.parametrize(
    ("choice", "first"),
    [
        (GridChoice(sort="low_one"), ["Derby", "Leicester", "Nottingham", "Rutland"]),
        (GridChoice(sort="low_one", order="desc"), ["Rutland", "Nottingham", "Leicester", "Derby"]),
        (GridChoice(order="desc"), ["West Northamptonshire", "Rutland", "Nottinghamshire"]),
        (GridChoice(sort="no_such_indicator"), ["Derby", "Derbyshire", "Leicester"]),
    ],
)
def test_sorting_puts_councils_without_a_figure_last(world, small, choice, first):
    names = [r.name for r in read(world.em, choice).rows]
    assert names[: len(first)] == first
    if choice.sort == "low_one":
        # Then those with no figure (Lincolnshire's is suppressed), by name.
        assert names[4:] == [
            "Derbyshire",
            "Leicestershire",
            "Lincolnshire",
            "North Northamptonshire",
            "Nottinghamshire",
            "West Northamptonshire",
        ]


def test_a_year_can_be_chosen_and_an_unknown_one_is_the_latest(world, small):
    figure(small["low"], "Derby", 9, period="2024")
    grid = read(world.em, GridChoice(year=2024))
    assert grid.years == [2025, 2024]
    assert [(c.indicator.code, c.period) for c in grid.columns] == [
        ("low_one", "2024"),
        ("high_one", ""),
        ("neutral_one", ""),
    ]
    assert shown(grid, "Derby", "low_one") == ("9.0", "A")
    assert shown(grid, "Leicester", "low_one") == ("\u2013", "")
    latest = read(world.em, GridChoice(year=1999))
    assert latest.choice.year is None
    assert shown(latest, "Derby", "low_one") == ("2.0", "A")


def test_an_alliances_own_figures_win_and_another_alliances_stay_hidden(world, small):
    figure(small["low"], "Derby", "5.5", alliance=world.em)
    figure(small["low"], "Leicester", "0.5", alliance=world.london)
    grid = read(world.em)
    assert shown(grid, "Derby", "low_one") == ("5.5", "C")
    assert shown(grid, "Leicester", "low_one") == ("4.0", "B")


# The page ---------------------------------------------------------------------------------


# Local indicators -------------------------------------------------------------------------


@pytest.fixture
def local(world, small):
    """East Midlands' framework: the three DfE indicators and a local one (lower is
    better), with returns for two quarters of 2026-27: Q1 published, Q2 provisional."""
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

    with scopes_disabled():
        framework = FrameworkFactory(alliance=world.em, year=framework_year())
        for position, indicator in enumerate(small.values(), start=1):
            FrameworkEntryFactory(framework=framework, indicator=indicator, position=position)
        waiting = LocalIndicatorFactory(
            alliance=world.em, title="Children waiting", polarity=Polarity.LOW, decimals=0
        )
        FrameworkEntryFactory(
            framework=framework, indicator=None, local_indicator=waiting, position=4
        )
        q1 = ReturnQuarterFactory(
            alliance=world.em, year=2026, quarter=1, published_at=timezone.now()
        )
        q2 = ReturnQuarterFactory(alliance=world.em, year=2026, quarter=2)
        for quarter, figures in [
            (q1, {"Derby": 3, "Leicester": 9, "Nottingham": 5, "Rutland": 1}),
            (q2, {"Derby": 70, "Leicester": 80}),
        ]:
            for name, value in figures.items():
                LocalFigureFactory(
                    local_return=LocalReturnFactory(quarter=quarter, council=council(name)),
                    indicator=waiting,
                    value=Decimal(value),
                )
    return waiting


def test_a_local_indicator_shows_the_latest_published_quarter_banded_in_the_alliance(world, local):
    grid = read(world.em)
    [column] = [c for c in grid.columns if c.indicator.is_local]
    assert grid.columns[-1] is column  # after DfE's indicators
    assert (column.period, column.reporting) == ("2026-27 Q1", 4)
    assert "local return" in column.words
    # Lower is better, among East Midlands' four councils that returned it.
    assert shown(grid, "Rutland", local.code) == ("1", "A")
    assert shown(grid, "Derby", local.code) == ("3", "B")
    assert shown(grid, "Leicester", local.code) == ("9", "D")
    assert shown(grid, "Lincolnshire", local.code) == ("\u2013", "")
    assert shown(grid, "England", local.code) == ("\u2013", "")
    # Q2's provisional figures are never shown.
    assert "70" not in [cell.text for r in grid.rows for cell in r.cells]
    assert "latest published quarterly return" in grid.band_rule
    assert 2027 in grid.years  # 2026-27 ends in 2027
    by_local = read(world.em, GridChoice(sort=local.code, order="asc"))
    assert [r.name for r in by_local.rows][:2] == ["Rutland", "Derby"]


def test_a_local_indicator_has_no_figures_in_a_year_without_a_published_quarter(world, local):
    grid = read(world.em, GridChoice(year=2025))
    [column] = [c for c in grid.columns if c.indicator.is_local]
    assert column.period == ""
    assert shown(grid, "Derby", local.code) == ("\u2013", "")


def test_without_local_indicators_the_grid_says_nothing_of_them(world, small):
    grid = read(world.em)
    assert not grid.has_local
    assert "local" not in grid.band_rule


def test_the_grid_page_and_its_csv_show_the_local_indicator(client, world, local):
    client.force_login(world.tier2)
    page = main_of(client.get(grid_url(world.em)))
    assert "Children waiting" in page
    assert "2026-27 Q1; lower is better; local return" in page
    _version, response = exported(client, world.em, "csv")
    assert "Children waiting" in content_of(response).decode("utf-8-sig")


def grid_url(alliance, query=""):
    url = reverse("benchmarking:grid", kwargs={"alliance": alliance.slug})
    return f"{url}?{query}" if query else url


def main_of(response) -> str:
    page = response.content.decode()
    return page.split('<main class="govuk-main-wrapper"')[1].split("</main>")[0]


@pytest.mark.parametrize("who", ["pm", "organiser", "dcs", "tier2", "admin"])
def test_every_member_reads_the_grid(client, world, small, who):
    client.force_login(getattr(world, who))
    page = main_of(client.get(grid_url(world.em)))
    assert '<h1 class="govuk-heading-l">Data grid</h1>' in page
    assert '<div class="pc-grid" role="region" aria-labelledby="grid-caption" tabindex="0">' in page
    pack = reverse(
        "benchmarking:data_pack", kwargs={"alliance": "east-midlands", "gss": "E06000015"}
    )
    assert f'<a class="govuk-link" href="{pack}">Derby</a></th>' in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric pc-band-1">2.0 A</td>' in page
    assert "Contains public sector information licensed under the Open Government" in page
    assert "<script" not in page and "style=" not in page


def test_the_page_sorts_by_a_columns_link_and_marks_it(client, world, small):
    client.force_login(world.tier2)
    page = main_of(client.get(grid_url(world.em, "sort=low_one&order=desc")))
    heading = re.search(r'<th scope="col"[^>]*aria-sort="descending"><a[^>]*href="([^"]+)"', page)
    assert heading.group(1) == grid_url(world.em, "sort=low_one")  # the link reverses it
    assert page.count("aria-sort=") == 1
    names = re.findall(r'<th scope="row" class="govuk-table__header"><a[^>]*>([^<]+)</a>', page)
    assert names[:4] == ["Rutland", "Nottingham", "Leicester", "Derby"]


def test_the_nav_opens_the_grid_and_the_framework_link_shows_to_those_who_may(client, world, small):
    framework = reverse("benchmarking:framework", kwargs={"alliance": world.em.slug})
    client.force_login(world.dcs)
    page = client.get(grid_url(world.em)).content.decode()
    assert f'href="{grid_url(world.em)}"' in page.split("<main")[0]  # the "Data" section
    assert framework not in page
    client.force_login(world.pm)
    assert f'href="{framework}">The data framework</a>' in client.get(grid_url(world.em)).text
    assert grid_url(world.em) in client.get(framework).text


def test_the_data_pack_links_the_grid(client, world, small):
    client.force_login(world.dcs)
    pack = reverse("benchmarking:data_pack", kwargs={"alliance": world.em.slug, "gss": "E06000015"})
    assert f'href="{grid_url(world.em)}">Compare every council' in client.get(pack).text


def test_the_lga_sees_every_council_with_england_and_the_nine_regions(client, lga, loaded):
    client.force_login(lga.coordinator)
    page = main_of(client.get(grid_url(lga.alliance)))
    body = page.split("<tbody")
    assert len(re.findall(r'<th scope="row"', body[1])) == 10  # England and the regions
    assert len(re.findall(r'<th scope="row"', body[2])) == 153
    assert "Every council in England" in page


def test_another_alliances_grid_is_not_found(client, world, small):
    client.force_login(world.outsider)  # London's admin
    assert client.get(grid_url(world.em)).status_code == 404


def test_the_page_costs_the_same_whatever_the_councils(
    client, world, lga, loaded, django_assert_max_num_queries
):
    for user, alliance in [(world.pm, world.em), (lga.pm, lga.alliance)]:
        client.force_login(user)
        client.get(grid_url(alliance))
        for query in ("", "sort=cla_rate_per_10k&order=desc", "year=2022"):
            with django_assert_max_num_queries(10):
                assert client.get(grid_url(alliance, query)).status_code == 200


def test_looking_at_the_grid_writes_nothing(client, world, small):
    client.force_login(world.pm)
    client.get(grid_url(world.em, "sort=low_one"))
    with scopes_disabled():
        assert ReportVersion.objects.count() == 0


# Exports ----------------------------------------------------------------------------------


def export_url(alliance, file_format, query=""):
    url = reverse(f"benchmarking:grid_{file_format}", kwargs={"alliance": alliance.slug})
    return f"{url}?{query}" if query else url


def exported(client, alliance, file_format, query=""):
    """Press an export button, then run the worker's task (the request only queues it):
    the version and its download."""
    from reports.tasks import render

    with mock.patch("reports.tasks.render.apply_async"):  # nothing made in the request
        response = client.post(export_url(alliance, file_format, query))
    assert response.status_code == 302
    with scopes_disabled():
        version = ReportVersion.objects.order_by("-pk").first()
    render(version.pk)
    version.refresh_from_db()
    download = reverse(
        "reports:report_download",
        kwargs={"alliance": alliance.slug, "report_version": version.pk},
    )
    return version, client.get(download)


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_csv_export_has_the_grid_as_chosen(client, world, small):
    client.force_login(world.tier2)
    version, response = exported(client, world.em, "csv", "sort=low_one&order=desc")
    assert version.options == {"year": None, "sort": "low_one", "order": "desc"}
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(content_of(response).decode("utf-8-sig"))))
    assert rows[0] == [
        "Area",
        "Level",
        "ONS code",
        "Re-referrals, 2025",
        "Re-referrals, 2025: band",
        "Stable, 2025",
        "Stable, 2025: band",
        "Looked after, 2025",
        "Looked after, 2025: band",
    ]
    assert rows[1] == ["England", "England", ENGLAND, "4.4", "", "4.4", "", "4", ""]
    assert rows[2][:3] == ["East Midlands", "Region", EAST_MIDLANDS]
    assert rows[3] == ["Rutland", "Council", "E06000017", "8.0", "D", "8.0", "A", "8", ""]
    assert ["Lincolnshire", "Council", "E10000019", "c", "", "c", "", "c", ""] in rows
    assert len(rows) == 1 + 2 + 10


def test_the_xlsx_export_opens_with_numbers_and_its_key(client, world, small):
    client.force_login(world.dcs)
    version, response = exported(client, world.em, "xlsx", "year=2025")
    assert version.filename.startswith("East Midlands RIIA data grid 2025 ")
    workbook = load_workbook(io.BytesIO(content_of(response)), read_only=True)
    assert workbook.sheetnames == ["Grid", "About"]
    grid = list(workbook["Grid"].iter_rows(values_only=True))
    assert grid[0][:5] == (
        "Area",
        "Level",
        "ONS code",
        "Re-referrals, 2025",
        "Re-referrals, 2025: band",
    )
    assert ("Derby", "Council", "E06000015", 2, "A", 2, "D", 2, None) in grid
    about = [r[0] for r in workbook["About"].iter_rows(values_only=True) if r and r[0]]
    assert "Data grid of East Midlands RIIA" in about
    assert any("Open Government Licence" in str(line) for line in about)


def test_the_pdf_export_reads_back_landscape(client, world, loaded):
    client.force_login(world.tier2)
    _version, response = exported(client, world.em, "pdf", "sort=cla_rate_per_10k")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(content_of(response)))
    first = reader.pages[0]
    assert first.mediabox.width > first.mediabox.height  # landscape
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Data grid of East Midlands RIIA" in text
    assert "Children looked after at 31 March, rate per 10,000 children aged under 18" in text
    assert "Derby 88 " in text  # no band: no better direction
    assert "Rows in order of Children looked after" in text
    assert "Open Government Licence" in text


def test_the_page_shows_an_export_being_prepared_then_its_download(
    client, world, small, django_capture_on_commit_callbacks
):
    from reports.tasks import render

    client.force_login(world.tier2)
    with django_capture_on_commit_callbacks(execute=False) as handed_over:
        response = client.post(export_url(world.em, "csv"), follow=True)
    assert "Your CSV export of the grid is being prepared." in response.text
    assert "Data grid (CSV), asked for" in response.text
    assert handed_over  # the worker makes it, after the request
    with scopes_disabled():
        version = ReportVersion.objects.get()
    render(version.pk)
    download = reverse(
        "reports:report_download", kwargs={"alliance": world.em.slug, "report_version": version.pk}
    )
    assert f'href="{download}">Download Data grid (CSV)' in client.get(grid_url(world.em)).text


def test_a_double_click_queues_one_export(client, world, small):
    client.force_login(world.pm)
    page = client.get(grid_url(world.em)).text
    token = re.search(r'name="form_token" value="([A-Za-z0-9_-]+)"', page).group(1)
    with mock.patch("reports.tasks.render.apply_async"):
        first = client.post(export_url(world.em, "pdf"), {"form_token": token})
        second = client.post(export_url(world.em, "pdf"), {"form_token": token})
        # Pressed again from a fresh page while the first is still queued: the same one.
        third = client.post(export_url(world.em, "pdf"))
    assert first.status_code == second.status_code == third.status_code == 302
    with scopes_disabled():
        assert ReportVersion.objects.filter(report="benchmarking.grid_pdf").count() == 1


def test_an_export_is_its_askers_alone(client, world, small):
    client.force_login(world.pm)
    version, response = exported(client, world.em, "csv")
    assert response.status_code == 200
    download = reverse(
        "reports:report_download", kwargs={"alliance": world.em.slug, "report_version": version.pk}
    )
    client.force_login(world.tier2)  # another member of the alliance
    assert client.get(download).status_code == 404
    client.force_login(world.outsider)  # London's admin, at either alliance's address
    assert client.get(download).status_code == 404
    london = reverse(
        "reports:report_download",
        kwargs={"alliance": world.london.slug, "report_version": version.pk},
    )
    assert client.get(london).status_code == 404


def test_nothing_to_export_says_so(client, world):
    client.force_login(world.pm)
    response = client.post(export_url(world.em, "xlsx"), follow=True)
    assert "There are no figures to export." in response.text
    with scopes_disabled():
        assert ReportVersion.objects.count() == 0
