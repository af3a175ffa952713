"""Upload checks: the type comes from the content, the name must fit it, and zip bombs,
executables, scripts and markup are refused whatever they are called. Files are built in memory."""

import io
import os
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from peerchallenge import uploads
from peerchallenge.uploads import ALLOWED_KINDS, accept_attribute, upload_check
from tests.zipbomb import lying_docx

MB = 1024 * 1024
MAX = 25 * MB
NOT_ALLOWED = "The selected file must be a PDF, Word, Excel, PowerPoint, OpenDocument or CSV file"
EXPANDS = (
    "The selected file cannot be opened safely: it expands to far more data than its size. "
    "Save it again and upload it"
)
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML = "application/vnd.openxmlformats-officedocument."
MAIN_PARTS = {
    "docx": ("word/document.xml", OOXML + "wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", OOXML + "spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml", OOXML + "presentationml.presentation.main+xml"),
}


def _zip(entries, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def _ooxml(kind="docx", *, main=b'<?xml version="1.0"?><document/>', extra=(), content_type=None):
    part, default_type = MAIN_PARTS[kind]
    content_types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/{part}" ContentType="{content_type or default_type}"'
        "/></Types>"
    )
    return _zip([("[Content_Types].xml", content_types), (part, main), *extra])


def _odf(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>')
    return buffer.getvalue()


def _ole2(directory_entry: bytes = b"", clsid: bytes = bytes(16)) -> bytes:
    """A compound file header (512-byte sectors, directory in sector 0) and one directory sector
    whose root entry has `clsid`, followed by `directory_entry` as the second entry."""
    header = bytearray(OLE2 + bytes(504))
    header[30:32] = (9).to_bytes(2, "little")
    header[48:52] = (0).to_bytes(4, "little")
    root = bytearray("Root Entry".encode("utf-16-le").ljust(128, b"\0"))
    root[80:96] = clsid
    return bytes(header) + (bytes(root) + directory_entry.ljust(128, b"\0")).ljust(512, b"\0")


def _check(name: str, content: bytes, max_bytes: int = MAX):
    return upload_check(SimpleUploadedFile(name, content), max_bytes=max_bytes)


def _refusal(name: str, content: bytes, max_bytes: int = MAX) -> str:
    # Every refusal names the file the same way; the callers assert the whole message.
    with pytest.raises(ValidationError, match="The selected file ") as caught:
        _check(name, content, max_bytes)
    return caught.value.message


# Accepted


def test_pdf_is_accepted():
    assert _check("evidence.pdf", PDF).key == "pdf"


def test_extension_is_case_insensitive():
    assert _check("EVIDENCE.PDF", PDF).key == "pdf"


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pptx"])
def test_ooxml_is_accepted_by_main_part(kind):
    found = _check(f"evidence.{kind}", _ooxml(kind))
    assert found == ALLOWED_KINDS[kind]
    assert found.key == kind


@pytest.mark.parametrize("kind", ["text", "spreadsheet", "presentation"])
def test_odf_is_accepted_by_mimetype(kind):
    key = {"text": "odt", "spreadsheet": "ods", "presentation": "odp"}[kind]
    content = _odf(f"application/vnd.oasis.opendocument.{kind}")
    assert _check(f"evidence.{key}", content).key == key


@pytest.mark.parametrize("name", ["minutes.doc", "figures.xls", "slides.ppt"])
def test_ole2_is_accepted_as_legacy_office(name):
    assert _check(name, OLE2 + bytes(2048)).key == "doc_legacy"


def test_ole2_with_directory_is_accepted_as_legacy_office():
    assert _check("minutes.doc", _ole2("WordDocument".encode("utf-16-le"))).key == "doc_legacy"


def test_csv_utf8_is_accepted():
    content = "\ufeffcouncil,grade\nDerby,good\nNottingham,outstanding \N{EN DASH} 2026\n".encode()
    assert _check("grades.csv", content).key == "csv"


def test_csv_cp1252_is_accepted():
    content = "council,cost\nDerby,£1,200 café\n".encode("cp1252")
    assert _check("costs.csv", content).key == "csv"


def test_csv_with_email_in_angle_brackets_is_accepted():
    content = b"name,email\nHead,<headteacher@school.example>\n"
    assert _check("contacts.csv", content).key == "csv"


def test_upload_is_left_at_start_after_success():
    upload = SimpleUploadedFile("evidence.docx", _ooxml("docx"))
    upload.read(10)
    assert upload_check(upload, max_bytes=MAX).key == "docx"
    assert upload.tell() == 0
    assert upload.read(4) == b"PK\x03\x04"


@pytest.mark.parametrize("kind", ["docx", "csv"])
def test_large_upload_on_disk_is_checked(kind):
    # Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE arrive as temporary files, not in memory.
    content = _ooxml("docx") if kind == "docx" else b"council,grade\nDerby,good\n" * 200_000
    with TemporaryUploadedFile(f"evidence.{kind}", "", len(content), None) as upload:
        upload.write(content)
        assert upload_check(upload, max_bytes=MAX).key == kind
        assert upload.tell() == 0


def test_upload_is_left_at_start_after_refusal():
    upload = SimpleUploadedFile("evidence.docx", PDF)
    with pytest.raises(ValidationError, match="The selected file is a PDF but its name ends in"):
        upload_check(upload, max_bytes=MAX)
    assert upload.tell() == 0


# Size


def test_empty_file_is_refused():
    assert _refusal("evidence.pdf", b"") == "The selected file is empty"


def test_oversize_file_is_refused():
    assert _refusal("evidence.pdf", PDF, max_bytes=10) == (
        "The selected file must be smaller than 10 bytes"
    )


def test_oversize_message_gives_limit_in_mb():
    upload = SimpleUploadedFile("evidence.pdf", PDF)
    upload.size = MAX + 1
    with pytest.raises(
        ValidationError, match="The selected file must be smaller than 25 MB"
    ) as caught:
        upload_check(upload, max_bytes=MAX)
    assert caught.value.message == "The selected file must be smaller than 25 MB"


def test_file_of_exactly_max_bytes_is_accepted():
    assert _check("evidence.pdf", PDF, max_bytes=len(PDF)).key == "pdf"


# Executables, scripts and markup, whatever the name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evidence.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(56) + b"This program cannot be run"),
        ("evidence.pdf", b"\x7fELF\x02\x01\x01" + bytes(57)),
        ("evidence.csv", b"\x7fELF\x02\x01\x01" + bytes(57)),
        ("grades.csv", b"#!/bin/sh\nrm -rf /\n"),
        ("grades.csv", b"<!DOCTYPE html>\n<p>hello</p>"),
        ("grades.csv", b"  <HTML><body>hello</body></HTML>"),
        ("grades.csv", b"a,b\n1,<script>alert(1)</script>\n"),
        ("grades.csv", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("evidence.pdf", b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(56)),
    ],
    ids=[
        "exe-as-pdf",
        "elf-as-pdf",
        "elf-as-csv",
        "script",
        "doctype",
        "html",
        "script-tag",
        "svg",
        "macho",
    ],
)
def test_executable_or_markup_is_refused(name, content):
    assert _refusal(name, content) == NOT_ALLOWED


