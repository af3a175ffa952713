"""A data lead's import: upload, the check (a task), confirm or not; every bad file refused
with its message and nothing stored; what an alliance loads is its own."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from benchmarking.dfe_files import DFE_DIRECTORY
from benchmarking.models import DataImport, Figure, Neighbour
from benchmarking.selectors import data_pack, neighbours_of
from benchmarking.services.imports import import_claim, imports_reap
from peerchallenge.models import Role
from tests.factories import MembershipFactory, UserFactory, council

CLA = "cla_rate_per_10k.csv"
NEIGHBOURS = "statistical_neighbours_2025.csv"


@pytest.fixture(autouse=True)
def _tasks_run_on_commit(monkeypatch):
    """The check and the load are queued on commit; a test's transaction never commits, so
    run what is queued at once (tasks are eager in the tests)."""
    monkeypatch.setattr(
        "benchmarking.services.imports.transaction.on_commit",
        lambda callback, robust=False: callback(),
    )


@pytest.fixture
def lead(world):
    user = UserFactory(full_name="Dana Lead", email="dana@example.org")
    MembershipFactory(alliance=world.em, user=user, role=Role.DATA_LEAD)
    return user


def shipped_bytes(name: str) -> bytes:
    return (DFE_DIRECTORY / name).read_bytes()


def derby_cla_2025_changed(value: str = "90") -> bytes:
    """The shipped file with Derby's 2025 rate (88) changed: one revision."""
    lines = shipped_bytes(CLA).decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    period, code = header.index("time_period"), header.index("old_la_code")
    column = header.index("rate_per_10000")
    changed = []
    for line in lines:
        cells = line.split(",")
        if len(cells) == len(header) and cells[period] == "2025" and cells[code] == "831":
            cells[column] = value
            line = ",".join(cells)
        changed.append(line)
    return ("\n".join(changed) + "\n").encode()


def imports_url(world, alliance=None):
    return reverse("benchmarking:imports", kwargs={"alliance": (alliance or world.em).slug})


def upload(client, world, content: bytes, name: str = "cla.csv", **data):
    return client.post(
        imports_url(world),
        {
            "file": SimpleUploadedFile(name, content, content_type="text/csv"),
            "model": "2025",
            **data,
        },
    )


def the_import() -> DataImport:
    with scopes_disabled():
        return DataImport.objects.get()


def test_a_checked_file_says_what_loading_would_do_and_loads_nothing(client, world, loaded, lead):
    client.force_login(lead)
    response = upload(client, world, derby_cla_2025_changed())
    data_import = the_import()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "benchmarking:import_detail",
        kwargs={"alliance": world.em.slug, "data_import": data_import.pk},
    )
    assert data_import.state == DataImport.State.CHECKED
    report = data_import.report
    assert report["layout"] == "tidy"
    assert report["councils_matched"] == 153
    assert report["would_revise"] == 1
    assert report["would_add"] == 0
    assert report["revisions"] == [
        {
            "indicator": "cla_rate_per_10k",
            "period": "2025",
            "area": "831",  # shown as Derby on the page
            "old": "88",
            "new": "90",
            "shared": True,
        }
    ]
    assert set(report["predecessors_skipped"]) <= {"835", "836", "837", "909", "928"}
    assert not Figure.objects.filter(alliance__isnull=False).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Checked: waiting for you to confirm" in page
    assert "add 0 figures, revise 1, and leave" in page
    assert "Confirm and load" in page
    assert '<td class="govuk-table__cell">Derby</td>' in page


