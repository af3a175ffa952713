"""Check an uploaded evidence document before it is stored.

The type is sniffed from the content, never from the file name or the content type the browser
sent. Only PDFs, Word/Excel/PowerPoint and OpenDocument files without macros, legacy (97-2003)
Office files and plain-text CSV files are allowed; executables, scripts and HTML/SVG are refused
whatever they are called. Then the file name must end in an extension that fits the real type.

ZIP-based files (.docx, .xlsx, .pptx, .odt, .ods, .odp) are checked for decompression bombs
twice: first from their declared sizes (cheap, refuses the honest bombs at once), then by
inflating every entry from its raw bytes in chunks with a running cap on the real output. The
sizes an archive declares are never trusted: zipfile stops reading an entry at its declared
size, so a header that says 1 KB over data that expands to 1 GB would pass any check that reads
through zipfile, and be stored for someone's Word (or a later indexer) to expand. An entry that
expands past what it declares, past the ratio or past the total cap is refused as soon as the
running count says so; nothing more is inflated. Nested archives inside them are not opened, so
they are not checked (we never extract them).

Every refusal is a ValidationError with one message for the person uploading (GOV.UK style:
what is wrong and how to fix it).
"""

import codecs
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError

MB = 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_UNCOMPRESSED_BYTES = 200 * MB
MAX_ZIP_RATIO = 100  # uncompressed / compressed
ZIP_RATIO_FROM_BYTES = 1 * MB  # small XML parts legitimately compress very well
MAX_ENTRY_READ_BYTES = 1 * MB  # the most we decompress from any entry we read
HEAD_BYTES = 1024  # sniffed for magic numbers and markup
INFLATE_CHUNK = 256 * 1024  # the most we inflate (or read raw) in one step

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Windows (MZ), Linux (ELF), Mach-O and "#!" scripts.
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xfe\xed\xfa\xce")
EXECUTABLE_MAGIC += (b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe")
# HTML and SVG, which a browser could run: a tag (not "<headteacher@...") in the first HEAD_BYTES.
MARKUP = re.compile(rb"<(?:!doctype\s+html|html|head|body|script|iframe|svg)[\s/>]", re.IGNORECASE)


@dataclass(frozen=True)
class FileKind:
    """An allowed type of file, as sniffed from its content."""

    key: str  # pdf, docx, xlsx, pptx, odt, ods, odp, doc_legacy (OLE2: .doc/.xls/.ppt), csv
    label: str
    content_type: str  # the MIME type we serve it with
    extensions: tuple[str, ...]  # allowed file name endings, lower case


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
_LEGACY_OFFICE = "Microsoft Office 97\N{EN DASH}2003 file"
_KINDS = (
    ("pdf", "PDF", "application/pdf", ".pdf"),
    ("docx", "Word document", _OOXML + "wordprocessingml.document", ".docx"),
    ("xlsx", "Excel spreadsheet", _OOXML + "spreadsheetml.sheet", ".xlsx"),
    ("pptx", "PowerPoint presentation", _OOXML + "presentationml.presentation", ".pptx"),
    ("odt", "OpenDocument text document", _ODF + "text", ".odt"),
    ("ods", "OpenDocument spreadsheet", _ODF + "spreadsheet", ".ods"),
    ("odp", "OpenDocument presentation", _ODF + "presentation", ".odp"),
    # One kind for .doc/.xls/.ppt, as the container does not say which: serve it as a download.
    ("doc_legacy", _LEGACY_OFFICE, "application/octet-stream", ".doc .xls .ppt"),
    ("csv", "CSV file", "text/csv", ".csv"),
)
ALLOWED_KINDS: dict[str, FileKind] = {
    key: FileKind(key, label, content_type, tuple(extensions.split()))
    for key, label, content_type, extensions in _KINDS
}
OOXML_MAIN_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
ODF_MIMETYPES = {_ODF + "text": "odt", _ODF + "spreadsheet": "ods", _ODF + "presentation": "odp"}
# Root storage CLSIDs of Windows Installer packages, patches and transforms (also OLE2).
INSTALLER_CLSIDS = {bytes([b, 0x10, 0x0C, 0]) for b in (0x84, 0x86, 0x82)}
CLSID_TAIL = bytes.fromhex("00000000c000000000000046")
# A password-protected .docx/.xlsx/.pptx is an OLE2 file with this stream (UTF-16 name).
ENCRYPTED_PACKAGE = "EncryptedPackage\0".encode("utf-16-le")

NOT_ALLOWED = "The selected file must be a PDF, Word, Excel, PowerPoint, OpenDocument or CSV file"
DAMAGED = "The selected file is damaged. Open it, save it again and then upload it"
PROTECTED = "The selected file is password protected. Remove the password and upload it again"
EXPANDS = (
    "The selected file cannot be opened safely: it expands to far more data than its size. "
    "Save it again and upload it"
)
TOO_MANY_PARTS = (
    "The selected file cannot be opened safely: it is made up of too many parts. "
    "Save it again and upload it"
)


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _size(n: int) -> str:
    if n >= MB:
        return f"{round(n / MB, 1):g} MB"
    return f"{round(n / 1024):g} KB" if n >= 1024 else f"{n} bytes"


def accept_attribute() -> str:
    """The value for <input type="file" accept="..."> (a hint to the browser, not a check)."""
    return ",".join(ext for kind in ALLOWED_KINDS.values() for ext in kind.extensions)


def _size_check(upload, *, max_bytes: int) -> None:
    """Refuse an empty file, and one over the cap (documents and images alike)."""
    if not upload.size:
        raise _refuse("The selected file is empty", "empty")
    if upload.size > max_bytes:
        raise _refuse(f"The selected file must be smaller than {_size(max_bytes)}", "too_big")


def upload_check(upload, *, max_bytes: int) -> FileKind:
    """Sniff the type from the content, refuse what is not allowed, and return the kind.

    Raises ValidationError with one user-facing message. Leaves `upload` at position 0.
    """
    _size_check(upload, max_bytes=max_bytes)
    try:
        upload.seek(0)
        kind = _sniff(upload, upload.read(HEAD_BYTES))
    finally:
        upload.seek(0)
    _check_name(upload.name or "", kind)
    return kind


def _sniff(upload, head: bytes) -> FileKind:
    if head.startswith(EXECUTABLE_MAGIC) or MARKUP.search(head):
        raise _refuse(NOT_ALLOWED, "not_allowed")
    if head.startswith(PDF_MAGIC):
        return ALLOWED_KINDS["pdf"]
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(upload)
    if head.startswith(OLE2_MAGIC):
        return _sniff_ole2(upload, head)
    if _is_text(upload):
        return ALLOWED_KINDS["csv"]
    raise _refuse(NOT_ALLOWED, "not_allowed")


def _sniff_zip(upload) -> FileKind:
    try:
        # Parsing the central directory is bounded by the file size (max_bytes).
        with zipfile.ZipFile(upload) as archive:
            _check_expansion(archive.infolist(), upload.size)
            _check_real_expansion(upload, archive.infolist(), upload.size)
            entries = {info.filename.lower(): info for info in archive.infolist()}
            if "[content_types].xml" in entries:
                return _sniff_ooxml(archive, entries)
            if "mimetype" in entries:
                mimetype = _read(archive, entries["mimetype"], 100).decode("ascii", "replace")
                if key := ODF_MIMETYPES.get(mimetype):
                    return ALLOWED_KINDS[key]
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError):
        raise _refuse(DAMAGED, "damaged") from None
    raise _refuse(NOT_ALLOWED, "not_allowed")  # a plain zip, jar, apk, epub, template...


