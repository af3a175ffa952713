"""The alliance's data lead starts the year's framework, moves an indicator, uploads a
spreadsheet by mistake (refused next to the field), then DfE's revised file: reads the
check, confirms, and sees the revised figure in a council's data pack. axe on every page."""

from benchmarking.dfe_files import DFE_DIRECTORY
from benchmarking.selectors import framework_year
from benchmarking.services import dfe_directory_load
from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region


def revised_file(tmp_path):
    lines = (DFE_DIRECTORY / "cla_rate_per_10k.csv").read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    period, code, column = (
        header.index("time_period"),
        header.index("old_la_code"),
        header.index("rate_per_10000"),
    )
    for number, line in enumerate(lines):
        cells = line.split(",")
        if len(cells) == len(header) and cells[period] == "2025" and cells[code] == "831":
            cells[column] = "93"
            lines[number] = ",".join(cells)
    path = tmp_path / "cla_rate_per_10k_revised.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_data_lead_keeps_the_framework_and_loads_a_revised_file(new_page, site, tmp_path):
    dfe_directory_load()
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    lead = UserFactory(email="nia@example.org", full_name="Nia Lead")
    MembershipFactory(alliance=alliance, user=lead, role=Role.DATA_LEAD)
    spreadsheet = tmp_path / "figures.csv"
    spreadsheet.write_bytes(b"PK\x03\x04" + b"\x00" * 300)

    page = new_page()
    sign_in(page, lead)
    page.goto("/a/east-midlands/data/framework/")
    page.get_by_role("heading", name="Data framework").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name=f"Start the {framework_year()} framework").click()
    page.get_by_text(f"The {framework_year()} framework is started.").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Change the theme or position of Average caseload").click()
    page.get_by_label("Position in the framework").fill("1")
    page.get_by_role("button", name="Save").click()
    first = page.locator(".govuk-summary-list__key").first
    assert first.inner_text().startswith("1. Average caseload")

    page.get_by_role("link", name="Load a file, or see every import").click()
    page.get_by_role("heading", name="Load DfE's files").wait_for()
    assert_accessible(page)
    page.get_by_label("File", exact=True).set_input_files(str(spreadsheet))
    page.get_by_role("button", name="Upload and check").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "not a CSV file" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.get_by_label("File", exact=True).set_input_files(str(revised_file(tmp_path)))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("heading", name="What the check found").wait_for()
    assert "add 0 figures, revise 1" in page.locator("main").inner_text()
    revised = page.get_by_role("table").filter(has_text="In the file")
    assert "Derby" in revised.inner_text() and "93" in revised.inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and load").click()
    page.get_by_role("heading", name="Loaded").wait_for()
    assert "0 figures added, 1 revised" in page.locator(".govuk-panel").inner_text()
    assert_accessible(page)

    page.goto(f"/a/east-midlands/data/councils/{council('Derby').gss_code}/")
    section = page.get_by_role(
        "region", name="Children looked after at 31 March, rate per 10,000 children aged under 18"
    )
    assert "93 (" in section.inner_text()
