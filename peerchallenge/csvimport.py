"""Reading an uploaded CSV file, bounded, for every import in the app.

An import hands its upload to `csv_read` with the columns it needs. What comes back is a list
of rows (each a dict of the named columns, with the line number it came from); anything wrong
with the file as a whole, or with any row's shape, is a `CsvError` carrying every problem with
its line number, so the import can refuse the file before it writes anything. Checked here,
once: an empty or oversize file, a file that is not text (a spreadsheet, a PDF, NUL bytes),
the encoding (UTF-8 with or without BOM, or Windows-1252 as Excel saves it), the header
(every column named exactly once, no column we do not know), each row's length against the
header, and each value's length. The csv module's own errors (an unterminated quote, its
131,072-character field limit) become a line's message too, never a 500.

What each value means (is it a council? a date?) is the import's business; it reports those
problems with the same line numbers through `CsvError` as well.
"""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError

MAX_CELL_CHARS = 1000
MAX_ROWS = 10_000
MAX_MESSAGES = 20  # more than this and the file is plainly the wrong one: say how many more
NOT_CSV_MAGIC = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"MZ", b"\x7fELF")


@dataclass(frozen=True)
class CsvRow:
    line: int  # in the file, counting the header as line 1
    values: dict[str, str]  # the named columns, stripped

    def __getitem__(self, column: str) -> str:
        return self.values[column]


class CsvError(ValidationError):
    """The file is refused. `problems` is [(line or None, message)], for a table; `messages`
    (ValidationError's) says the same in sentences, for a form's error summary."""

    def __init__(self, problems: list[tuple[int | None, str]]):
        self.problems = list(problems)
        shown = self.problems[:MAX_MESSAGES]
        messages = [f"Line {line}: {text}" if line else text for line, text in shown]
        if len(self.problems) > MAX_MESSAGES:
            messages.append(f"…and {len(self.problems) - MAX_MESSAGES} more problems.")
        super().__init__(messages)


def _size(n: int) -> str:
    mb = n / (1024 * 1024)
    return f"{mb:g} MB" if mb >= 1 else f"{max(1, round(n / 1024))} KB"


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvError([(None, "The file is not a CSV file we can read. Save it as CSV UTF-8.")])


def csv_read(
    *,
    upload,
    columns: tuple[str, ...],
    max_bytes: int,
    max_rows: int = MAX_ROWS,
    max_cell_chars: int = MAX_CELL_CHARS,
) -> list[CsvRow]:
    """Read the whole upload (at most `max_bytes`) and return its rows, or raise CsvError
    listing every problem with its line. Writes nothing; the upload is read once."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise CsvError([(None, f"The file must be smaller than {_size(max_bytes)}.")])
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:  # a size that lied, or none given
        raise CsvError([(None, f"The file must be smaller than {_size(max_bytes)}.")])
    if not content.strip():
        raise CsvError([(None, "The file is empty.")])
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvError([(None, "The file is saved as UTF-16. Save it as CSV UTF-8.")])
    if content.startswith(NOT_CSV_MAGIC) or b"\0" in content:
        raise CsvError(
            [(None, "The file must be a CSV file. If it is a spreadsheet, save it as CSV UTF-8.")]
        )
    reader = csv.reader(io.StringIO(_decode(content), newline=""))
    problems: list[tuple[int | None, str]] = []
    try:
        header = next(reader, [])
    except csv.Error as error:
        raise CsvError([(1, f"The header row cannot be read ({error}).")]) from None
    names = [name.strip().lower() for name in header]
    expected = ", ".join(columns)
    missing = [column for column in columns if column not in names]
    unknown = [name or "(blank)" for name in names if name not in columns]
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if missing:
        problems.append((1, f"The header row has no column {', '.join(missing)}."))
    if unknown:
        problems.append((1, f"The header row has columns we do not know: {', '.join(unknown)}."))
    if repeated:
        problems.append((1, f"The header row names {', '.join(repeated)} more than once."))
    if problems:
        problems.append((1, f"The first row must name exactly these columns: {expected}."))
        raise CsvError(problems)

    rows: list[CsvRow] = []
    line = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            line = reader.line_num
            if "field larger than field limit" in str(error):
                problems.append((line, f"A value is longer than {max_cell_chars} characters."))
            else:
                problems.append((line, f"This line cannot be read as CSV ({error})."))
            break  # the reader cannot go on after an error: report what we have
        line = reader.line_num
        if not any(value.strip() for value in record):
            continue  # blank lines, as spreadsheets leave at the end
        if len(rows) >= max_rows:
            problems.append((line, f"The file has more than {max_rows:,} rows. Split it."))
            break
        if len(record) != len(names):
            more_or_fewer = "more" if len(record) > len(names) else "fewer"
            problems.append(
                (
                    line,
                    f"This row has {len(record)} values, {more_or_fewer} than the "
                    f"{len(names)} columns of the header ({expected}).",
                )
            )
            continue
        values = dict(zip(names, record, strict=True))
        long = [name for name, value in values.items() if len(value) > max_cell_chars]
        if long:
            problems.append((line, f"The {long[0]} is longer than {max_cell_chars} characters."))
            continue
        rows.append(CsvRow(line, {name: value.strip() for name, value in values.items()}))
    if problems:
        raise CsvError(problems)
    if not rows:
        raise CsvError([(None, "The file has a header row but nothing under it.")])
    return rows
