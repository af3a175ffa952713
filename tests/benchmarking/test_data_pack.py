"""A council's data pack, read from the loaded DfE extract: each indicator against England,
the region and the statistical neighbours, over the years held, in four queries whatever
the indicators, years and neighbours."""

from decimal import Decimal

from benchmarking.selectors import data_pack, neighbours_of
from tests.factories import council


def row_of(pack, code):
    [row] = [row for row in pack if row.indicator.code == code]
    return row


def test_derby_children_looked_after_against_england_region_and_neighbours(loaded):
    pack = data_pack(council=council("Derby"))
    assert len(pack) == 15
    cla = row_of(pack, "cla_rate_per_10k")
    assert cla.period == "2025"
    assert (cla.figure.value, cla.figure.numerator) == (Decimal("88"), Decimal("545"))
    assert cla.england.value == Decimal("67")
    assert cla.region.value == Decimal("62")  # East Midlands
    assert [p.period for p in cla.series] == ["2021", "2022", "2023", "2024", "2025"]
    assert cla.series[-2].value == Decimal("99")
    assert cla.direction == "decreasing"  # 99 to 88; a neutral indicator is never "worse"
    assert cla.neighbours.reporting == 10
    assert cla.neighbours.low <= cla.neighbours.median <= cla.neighbours.high
    assert 1 <= cla.rank <= cla.ranked == 11
    names = [neighbour.name for neighbour, _ in cla.neighbour_figures]
    assert names == [row.neighbour.name for row in neighbours_of(council("Derby"))]
    assert len(cla.neighbours_median) == len(cla.england_series) == 5


def test_a_suppressed_figure_shows_its_symbol_and_takes_no_flag(loaded):
    pack = data_pack(council=council("City of London"))
    cla = row_of(pack, "cla_rate_per_10k")
    assert (cla.figure.value, cla.figure.symbol, cla.rank, cla.flags) == (None, "c", None, [])
    assert cla.direction == ""


def test_a_workforce_indicator_of_a_council_in_a_joint_return_is_left_out(loaded):
    codes = {row.indicator.code for row in data_pack(council=council("Richmond upon Thames"))}
    assert "sw_turnover_rate_pct" not in codes and "cla_rate_per_10k" in codes


def test_the_pack_costs_the_same_whatever_the_council(loaded, django_assert_max_num_queries):
    for la in [council(name) for name in ("Derby", "Cornwall", "Westminster")]:
        with django_assert_max_num_queries(4):
            assert data_pack(council=la)