def test_confirming_loads_the_alliances_own_figures_once(client, world, loaded, lead):
    client.force_login(lead)
    upload(client, world, derby_cla_2025_changed())
    data_import = the_import()
    confirm = reverse(
        "benchmarking:import_confirm",
        kwargs={"alliance": world.em.slug, "data_import": data_import.pk},
    )
    assert client.post(confirm).status_code == 302
    assert client.post(confirm).status_code == 302  # pressed twice: loaded once
    data_import.refresh_from_db()
    assert data_import.state == DataImport.State.LOADED
    assert data_import.result == {
        "added": 0,
        "revised": 1,
        "unchanged": data_import.result["unchanged"],
    }
    own = Figure.objects.filter(alliance=world.em)
    assert own.count() == 1
    assert own.get().value == Decimal("90")
    shared = Figure.objects.get(
        alliance__isnull=True,
        indicator__code="cla_rate_per_10k",
        council=council("Derby"),
        period="2025",
    )
    assert (shared.value, shared.superseded_at) == (Decimal("88"), None)
    # East Midlands' packs read its own figure; London's never do.
    em_row = next(
        row
        for row in data_pack(council=council("Derby"), alliance=world.em)
        if row.indicator.code == "cla_rate_per_10k"
    )
    london_row = next(
        row
        for row in data_pack(council=council("Derby"), alliance=world.london)
        if row.indicator.code == "cla_rate_per_10k"
    )
    assert (em_row.figure.value, london_row.figure.value) == (Decimal("90"), Decimal("88"))
    assert (em_row.revised_from.value, london_row.revised_from) == (Decimal("88"), None)
    pack = reverse(
        "benchmarking:data_pack",
        kwargs={"alliance": world.em.slug, "gss": council("Derby").gss_code},
    )
    cla = client.get(pack).content.decode().split('id="cla-rate-per-10k"')[1].split("</dl>")[0]
    assert "It was 88 before a later file revised it." in cla
    page = client.get(
        reverse(
            "benchmarking:import_detail",
            kwargs={"alliance": world.em.slug, "data_import": data_import.pk},
        )
    ).content.decode()
    assert "0 figures added, 1 revised" in page


def test_a_second_import_supersedes_the_alliances_first_and_keeps_it(client, world, loaded, lead):
    client.force_login(lead)
    for value in ("90", "91"):
        upload(client, world, derby_cla_2025_changed(value))
        with scopes_disabled():
            data_import = DataImport.objects.order_by("-pk").first()
        client.post(
            reverse(
                "benchmarking:import_confirm",
                kwargs={"alliance": world.em.slug, "data_import": data_import.pk},
            )
        )
    rows = Figure.objects.filter(alliance=world.em).order_by("pk")
    assert [(row.value, row.superseded_at is None) for row in rows] == [
        (Decimal("90"), False),
        (Decimal("91"), True),
    ]
    (row,) = [
        row
        for row in data_pack(council=council("Derby"), alliance=world.em)
        if row.indicator.code == "cla_rate_per_10k"
    ]
    assert (row.figure.value, row.revised_from.value) == (Decimal("91"), Decimal("88"))


def test_a_file_unchanged_from_the_published_figures_would_add_nothing(client, world, loaded, lead):
    client.force_login(lead)
    upload(client, world, shipped_bytes(CLA))
    report = the_import().report
    assert (report["would_add"], report["would_revise"]) == (0, 0)
    assert report["unchanged"] == report["figures"] > 800


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"PK\x03\x04" + b"\x00" * 200,
            "The file is a spreadsheet or zip file (XLSX), not a CSV file",
        ),
        (
            "time_period,geographic_level\n2025,Café\n".encode("latin-1"),
            "The file is not UTF-8 text",
        ),
        (b"name,score\nDerby,1\n", "The file&#x27;s columns are not those of a DfE file"),
        (b"", "The file is empty"),
        (b"%PDF-1.7\n", "The file is a PDF, not a CSV file"),
    ],
    ids=["spreadsheet renamed", "wrong encoding", "wrong columns", "empty", "pdf"],
)
def test_a_bad_file_is_refused_next_to_the_field_and_nothing_is_stored(
    client, world, loaded, lead, content, message
):
    client.force_login(lead)
    response = upload(client, world, content)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "govuk-error-summary" in page
    assert 'href="#id_file"' in page
    with scopes_disabled():
        assert DataImport.objects.count() == 0


def test_a_file_over_20_mb_is_refused(client, world, loaded, lead):
    client.force_login(lead)
    content = shipped_bytes(CLA) + b"\n" * (21 * 2**20)
    page = upload(client, world, content).content.decode()
    assert "must be smaller than 20 MB" in page
    with scopes_disabled():
        assert DataImport.objects.count() == 0


