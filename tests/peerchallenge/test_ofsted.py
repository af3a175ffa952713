"""Ofsted judgements are national reference data: staff load Ofsted's published outcomes
(page and command), with source and history; alliances read them and edit none; every bad
file is refused with its problems by line and nothing written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from peerchallenge.models import OfstedImport, OfstedJudgement
from peerchallenge.selectors import ofsted_latest
from tests import clock
from tests.factories import UserFactory, council, ofsted_judged

IMPORT = "/reference/ofsted/import/"
HEADER = b"gss_code,grade,date\n"


@pytest.fixture
def staff(db):
    return UserFactory(full_name="Sam Staff", email="sam.staff@example.org", is_staff=True)


def post_import(client, content: bytes, *, name="outcomes.csv", source="Ofsted outcomes"):
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(reverse("ofsted_import"), {"source": source, "file": upload})


def day(n: int) -> bytes:
    return clock.days(n).isoformat().encode()


# Alliances read, never edit -------------------------------------------------------------


def test_east_midlands_pm_cannot_change_leicesters_grade(client, world):
    leicester = council("Leicester")
    ofsted_judged(leicester, "good", clock.days(-300))
    client.force_login(world.pm)
    old_edit = f"/a/{world.em.slug}/councils/{leicester.gss_code}/ofsted/"
    assert client.get(old_edit).status_code == 404
    data = {"ofsted_grade": "inadequate", "ofsted_date": clock.days(-1).isoformat()}
    assert client.post(old_edit, data).status_code == 404
    for url in (reverse("reference_ofsted"), IMPORT):
        assert client.get(url).status_code == 404
    response = post_import(client, HEADER + b"E06000016,inadequate," + day(-1) + b"\n")
    assert response.status_code == 404
    assert ofsted_latest(council=leicester).grade == "good"
    assert OfstedImport.objects.count() == 1
    page = client.get(
        reverse("council_detail", kwargs={"alliance": world.em.slug, "gss": "E06000016"})
    ).content.decode()
    assert "Good" in page and "Test outcomes" in page
    assert "/ofsted/" not in page  # no edit link anywhere


@pytest.mark.parametrize("role", ["admin", "pm", "coordinator", "organiser", "dcs", "tier2"])
def test_no_alliance_role_reaches_the_reference_pages(client, world, role):
    client.force_login(getattr(world, role))
    assert client.get(reverse("reference_ofsted")).status_code == 404
    assert client.get(IMPORT).status_code == 404


def test_council_list_shows_the_latest_national_judgement(
    client, world, django_assert_max_num_queries
):
    ofsted_judged(council("Derby"), "requires_improvement", clock.days(-900))
    ofsted_judged(council("Derby"), "good", clock.days(-100))
    client.force_login(world.pm)
    url = reverse("council_list", kwargs={"alliance": world.em.slug})
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert page.count("Requires improvement") == 0 and "Good" in page
    assert "Import Ofsted" not in page


# Staff import ----------------------------------------------------------------------------


def test_staff_import_keeps_source_and_history(client, world, staff):
    derby = council("Derby")
    ofsted_judged(derby, "requires_improvement", clock.days(-900), source="Earlier outcomes")
    client.force_login(staff)
    content = (
        HEADER
        + b"E06000015,good,"
        + day(-30)
        + b"\n"  # Derby: a new judgement
        + b"E06000016,Requires improvement,"
        + clock.days(-60).strftime("%d/%m/%Y").encode()
        + b"\n"
        + b"E06000018,4,"
        + day(-10)
        + b"\n"  # Nottingham, by number
    )
    response = post_import(client, content, source="Ofsted outcomes to 31 March")
    assert response.status_code == 302
    load = OfstedImport.objects.get(source="Ofsted outcomes to 31 March")
    assert (load.imported_by, load.file_name) == (staff, "outcomes.csv")
    assert [
        (j.grade, j.judgement_date) for j in OfstedJudgement.objects.filter(local_authority=derby)
    ] == [("good", clock.days(-30)), ("requires_improvement", clock.days(-900))]
    assert ofsted_latest(council=council("Nottingham")).grade == "inadequate"
    # The same file again adds nothing new.
    post_import(client, content, source="Ofsted outcomes to 31 March")
    assert OfstedJudgement.objects.count() == 4
    page = client.get(reverse("reference_ofsted")).content.decode()
    assert "Ofsted outcomes to 31 March" in page and "Sam Staff" in page


def test_management_command_imports_and_refuses_like_the_page(tmp_path, staff):
    good = tmp_path / "outcomes.csv"
    good.write_bytes(HEADER + b"E06000015,good," + day(-30) + b"\n")
    out = io.StringIO()
    call_command("import_ofsted", str(good), source="Ofsted outcomes", by=staff.email, stdout=out)
    assert out.getvalue().strip() == "Imported 1 new judgements; 0 already on record."
    bad = tmp_path / "bad.csv"
    bad.write_bytes(HEADER + b"E06000016,good\n")
    with pytest.raises(CommandError) as error:
        call_command("import_ofsted", str(bad), source="Ofsted outcomes")
    assert "Line 2: This row has 2 values" in str(error.value)
    assert OfstedImport.objects.count() == 1


# Bad files: a clear message with line numbers, no 500, nothing written ---------------------


BAD_FILES = [
    ("empty", b"", "The file is empty."),
    ("only blank lines", b"\n\n", "The file is empty."),
    ("header only", HEADER, "The file has a header row but nothing under it."),
    (
        "missing column",
        b"gss_code,grade\nE06000015,good\n",
        "Line 1: The header row has no column date.",
    ),
    (
        "extra column",
        b"gss_code,grade,date,notes\nE06000015,good,2025-01-01,x\n",
        "Line 1: The header row has columns we do not know: notes.",
    ),
    (
        "extra and missing columns",
        b"gss_code,grade,when\nE06000015,good,2025-01-01\n",
        "Line 1: The header row has no column date.",
    ),
    (
        "repeated column",
        b"gss_code,grade,date,grade\nE06000015,good,2025-01-01,good\n",
        "Line 1: The header row names grade more than once.",
    ),
    (
        "row longer than its header",
        HEADER + b"E06000015,good,2025-01-01\nE06000016,good,2025-01-01,surprise\n",
        "Line 3: This row has 4 values, more than the 3 columns of the header",
    ),
    (
        "row shorter than its header",
        HEADER + b"E06000015,good\n",
        "Line 2: This row has 2 values, fewer than the 3 columns of the header",
    ),
    (
        "1 MB cell",
        HEADER + b"E06000015,good,2025-01-01\nE06000016," + b"g" * (1024 * 1024) + b",2025-01-01\n",
        "Line 3: A value is longer than 1000 characters.",
    ),
    (
        "long cell under the csv module's limit",
        HEADER + b"E06000015," + b"g" * 5000 + b",2025-01-01\n",
        "Line 2: The grade is longer than 1000 characters.",
    ),
    (
        "unterminated quote",
        HEADER + b'E06000015,"good,2025-01-01\n',
        "Line 2: This row has 2 values, fewer than the 3 columns",
    ),
    (
        "UTF-16",
        "gss_code,grade,date\nE06000015,good,2025-01-01\n".encode("utf-16"),
        "The file is saved as UTF-16. Save it as CSV UTF-8.",
    ),
    ("a spreadsheet", b"PK\x03\x04rest-of-a-workbook", "The file must be a CSV file."),
    ("NUL bytes", HEADER + b"E06000015,go\x00od,2025-01-01\n", "The file must be a CSV file."),
    (
        "bad values on several lines",
        HEADER
        + b"E06000015,good,2025-01-01\n"
        + b"E99999999,good,2025-01-01\n"
        + b"E06000016,brilliant,2025-01-01\n"
        + b"E06000018,good,yesterday\n"
        + b"E10000007,good,2999-01-01\n",
        "Line 3: “E99999999” is not the ONS code of a council.",
    ),
]


@pytest.mark.parametrize(
    ("content", "message"),
    [pytest.param(content, message, id=name) for name, content, message in BAD_FILES],
)
def test_bad_file_is_refused_with_line_numbers_and_nothing_written(
    client, world, staff, content, message
):
    ofsted_judged(council("Derby"), "good", clock.days(-300))
    client.force_login(staff)
    response = post_import(client, content)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(error.startswith(message) for error in errors), errors
    page = response.content.decode()
    assert "govuk-error-summary" in page and 'href="#id_file"' in page
    assert OfstedImport.objects.count() == 1 and OfstedJudgement.objects.count() == 1


def test_every_bad_line_is_listed(client, world, staff):
    client.force_login(staff)
    content = {name: content for name, content, _ in BAD_FILES}["bad values on several lines"]
    errors = post_import(client, content).context["form"].errors["file"]
    assert errors == [
        "Nothing was imported. Correct the file and import it again.",
        "Line 3: “E99999999” is not the ONS code of a council.",
        "Line 4: “brilliant” is not an Ofsted grade (Leicester).",
        "Line 5: “yesterday” is not a date, use YYYY-MM-DD (Nottingham).",
        "Line 6: The date for Derbyshire is in the future.",
    ]


def test_oversize_file_is_refused(client, world, staff, settings):
    settings.PEERCHALLENGE_CSV_MAX_BYTES = 1024
    client.force_login(staff)
    response = post_import(client, HEADER + b"E06000015,good,2025-01-01\n" * 100)
    assert "The file must be smaller than 1 KB." in response.context["form"].errors["file"]
    assert not OfstedImport.objects.exists()


def test_source_is_required(client, world, staff):
    client.force_login(staff)
    response = post_import(client, HEADER + b"E06000015,good,2025-01-01\n", source="")
    assert response.context["form"].errors["source"] == [
        "Enter the publication the outcomes come from."
    ]
    assert not OfstedImport.objects.exists()
