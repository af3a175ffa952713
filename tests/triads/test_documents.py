"""Evidence documents: uploaded by a council to its triad, read by whoever sees the triad,
every download logged; bad files refused with a clear message and nothing stored."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from peerchallenge.models import AccessLog, Document, DocumentVersion, LocalAuthority, Role
from tests.factories import MembershipFactory, UserFactory, council
from tests.triads.factories import CycleFactory, make_triads
from tests.zipbomb import lying_docx

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx(body: bytes = b"<w:document/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", body)
    return buffer.getvalue()


@pytest.fixture
def setup(world):
    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    cycle = CycleFactory(alliance=world.em)
    triad1, triad2, _ = make_triads(cycle, [em[:3], em[4:7], [em[3], *em[7:]]])
    lincs = UserFactory(full_name="Lin Lincs")
    MembershipFactory(
        alliance=world.em, user=lincs, role=Role.DCS, local_authority=council("Lincolnshire")
    )
    return cycle, triad1, triad2, lincs


def url(world, cycle, triad, name, **kwargs):
    return reverse(
        f"triads:{name}",
        kwargs={"alliance": world.em.slug, "cycle": cycle.pk, "triad": triad.pk, **kwargs},
    )


def upload(client, world, cycle, triad, name, content, title="Self-evaluation"):
    return client.post(
        url(world, cycle, triad, "document_upload"),
        {"title": title, "file": SimpleUploadedFile(name, content)},
    )


def test_council_uploads_versions_and_the_triad_downloads_with_a_log(client, world, setup):
    cycle, triad1, _, _ = setup
    client.force_login(world.organiser)  # Derby, in triad 1
    assert upload(client, world, cycle, triad1, "self-evaluation.pdf", PDF).status_code == 302
    assert (
        upload(client, world, cycle, triad1, "self-evaluation-v2.docx", docx()).status_code == 302
    )
    with scopes_disabled():
        document = Document.objects.get()
        versions = list(document.versions.order_by("number"))
    assert [(v.number, v.kind, v.original_name) for v in versions] == [
        (1, "pdf", "self-evaluation.pdf"),
        (2, "docx", "self-evaluation-v2.docx"),
    ]
    page = client.get(url(world, cycle, triad1, "triad_detail")).content.decode()
    assert "Self-evaluation" in page and "Version 1" in page
    # The programme manager downloads version 1: the bytes come back and the access is logged.
    client.force_login(world.pm)
    response = client.get(
        url(world, cycle, triad1, "document_download", document=document.pk, version=1)
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="self-evaluation.pdf"'
    with scopes_disabled():
        log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_repr) == (
        world.pm,
        "download",
        "Self-evaluation (version 1)",
    )


def test_document_outside_my_triad_is_404_and_not_logged(client, world, setup):
    cycle, triad1, _, lincs = setup
    client.force_login(world.organiser)
    upload(client, world, cycle, triad1, "self-evaluation.pdf", PDF)
    with scopes_disabled():
        document = Document.objects.get()
    client.force_login(lincs)  # Lincolnshire: another triad
    download = url(world, cycle, triad1, "document_download", document=document.pk, version=1)
    assert client.get(download).status_code == 404
    client.force_login(world.tier2)
    assert client.get(download).status_code == 404
    with scopes_disabled():
        assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "must be a PDF"),
        ("empty.pdf", b"", "empty"),
        ("report.docx", PDF, "is a PDF"),
        ("bomb.docx", docx(b"\x00" * (30 * 1024 * 1024)), "cannot be opened safely"),
        # Declares 1 KB, expands past 1 GB: only counting the real output finds it.
        ("lying.docx", lying_docx(), "cannot be opened safely: it expands to far more data"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(client, world, setup, name, content, message):
    cycle, triad1, _, _ = setup
    client.force_login(world.organiser)
    response = upload(client, world, cycle, triad1, name, content, title="My evidence")
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert 'value="My evidence"' in response.content.decode()  # the title is kept
    with scopes_disabled():
        assert not DocumentVersion.objects.exists()


def test_oversize_file_is_refused(client, world, setup, settings):
    settings.PEERCHALLENGE_UPLOAD_MAX_BYTES = 1024 * 1024
    cycle, triad1, _, _ = setup
    client.force_login(world.organiser)
    response = upload(client, world, cycle, triad1, "big.pdf", PDF + b"0" * (2 * 1024 * 1024))
    assert "smaller than 1 MB" in response.context["form"].errors["file"][0]


def test_only_the_triads_councils_upload(client, world, setup):
    cycle, triad1, _, lincs = setup
    client.force_login(world.pm)
    assert client.get(url(world, cycle, triad1, "document_upload")).status_code == 403
    client.force_login(lincs)
    assert client.get(url(world, cycle, triad1, "document_upload")).status_code == 404


def test_files_are_stored_outside_any_url(world, setup, settings):
    cycle, _, _, _ = setup
    from peerchallenge.services import document_upload

    with scope(alliance=world.em):
        version = document_upload(
            challenge=cycle,
            local_authority=council("Derby"),
            title="Plan",
            upload=SimpleUploadedFile("plan.pdf", PDF),
            uploaded_by=world.organiser,
        )
    assert settings.STORAGES["default"]["OPTIONS"]["base_url"] is None
    assert not version.file.name.endswith(".pdf")  # a random name, not the uploaded one
    assert str(settings.STATIC_ROOT) not in version.file.path