def test_rows_that_are_not_numbers_or_not_councils_are_refused_with_their_line(
    client, world, loaded, lead
):
    lines = shipped_bytes(CLA).decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    code, column = header.index("old_la_code"), header.index("rate_per_10000")
    bad = lines[:1]
    for line in lines[1:]:
        cells = line.split(",")
        if cells[code] == "831" and len(cells) == len(header):
            cells[column] = "eighty"
            line = ",".join(cells)
        elif cells[code] == "830" and len(cells) == len(header):
            cells[code] = "999"
            line = ",".join(cells)
        bad.append(line)
    client.force_login(lead)
    upload(client, world, ("\n".join(bad) + "\n").encode())
    data_import = the_import()
    assert data_import.state == DataImport.State.CHECKED  # the rest can load
    reasons = {refusal["reason"] for refusal in data_import.report["refused"]}
    assert any("eighty" in reason for reason in reasons)
    assert any("999" in reason for reason in reasons)
    assert data_import.report["refused_count"] == len(data_import.report["refused"]) > 1
    page = client.get(
        reverse(
            "benchmarking:import_detail",
            kwargs={"alliance": world.em.slug, "data_import": data_import.pk},
        )
    ).content.decode()
    assert "Rows refused" in page
    assert "eighty" in page


def test_a_file_of_unknown_councils_only_is_refused_whole(client, world, loaded, lead):
    lines = shipped_bytes(NEIGHBOURS).decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    code = header.index("LA num") if "LA num" in header else header.index("old_la_code")
    rows = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        cells[code] = "999"
        rows.append(",".join(cells))
    client.force_login(lead)
    upload(client, world, ("\n".join(rows) + "\n").encode(), name="neighbours.csv")
    data_import = the_import()
    assert data_import.state == DataImport.State.REFUSED
    assert "Nothing in the file can be loaded" in data_import.refusal
    assert not Neighbour.objects.filter(alliance__isnull=False).exists()


def test_a_neighbour_file_gives_the_alliance_its_own_groups(client, world, loaded, lead):
    client.force_login(lead)
    upload(client, world, shipped_bytes(NEIGHBOURS), name="sn.csv", model="2025")
    data_import = the_import()
    assert data_import.kind == DataImport.Kind.NEIGHBOURS
    assert data_import.report["councils_matched"] == 153
    client.post(
        reverse(
            "benchmarking:import_confirm",
            kwargs={"alliance": world.em.slug, "data_import": data_import.pk},
        )
    )
    assert Neighbour.objects.filter(alliance=world.em).count() == 1530
    assert Neighbour.objects.filter(alliance__isnull=True).count() == 1530
    em = neighbours_of(council("Derby"), alliance=world.em)
    assert {row.alliance_id for row in em} == {world.em.pk}
    london = neighbours_of(council("Derby"), alliance=world.london)
    assert {row.alliance_id for row in london} == {None}


def test_not_loading_a_checked_file_removes_it_and_changes_nothing(client, world, loaded, lead):
    client.force_login(lead)
    upload(client, world, derby_cla_2025_changed())
    data_import = the_import()
    stored = data_import.file.name
    response = client.post(
        reverse(
            "benchmarking:import_cancel",
            kwargs={"alliance": world.em.slug, "data_import": data_import.pk},
        )
    )
    assert response.status_code == 302
    data_import.refresh_from_db()
    assert data_import.state == DataImport.State.CANCELLED
    assert not data_import.file.storage.exists(stored)
    assert not Figure.objects.filter(alliance__isnull=False).exists()


@pytest.mark.parametrize("who", ["tier2", "dcs", "organiser", "coordinator", "admin"])
def test_only_the_data_lead_and_programme_managers_load_files(client, world, loaded, who):
    client.force_login(getattr(world, who))
    response = upload(client, world, derby_cla_2025_changed())
    assert response.status_code == 403
    with scopes_disabled():
        assert DataImport.objects.count() == 0


def test_the_programme_manager_loads_files_too(client, world, loaded):
    client.force_login(world.pm)
    assert upload(client, world, derby_cla_2025_changed()).status_code == 302


@pytest.mark.parametrize(("who", "status"), [("tier2", 403), ("dcs", 403), ("coordinator", 200)])
def test_who_reads_the_imports_page(client, world, who, status):
    client.force_login(getattr(world, who))
    assert client.get(imports_url(world)).status_code == status


def test_the_upload_form_is_shown_only_to_those_who_may_load(client, world, lead):
    client.force_login(world.coordinator)
    assert 'type="file"' not in client.get(imports_url(world)).content.decode()
    client.force_login(lead)
    assert 'type="file"' in client.get(imports_url(world)).content.decode()