def _check_expansion(infos: list[zipfile.ZipInfo], archive_bytes: int) -> None:
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _refuse(TOO_MANY_PARTS, "unsafe")
    total = sum(info.file_size for info in infos)
    if total > MAX_ZIP_UNCOMPRESSED_BYTES:
        raise _too_big()
    bombs = (
        info.file_size > ZIP_RATIO_FROM_BYTES
        and info.file_size / max(info.compress_size, 1) > MAX_ZIP_RATIO
        for info in infos
    )
    if (total > ZIP_RATIO_FROM_BYTES and total / archive_bytes > MAX_ZIP_RATIO) or any(bombs):
        raise _refuse(EXPANDS, "unsafe")


def _check_real_expansion(upload, infos: list[zipfile.ZipInfo], archive_bytes: int) -> None:
    """Inflate every entry from its raw bytes, counting what really comes out.

    Refuses an entry that expands past its declared size (a lying header), past the ratio, or
    the archive past the total cap, as soon as the running count crosses the line.
    """
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _refuse(PROTECTED, "password")
        real = 0
        for chunk in _inflate(upload, info):
            real += len(chunk)
            total += len(chunk)
            if real > info.file_size:
                raise _refuse(EXPANDS, "unsafe")  # the header lies about the size
            if total > MAX_ZIP_UNCOMPRESSED_BYTES:
                raise _too_big()
            if real > ZIP_RATIO_FROM_BYTES and real / max(info.compress_size, 1) > MAX_ZIP_RATIO:
                raise _refuse(EXPANDS, "unsafe")
            if total > ZIP_RATIO_FROM_BYTES and total / archive_bytes > MAX_ZIP_RATIO:
                raise _refuse(EXPANDS, "unsafe")
        if real != info.file_size:
            raise _refuse(DAMAGED, "damaged")


