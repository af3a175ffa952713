"""Reading DfE's files: every shipped file, each quirk the data README lists, and the bad
files a data lead might send (no database: benchmarking.dfe_files is pure)."""

from decimal import Decimal

import pytest

from benchmarking import dfe_files
from benchmarking.dfe_files import DFE_DIRECTORY, FileRefused, decode, read_figures
from tests.benchmarking.shipped import CATALOGUE, COUNCILS, shipped


def figures(name: str):
    return read_figures(shipped(name), catalogue=CATALOGUE, councils=COUNCILS)


def latest(rows, indicator: str, level: str = "council", period: str = "2025") -> dict:
    return {
        row.area_code: row
        for row in rows
        if row.indicator == indicator and row.level == level and row.period == period
    }


def test_the_catalogue_lists_the_fifteen_indicators_with_their_polarity():
    assert len(COUNCILS) == 153
    assert len(CATALOGUE) == 15
    polarity = {entry.code: entry.polarity for entry in CATALOGUE}
    assert polarity["assessments_within_45_days_pct"] == "High"
    assert polarity["rereferrals_within_12m_pct"] == "Low"
    assert polarity["cla_rate_per_10k"] == "Neutral"
    assert sum(entry.is_lait for entry in CATALOGUE) == 5


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda entry: entry.code)
def test_every_indicator_reads_for_every_council_in_the_latest_period(entry):
    rows, report = figures(entry.source_file)
    assert report.refused == []
    current = latest(rows, entry.code, period=entry.latest_period)
    joint = {"314", "318", "940", "941"} if entry.source_file.startswith("csww") else set()
    assert set(current) == COUNCILS - joint
    assert latest(rows, entry.code, level="national", period=entry.latest_period)
    # Each value is a number or a symbol, never both, never a 0 standing for a symbol.
    for row in current.values():
        assert (row.value is None) == bool(row.symbol)


def test_symbols_are_kept_as_published():
    rows, report = figures("cpp_at_31_march_by_duration.csv")
    current = latest(rows, "cpp_2yrs_plus_at_31march_pct")
    assert sum(row.symbol == "c" for row in current.values()) == 59
    assert report.symbols["c"] > 59  # other years and areas too
    rows, _ = figures("csww_workforce_indicators.csv")
    sunderland = latest(rows, "agency_worker_rate_pct")["394"]
    assert (sunderland.value, sunderland.symbol) == (None, "low")
    westminster = latest(rows, "vacancy_rate_pct")["213"]
    assert westminster.symbol == "x"


def test_a_byte_order_mark_and_a_different_column_order_read_the_same():
    assert (DFE_DIRECTORY / "cla_rate_per_10k.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    rows, _ = figures("cla_rate_per_10k.csv")
    derby = latest(rows, "cla_rate_per_10k")["831"]
    assert (derby.value, derby.numerator) == (Decimal("88"), Decimal("545"))  # as published
    england = latest(rows, "cla_rate_per_10k", level="national")["E92000001"]
    assert england.value == Decimal("67")


def test_predecessors_and_joint_rows_are_skipped_and_counted():
    _, report = figures("cla_rate_per_10k.csv")
    assert report.predecessors_skipped == {"909", "928"}
    assert len(report.councils_matched) == 153
    _, report = figures("csww_workforce_indicators.csv")
    assert report.joint_rows_skipped == {"314 / 318", "940 / 941"}
    assert len(report.councils_matched) == 149


def test_councils_are_matched_on_dfe_codes_whatever_their_gss_code_that_year():
    # In the workforce file of 2025 only, Barnsley and Sheffield carry new GSS codes.
    rows, _ = figures("csww_workforce_indicators.csv")
    current = latest(rows, "sw_turnover_rate_pct")
    assert {"370", "373"} <= set(current)


def test_inner_and_outer_london_are_regional_rows_of_their_own():
    rows, _ = figures("cla_rate_per_10k.csv")
    regions = latest(rows, "cla_rate_per_10k", level="regional")
    assert {"E12000007", "E13000001", "E13000002"} <= set(regions)
    assert len(regions) == 11


def test_lait_pseudo_codes_and_float_artefacts():
    rows, report = figures("lait_cin_cpp_referral_assessment_rates.csv")
    assert report.layout == "lait"
    assert report.symbols == {"-": report.symbols["-"]} and report.symbols["-"] > 0
    regions = latest(rows, "cin_rate_per_10k", level="regional")
    assert set(regions) == set(dfe_files.LAIT_AREAS.values()) - {dfe_files.ENGLAND}
    values = [row.value for row in rows if row.value is not None]
    assert all(value == value.quantize(Decimal("0.1")) for value in values)
    raw = shipped("lait_cin_cpp_referral_assessment_rates.csv")
    assert "99999999" in raw  # the artefacts are there, and read as 1 dp


def test_both_layouts_of_the_statistical_neighbours_give_the_same_groups():
    tool, report = dfe_files.read_neighbours(
        shipped("statistical_neighbours_2025.csv"), councils=COUNCILS
    )
    dashboard, _ = dfe_files.read_neighbours(
        shipped("statistical_neighbours_2025_csc_wide.csv"), councils=COUNCILS
    )
    assert report.predecessors_skipped == {"835", "836", "837", "909", "928"}
    assert len(tool) == 1530
    key = [(row.council, row.rank, row.neighbour, row.band) for row in tool]
    assert key == [(row.council, row.rank, row.neighbour, row.band) for row in dashboard]
    assert {row.band for row in tool} <= set(dfe_files.BANDS)  # "Close " trimmed
    assert [row.neighbour for row in tool if row.council == "301"][:2] == ["308", "821"]


# Bad files ----------------------------------------------------------------------------------

HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,category,referral_count,rereferral_count,"
    "rereferral_percent\n"
)