def test_another_alliances_import_is_not_found(client, world, loaded, lead):
    client.force_login(lead)
    upload(client, world, derby_cla_2025_changed())
    data_import = the_import()
    client.force_login(world.outsider)
    url = reverse(
        "benchmarking:import_detail",
        kwargs={"alliance": world.london.slug, "data_import": data_import.pk},
    )
    assert client.get(url).status_code == 404


# The queue ---------------------------------------------------------------------------------


def stuck(world, lead, **fields) -> DataImport:
    from django.core.files.base import ContentFile

    data_import = DataImport(
        alliance=world.em,
        file_name="cla.csv",
        size=10,
        kind=DataImport.Kind.FIGURES,
        uploaded_by=lead,
        **fields,
    )
    data_import.file.save("upload", ContentFile(derby_cla_2025_changed()), save=False)
    with scope(alliance=world.em):
        data_import.save()
    return data_import


def test_the_reaper_checks_an_import_the_broker_lost(world, loaded, lead):
    data_import = stuck(world, lead, uploaded_at=timezone.now() - timedelta(minutes=5))
    with scopes_disabled():
        assert imports_reap() == 1
    data_import.refresh_from_db()
    assert data_import.state == DataImport.State.CHECKED
    with scopes_disabled():
        assert imports_reap() == 0


def test_a_live_lease_is_left_alone_and_an_import_that_keeps_dying_is_refused(world, loaded, lead):
    data_import = stuck(world, lead, started_at=timezone.now(), attempts=1)
    with scopes_disabled():
        assert import_claim(import_id=data_import.pk) is None  # another worker holds it
        DataImport.objects.filter(pk=data_import.pk).update(
            started_at=timezone.now() - timedelta(hours=1), attempts=3
        )
        assert import_claim(import_id=data_import.pk) is None
    data_import.refresh_from_db()
    assert data_import.state == DataImport.State.REFUSED
    assert "stopped before it finished 3 times" in data_import.refusal


def test_a_finished_import_is_not_claimed_again(world, loaded, lead):
    data_import = stuck(world, lead, state=DataImport.State.LOADED)
    with scopes_disabled():
        assert import_claim(import_id=data_import.pk) is None


META = (
    b"col_name,col_type,label,indicator_grouping,indicator_unit,indicator_dp,filter_hint\n"
    b"population_type,Filter,Population,,,,\n"
    b"rate_per_10000,Indicator,Rate of children looked after per 10000,,,0,\n"
)


def test_a_metadata_file_confirms_the_columns_read(client, world, loaded, lead):
    client.force_login(lead)
    meta = SimpleUploadedFile("cla.meta.csv", META, content_type="text/csv")
    upload(client, world, derby_cla_2025_changed(), meta=meta)
    data_import = the_import()
    assert data_import.state == DataImport.State.CHECKED
    assert data_import.report["meta"] == [
        "rate_per_10000: “Rate of children looked after per 10000”"
    ]
    page = client.get(
        reverse(
            "benchmarking:import_detail",
            kwargs={"alliance": world.em.slug, "data_import": data_import.pk},
        )
    ).content.decode()
    assert "cla.meta.csv" in page


def test_a_metadata_file_that_contradicts_the_catalogue_refuses_the_import(
    client, world, loaded, lead
):
    client.force_login(lead)
    meta = SimpleUploadedFile(
        "cla.meta.csv", META.replace(b"rate_per_10000,Indicator", b"rate_per_10000,Filter")
    )
    upload(client, world, derby_cla_2025_changed(), meta=meta)
    data_import = the_import()
    assert data_import.state == DataImport.State.REFUSED
    assert "says the column rate_per_10000 is a filter, not an indicator" in data_import.refusal


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,value\n", "The metadata file is not a DfE .meta.csv file"),
        (b"PK\x03\x04" + b"\x00" * 50, "not a CSV file"),
    ],
)
def test_a_file_that_is_not_metadata_is_refused_next_to_its_field(
    client, world, loaded, lead, content, message
):
    client.force_login(lead)
    meta = SimpleUploadedFile("cla.meta.csv", content)
    page = upload(client, world, derby_cla_2025_changed(), meta=meta).content.decode()
    assert message in page
    assert 'href="#id_meta"' in page
    with scopes_disabled():
        assert DataImport.objects.count() == 0