def test_binary_junk_is_refused():
    assert _refusal("evidence.csv", bytes(range(256)) * 4) == NOT_ALLOWED


def test_windows_installer_named_doc_is_refused():
    msi = bytes.fromhex("84100c0000000000c000000000000046")
    assert _refusal("minutes.doc", _ole2(clsid=msi)) == NOT_ALLOWED


# ZIP-based files


@pytest.mark.parametrize(
    "content",
    [
        _zip([("notes.txt", "hello")]),
        _zip([("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")]),
        _odf("application/epub+zip"),
        _odf("application/vnd.oasis.opendocument.text-template"),
        _zip([("[Content_Types].xml", "<Types/>"), ("xl/workbook.bin", b"\x00")]),
    ],
    ids=["plain", "jar", "epub", "odf-template", "xlsb"],
)
def test_other_zip_named_docx_is_refused(content):
    assert _refusal("evidence.docx", content) == NOT_ALLOWED


def test_docm_with_vba_project_is_refused():
    content = _ooxml("docx", extra=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")])
    assert _refusal("evidence.docx", content) == (
        "The selected file must not contain macros. Save it as .docx without macros and upload "
        "it again"
    )


def test_xlsm_content_type_is_refused():
    content_type = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    content = _ooxml("xlsx", content_type=content_type)
    assert _refusal("figures.xlsm", content) == (
        "The selected file must not contain macros. Save it as .xlsx without macros and upload "
        "it again"
    )


def test_damaged_zip_is_refused():
    assert _refusal("evidence.docx", b"PK\x03\x04" + os.urandom(2000)) == (
        "The selected file is damaged. Open it, save it again and then upload it"
    )


def test_truncated_docx_is_refused_as_damaged():
    content = _ooxml("docx")
    assert _refusal("evidence.docx", content[: len(content) // 2]).startswith(
        "The selected file is damaged"
    )


def test_zip_bomb_docx_is_refused():
    content = _ooxml("docx", main=bytes(50 * MB))
    assert len(content) < MB
    assert _refusal("evidence.docx", content) == EXPANDS


def test_zip_bomb_among_incompressible_parts_is_refused():
    # The archive as a whole expands little, but one entry expands 1,000 times.
    extra = [("word/media/image1.png", os.urandom(3 * MB)), ("word/media/bomb.xml", bytes(5 * MB))]
    assert _refusal("evidence.docx", _ooxml("docx", extra=extra)) == EXPANDS


def test_zip_with_too_many_entries_is_refused():
    extra = [(f"word/part{i}.xml", b"") for i in range(10_001)]
    content = _ooxml("docx", extra=extra)
    assert _refusal("evidence.docx", content) == (
        "The selected file cannot be opened safely: it is made up of too many parts. "
        "Save it again and upload it"
    )


def test_zip_expanding_past_limit_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_UNCOMPRESSED_BYTES", 1000)
    content = _ooxml("docx", main=os.urandom(2000))
    assert _refusal("evidence.docx", content) == (
        "The selected file cannot be opened safely: it expands to more than 1000 bytes. "
        "Make it smaller, for example by compressing its pictures, and upload it again"
    )


def test_oversized_content_types_is_not_read_whole():
    # Incompressible, so the ratios pass; the read cap must stop it.
    content = _zip(
        [("[Content_Types].xml", os.urandom(2 * MB)), ("word/document.xml", "<document/>")]
    )
    assert _refusal("evidence.docx", content) == EXPANDS


def test_lying_header_is_refused_by_the_real_size():
    # 5 MB of XML declared as 100 bytes: the declared sizes pass, the real count does not.
    content = bytearray(_ooxml("docx", main=b"<w:document>" + b" " * 5 * MB))
    entry = content.rindex(b"PK\x01\x02", 0, content.rindex(b"word/document.xml"))
    content[entry + 24 : entry + 28] = (100).to_bytes(4, "little")  # uncompressed size
    assert _refusal("evidence.docx", bytes(content)) == EXPANDS


def test_header_claiming_1_kb_over_a_gigabyte_is_refused_quickly():
    content = lying_docx(expands_to_mb=1025, declares=1024)
    assert len(content) < 2 * MB
    started = time.monotonic()
    assert _refusal("evidence.docx", content) == EXPANDS
    assert time.monotonic() - started < 2  # it stops counting at the first lie


def test_entry_expanding_less_than_it_declares_is_refused_as_damaged():
    content = bytearray(_ooxml("docx", main=b"<w:document>" + b" " * 1000))
    entry = content.rindex(b"PK\x01\x02", 0, content.rindex(b"word/document.xml"))
    content[entry + 24 : entry + 28] = (5000).to_bytes(4, "little")
    assert _refusal("evidence.docx", bytes(content)).startswith("The selected file is damaged")


def test_password_protected_ooxml_is_refused():
    entry = "EncryptedPackage".encode("utf-16-le")
    assert _refusal("evidence.docx", _ole2(entry)) == (
        "The selected file is password protected. Remove the password and upload it again"
    )


# The name must fit the content


def test_pdf_named_docx_is_refused():
    assert _refusal("evidence.docx", PDF) == (
        "The selected file is a PDF but its name ends in .docx. Rename it or choose another file"
    )


def test_xlsx_named_pdf_is_refused():
    assert _refusal("figures.pdf", _ooxml("xlsx")) == (
        "The selected file is an Excel spreadsheet but its name ends in .pdf. Rename it or choose "
        "another file"
    )


def test_legacy_office_without_extension_is_refused():
    assert _refusal("minutes", OLE2 + bytes(2048)) == (
        "The selected file is a Microsoft Office 97\N{EN DASH}2003 file but its name does not "
        "end in .doc, .xls or .ppt. Rename it or choose another file"
    )


def test_csv_named_txt_is_refused():
    assert _refusal("grades.txt", b"council,grade\nDerby,good\n") == (
        f"{NOT_ALLOWED}. If it is a CSV file, its name must end in .csv"
    )


# The accept attribute


def test_accept_attribute_lists_every_extension():
    assert accept_attribute() == ".pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp,.doc,.xls,.ppt,.csv"