def _inflate(upload, info: zipfile.ZipInfo):
    """Yield an entry's decompressed bytes, at most INFLATE_CHUNK at a time, read from the raw
    data after its local header (never through zipfile, which trusts the declared size)."""
    upload.seek(info.header_offset)
    local = upload.read(30)
    if len(local) != 30 or local[:4] != ZIP_MAGIC:
        raise _refuse(DAMAGED, "damaged")
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    upload.seek(info.header_offset + 30 + name_length + extra_length)
    if info.compress_type == zipfile.ZIP_STORED:
        inflater = None
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    else:  # Office and OpenDocument write only stored and deflated entries
        raise _refuse(NOT_ALLOWED, "not_allowed")
    left = info.compress_size
    while left > 0:
        raw = upload.read(min(INFLATE_CHUNK, left))
        if not raw:
            raise _refuse(DAMAGED, "damaged")  # shorter than its header says
        left -= len(raw)
        if inflater is None:
            yield raw
            continue
        data = raw
        while data and not inflater.eof:
            yield inflater.decompress(data, INFLATE_CHUNK)
            data = inflater.unconsumed_tail
        if inflater.eof:
            break
    if inflater is not None and not inflater.eof:
        raise _refuse(DAMAGED, "damaged")


def _too_big() -> ValidationError:
    limit = _size(MAX_ZIP_UNCOMPRESSED_BYTES)
    return _refuse(
        f"The selected file cannot be opened safely: it expands to more than {limit}. "
        "Make it smaller, for example by compressing its pictures, and upload it again",
        "unsafe",
    )


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Decompress at most `limit` + 1 bytes of an entry, in chunks, whatever its header says."""
    if info.flag_bits & 0x1:
        raise _refuse(PROTECTED, "password")
    chunks, total = [], 0
    with archive.open(info) as entry:
        while total <= limit and (chunk := entry.read(min(64 * 1024, limit + 1 - total))):
            chunks.append(chunk)
            total += len(chunk)
    return b"".join(chunks)


def _sniff_ooxml(archive: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo]) -> FileKind:
    content_types = _read(archive, entries["[content_types].xml"], MAX_ENTRY_READ_BYTES)
    if len(content_types) > MAX_ENTRY_READ_BYTES:
        raise _refuse(EXPANDS, "unsafe")
    macros = b"macroenabled" in content_types.lower() or any(
        name.rsplit("/", 1)[-1] == "vbaproject.bin" for name in entries
    )
    for key, part in OOXML_MAIN_PARTS.items():
        if part in entries:
            if macros:
                ext = ALLOWED_KINDS[key].extensions[0]
                raise _refuse(
                    f"The selected file must not contain macros. Save it as {ext} without "
                    "macros and upload it again",
                    "macros",
                )
            _read(archive, entries[part], 4096)  # it must at least start to decompress
            return ALLOWED_KINDS[key]
    raise _refuse(NOT_ALLOWED, "not_allowed")  # e.g. .xlsb, .vsdx, .3mf


def _sniff_ole2(upload, head: bytes) -> FileKind:
    shift = int.from_bytes(head[30:32], "little")
    if shift in (9, 12):  # 512- or 4096-byte sectors: read the root entry's CLSID
        upload.seek(((int.from_bytes(head[48:52], "little") + 1) << shift) + 80)
        clsid = upload.read(16)
        if clsid[:4] in INSTALLER_CLSIDS and clsid[4:] == CLSID_TAIL:
            raise _refuse(NOT_ALLOWED, "not_allowed")
    upload.seek(0)
    # Directory entries are 128-byte aligned, and so are our 1 MB chunks.
    while chunk := upload.read(MB):
        at = chunk.find(ENCRYPTED_PACKAGE)
        while at != -1:
            if at % 128 == 0:
                raise _refuse(PROTECTED, "password")
            at = chunk.find(ENCRYPTED_PACKAGE, at + 1)
    return ALLOWED_KINDS["doc_legacy"]


def _is_text(upload) -> bool:
    """No NUL bytes, and the whole file decodes as UTF-8 (with or without BOM) or Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        upload.seek(0)
        try:
            while chunk := upload.read(MB):
                if b"\0" in chunk:
                    return False
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _check_name(name: str, kind: FileKind) -> None:
    if name.lower().endswith(kind.extensions):
        return
    if kind.key == "csv":
        raise _refuse(f"{NOT_ALLOWED}. If it is a CSV file, its name must end in .csv", "name")
    stem, _, ext = name.rpartition(".")
    if stem and ext and not {"/", "\\"} & set(ext):
        ending = f"ends in .{ext.lower()}"
    else:
        *others, last = kind.extensions
        ending = f"does not end in {', '.join(others) + ' or ' if others else ''}{last}"
    article = "an" if kind.label[0] in "AEIOU" else "a"
    raise _refuse(
        f"The selected file is {article} {kind.label} but its name {ending}. "
        "Rename it or choose another file",
        "name",
    )


