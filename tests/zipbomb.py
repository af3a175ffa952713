"""A .docx whose headers lie: small on disk, it declares 1 KB for an entry that expands past
1 GB. Built byte by byte (zipfile cannot write pre-compressed data, nor lie), so building it
costs a millisecond, not the gigabyte.

The bomb's deflate stream is one compressed megabyte of zeros repeated: after a full flush the
compressor starts afresh, so every repetition is the same bytes and the stream stays valid.
"""

import struct
import zlib

MB = 1024 * 1024
DEFLATED = 8  # the compression method number in a zip header
CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCUMENT = b'<?xml version="1.0"?><w:document/>'


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def _zeros_deflated(megabytes: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(bytes(MB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * megabytes + compressor.flush()


def _archive(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """entries: (name, raw deflate data, crc, declared uncompressed size)."""
    body, directory = b"", b""
    for name, raw, crc, declared in entries:
        encoded = name.encode()
        fields = (20, 0, DEFLATED, 0, 0, crc, len(raw), declared, len(encoded))
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0)
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            *fields,
            0,
            0,
            0,
            0,
            0,
            len(body),
        )
        directory += encoded
        body += local + encoded + raw
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(body), 0
    )
    return body + directory + end


def lying_docx(*, expands_to_mb: int = 1025, declares: int = 1024) -> bytes:
    """A Word document with a part declared as `declares` bytes that inflates to
    `expands_to_mb` megabytes of zeros (past 1 GB by default); about 1 MB on disk."""

    def honest(name, data):
        return (name, _deflate(data), zlib.crc32(data), len(data))

    return _archive(
        [
            honest("[Content_Types].xml", CONTENT_TYPES),
            honest("word/document.xml", DOCUMENT),
            # The checksum is of what it claims to hold: a reader that trusts the header stops
            # at `declares` bytes; only counting the real output finds the gigabyte.
            ("word/media/image1.xml", _zeros_deflated(expands_to_mb), 0, declares),
        ]
    )
