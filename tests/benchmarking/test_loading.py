"""Loading the shipped DfE extract: every figure once, current; a load that changes a value
keeps the old one as history; a bad file stops the load before it writes."""

import shutil
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from benchmarking import dfe_files
from benchmarking.models import Figure, Indicator, Neighbour
from benchmarking.services import dfe_directory_load, figures_load
from benchmarking.services.loading import DFE_DIRECTORY, indicators_save
from tests.benchmarking.shipped import CATALOGUE
from tests.factories import UserFactory, council


def test_the_command_loads_the_shipped_extract(loaded):
    assert Indicator.objects.count() == 15
    current = Figure.objects.filter(superseded_at__isnull=True)
    assert current.count() == Figure.objects.count() > 20_000
    derby = current.get(indicator__code="cla_rate_per_10k", council=council("Derby"), period="2025")
    assert (derby.value, derby.symbol, derby.area_code) == (Decimal("88"), "", "831")
    city = current.get(
        indicator__code="cla_rate_per_10k", council=council("City of London"), period="2025"
    )
    assert (city.value, city.symbol) == (None, "c")
    assert Neighbour.objects.filter(model="2025").count() == 1530
    closest = Neighbour.objects.get(model="2025", council=council("Barking and Dagenham"), rank=1)
    assert (closest.neighbour, closest.band) == (council("Enfield"), "Close")  # 308
    assert "Contains public sector information licensed under the Open Government" in loaded
    assert "csww_workforce_indicators.csv: 1463 rows" in loaded


def test_loading_again_changes_nothing(loaded):
    before = Figure.objects.count()
    result = dfe_directory_load()
    assert (result.added, result.revised) == (0, 0)
    assert result.unchanged == before
    assert Figure.objects.count() == before


def test_a_revised_figure_supersedes_the_current_one_and_keeps_it(loaded):
    indicators = indicators_save(CATALOGUE)
    revised = dfe_files.FigureRow(
        indicator="cla_rate_per_10k",
        period="2025",
        period_kind="Reporting year",
        level="council",
        area_code="831",
        value=Decimal("87"),
        symbol="",
        numerator=Decimal("540"),
        line=2,
    )
    result = figures_load(rows=[revised], indicators=indicators, source="revision.csv")
    assert (result.added, result.revised, result.unchanged) == (0, 1, 0)
    rows = Figure.objects.filter(
        indicator__code="cla_rate_per_10k", area_code="831", period="2025"
    ).order_by("loaded_at", "pk")
    assert [(f.value, f.superseded_at is None, f.source) for f in rows] == [
        (Decimal("88"), False, "cla_rate_per_10k.csv"),
        (Decimal("87"), True, "revision.csv"),
    ]


def test_a_bad_file_stops_the_load_before_anything_is_written(db, tmp_path):
    directory = tmp_path / "dfe"
    shutil.copytree(DFE_DIRECTORY, directory)
    (directory / "csww_workforce_indicators.csv").write_bytes(b"PK\x03\x04 not a csv")
    with pytest.raises(CommandError, match="not a CSV file"):
        call_command("load_dfe", dir=directory, stdout=StringIO())
    assert not Figure.objects.exists() and not Indicator.objects.exists()


@pytest.mark.parametrize("model", ["indicator", "figure", "neighbour"])
def test_the_admin_shows_the_statistics_and_changes_nothing(client, loaded, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse(f"admin:benchmarking_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:benchmarking_{model}_add")).status_code == 403