# Images: an alliance's logo for its reports (peerchallenge.services.alliance_logo). PNG and
# JPEG only: a PDF embeds them as they are; SVG is markup and refused with the rest.
IMAGE_KINDS = {"png": (b"\x89PNG\r\n\x1a\n", "image/png"), "jpeg": (b"\xff\xd8\xff", "image/jpeg")}
IMAGE_NOT_ALLOWED = "The selected file must be a PNG or JPEG image"


def image_check(upload, *, max_bytes: int, max_side: int, min_side: int) -> str:
    """Sniff a PNG or JPEG from its content, cap its size, and check its dimensions with
    Pillow from the header (before decoding, so a small file that claims a huge picture is
    refused unread). Returns the content type; raises ValidationError with one message."""
    # Pillow is loaded where an image is checked, not by every page that imports this module.
    from PIL import Image, UnidentifiedImageError

    _size_check(upload, max_bytes=max_bytes)
    try:
        upload.seek(0)
        head = upload.read(16)
        kind = next((key for key, (magic, _) in IMAGE_KINDS.items() if head.startswith(magic)), "")
        if not kind:
            raise _refuse(IMAGE_NOT_ALLOWED, "not_allowed")
        upload.seek(0)
        try:
            with Image.open(upload, formats=[kind.upper()]) as image:
                width, height = image.size
                if max(width, height) > max_side:
                    raise _refuse(
                        f"The selected image must be at most {max_side} pixels wide and high",
                        "too_large",
                    )
                if min(width, height) < min_side:
                    raise _refuse(
                        f"The selected image must be at least {min_side} pixels wide and high",
                        "too_small",
                    )
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise _refuse(DAMAGED, "damaged") from error
    finally:
        upload.seek(0)
    return IMAGE_KINDS[kind][1]
