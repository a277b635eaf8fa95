"""Reading the rows of an uploaded sheet one at a time, so memory stays flat however long the
file is: XLSX through openpyxl's read-only mode, CSV through the csv module.

CSV files are read as Excel saves them on a Vietnamese Windows: UTF-8 with or without a byte
order mark, comma- or semicolon-separated; a Windows-1258 file ("CSV (Comma delimited)" of an
older Excel) is recognised by its Vietnamese letters and decoded, anything else is refused with
a message saying how to save the file again.
"""

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from programs.text import fold

from .values import text

# The first bytes read to decide a CSV file's encoding and separator.
SAMPLE_BYTES = 64 * 1024
# Letters that only Vietnamese text has once Windows-1258 is decoded: the vowels with a horn or
# breve, đ, and the combining tone marks that code page stores apart from the letter.
_VIETNAMESE_MARKS = set("ăâđêôơưĂÂĐÊÔƠƯ\u0300\u0301\u0303\u0309\u0323")


class FileError(ValueError):
    """The file as a whole cannot be read; ``str()`` says why and what to do."""


@dataclass(frozen=True)
class Row:
    """One data row: the number Excel shows for it and its cells by column position."""

    number: int
    cells: tuple


def file_kind(name: str) -> str:
    lower = (name or "").lower()
    if lower.endswith(".xlsx"):
        return "xlsx"
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return "csv"
    raise FileError(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))


def read_rows(stream, name: str) -> tuple[tuple, Iterator[Row]]:
    """The header row's cells and an iterator over the data rows (empty rows skipped, their
    numbers kept) of the file ``stream`` named ``name``."""
    rows = _xlsx_rows(stream) if file_kind(name) == "xlsx" else _csv_rows(stream)
    try:
        header = next(rows)
    except StopIteration:
        raise FileError(_("The file is empty.")) from None
    return tuple(text(cell) for cell in header), _numbered(rows)


def _numbered(rows) -> Iterator[Row]:
    for number, cells in enumerate(rows, start=2):
        if any(text(cell) for cell in cells):
            yield Row(number, tuple(cells))


def _xlsx_rows(stream) -> Iterator[tuple]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
        sheet = book.worksheets[0]
    # openpyxl reports a damaged or foreign file with many kinds of errors (a zip without a
    # workbook, a broken part, InvalidFileException…): any of them means "cannot be read".
    except Exception as error:
        raise FileError(_("This is not an Excel file that can be read (.xlsx).")) from error
    return _guarded(book, sheet.iter_rows(values_only=True))


def _guarded(book, rows) -> Iterator[tuple]:
    """The workbook's rows; a file damaged further in stops with a FileError, and the workbook
    is closed at the end (read-only mode keeps the file open)."""
    try:
        yield from rows
    except Exception as error:
        raise FileError(_("This is not an Excel file that can be read (.xlsx).")) from error
    finally:
        book.close()


def _csv_rows(stream) -> Iterator[tuple]:
    sample = stream.read(SAMPLE_BYTES)
    if isinstance(sample, str):
        raise FileError(_("The file must be opened in binary mode."))
    encoding = csv_encoding(sample)
    stream.seek(0)
    wrapper = io.TextIOWrapper(stream, encoding=encoding, newline="")
    head = sample.decode(encoding, errors="ignore")
    reader = csv.reader(wrapper, delimiter=csv_delimiter(head))
    return _decoded(reader)


def _decoded(reader) -> Iterator[tuple]:
    try:
        for cells in reader:
            yield tuple(cells)
    except UnicodeDecodeError as error:
        raise FileError(_csv_encoding_message()) from error
    except csv.Error as error:
        raise FileError(_("The CSV file cannot be read: %(error)s.") % {"error": error}) from error


def _csv_encoding_message() -> str:
    return _(
        "The CSV file is not in UTF-8 or Windows-1258, so its Vietnamese letters cannot be read. "
        "In Excel choose File → Save As → “CSV UTF-8 (Comma delimited)”, or upload the .xlsx "
        "file itself."
    )


def csv_encoding(sample: bytes) -> str:
    """ "utf-8-sig" (with or without its byte order mark) or "cp1258"; FileError otherwise."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    decoded = sample.decode("cp1258", errors="replace")
    if "\ufffd" not in decoded and _VIETNAMESE_MARKS & set(decoded):
        return "cp1258"
    raise FileError(_csv_encoding_message())


def csv_delimiter(head: str) -> str:
    """The separator of the header line: a semicolon when the Windows list separator is one
    (Vietnamese regional settings), a tab, or a comma."""
    first_line = head.splitlines()[0] if head else ""
    counts = {sep: first_line.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def header_positions(header: tuple, columns) -> tuple[dict[str, int], list[str]]:
    """Where each of the sheet's ``columns`` is in the header (matched without case or
    diacritics), and the headers of the required columns that are missing."""
    found = {fold(cell): position for position, cell in enumerate(header) if cell}
    positions, missing = {}, []
    for column in columns:
        position = found.get(fold(column.header))
        if position is None:
            if column.required:
                missing.append(column.header)
            continue
        positions[column.key] = position
    return positions, missing