def tidy(*rows: str) -> str:
    return HEADER + "".join(row + "\n" for row in rows)


def row(code="831", value="22.5", level="Local authority"):
    return (
        f"2025,Reporting year,{level},E92000001,England,E12000004,East Midlands,{code},"
        f"E06000015,Derby,Referrals and Re-referrals,1000,225,{value}"
    )


def read(text):
    return read_figures(text, catalogue=CATALOGUE, councils=COUNCILS)


def test_a_good_small_file():
    rows, report = read(tidy(row(), row(code="830", value="c")))
    assert [(r.area_code, r.value, r.symbol, r.line) for r in rows] == [
        ("831", Decimal("22.5"), "", 2),
        ("830", None, "c", 3),
    ]
    assert report.councils_matched == {"830", "831"}


def test_rows_that_cannot_be_read_are_refused_with_their_line_and_reason():
    rows, report = read(tidy(row(), row(value="twelve"), row(code="999"), "2025,Reporting year"))
    assert [r.line for r in rows] == [2]
    assert [(r.line, r.reason) for r in report.refused] == [
        (3, "rereferrals_within_12m_pct: “twelve” is neither a number nor a DfE symbol"),
        (4, "council code “999” is not one of the 153 councils"),
        (5, "it has 2 fields where the header has 14"),
    ]


def test_a_file_of_unknown_councils_is_refused_whole():
    with pytest.raises(FileRefused, match="None of the file's council codes is known"):
        read(tidy(row(code="998"), row(code="999")))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"name,value\nDerby,3\n", "columns are not those of a DfE statistics file"),
        (HEADER.encode() + "2025,Reporting year,Régional".encode("latin-1"), "not UTF-8"),
        (b"PK\x03\x04" + b"\x00" * 100, "a spreadsheet or zip file"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "Excel 97-2003"),
        (b"", "empty"),
        (b"a,b\x00c\n", "not a text file"),
        (b"x" * (dfe_files.MAX_BYTES + 1), "larger than 20 MB"),
    ],
    ids=["wrong columns", "latin-1", "xlsx renamed", "xls renamed", "empty", "binary", "big"],
)
def test_a_bad_file_gets_a_clear_message(data, message):
    with pytest.raises(FileRefused, match=message):
        read(decode(data))


def test_a_file_without_any_framework_indicator_is_refused():
    with pytest.raises(FileRefused, match="None of the framework's indicators"):
        read(shipped("cin_children_in_need_counts.csv"))


def test_next_years_file_loads_without_code_changes():
    """A later period, in a file named differently, with columns in another order."""
    columns = HEADER.strip().split(",")
    order = list(reversed(columns))
    values = dict(zip(columns, row(value="19.0").split(","), strict=True))
    values["time_period"] = "2026"
    text = ",".join(order) + "\n" + ",".join(values[name] for name in order) + "\n"
    rows, _ = read(text)
    assert [(r.indicator, r.period, r.value) for r in rows] == [
        ("rereferrals_within_12m_pct", "2026", Decimal("19.0"))
    ]
