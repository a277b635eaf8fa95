"""Writing tables to files: CSV and XLSX, the download responses and their file names, for the
report's own tables (``report_response``) and for the raw lists (``raw_csv_response``,
``raw_xlsx_response``).

Files are always in Vietnamese, whatever the language of the page that asked for them: they are
filed, forwarded and printed as party documents. Labels that ``build_report`` computed in the
page's language are therefore recomputed from their codes, under ``override("vi")``.

CSV: comma-separated, UTF-8 with a byte-order mark, numbers with a dot decimal separator and
dates as ISO 8601 (2026-02-28). Excel set to vi-VN uses ";" as its list separator (the comma is
the decimal mark there), so a double-clicked comma file may open in one column; a semicolon
file would open, but then "1.5" is not a number to it either, and a "sep=;" first line would
stop Excel from seeing the BOM and garble the Vietnamese. No single CSV suits every Excel, so
the CSV is the machine format (RFC 4180, read as-is by LibreOffice, Google Sheets, pandas and
Excel's own "From Text/CSV" import) and the XLSX is the file for people using Excel.

Memory stays bounded: a streamed CSV is written from a generator and workbooks are
write-only, so rows go to disk as they are read.
"""

import csv
import datetime
import tempfile
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from programs.text import fold

from .figures import Report, ReportScope
from .periods import Period
from .tables import Table, preamble, report_tables

if TYPE_CHECKING:
    from .raw import RawLists

FORMATS = ("xlsx", "csv")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "DD/MM/YYYY"
TIME_FORMAT = "HH:MM"
# Workbooks up to this size stay in memory; larger ones spill to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024
# Excel refuses to open a file with a longer text cell.
EXCEL_TEXT_LIMIT = 32767
# What makes a spreadsheet read text as a formula (OWASP "CSV injection"), and the full-width
# forms some Excel input locales also accept.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)


def safe_text(value):
    """``value`` as a spreadsheet may show it without running it.

    Text that a spreadsheet would read as a formula gets a leading apostrophe, and control
    characters XML cannot hold are dropped. Anything else (numbers, dates, None) is returned as
    it is: a negative amount is a number, not a formula.
    """
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def file_name(stem: str, scope: ReportScope, period: Period, extension: str) -> str:
    """ "bao-cao-dang-uy-co-quan-chinh-quyen-huyen-2026.xlsx": ASCII, so every browser and
    mail program keeps it."""
    scope_slug = slugify(fold(scope.label))[:60].strip("-") or scope.kind
    return f"{stem}-{scope_slug}-{period.slug()}.{extension}"


# --- Responses ------------------------------------------------------------------------------


def report_response(report: Report, fmt: str) -> HttpResponse:
    """The report's tables as a download: ``fmt`` is "xlsx" or "csv"."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; expected one of {FORMATS}.")
    with translation.override("vi"):
        tables = report_tables(report)
        lines = preamble(report)
    name = file_name("bao-cao", report.scope, report.period, fmt)
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        for table in tables:
            _write_sheet(workbook, table, lines)
        return _workbook_response(workbook, name)
    response = _private(HttpResponse(content_type=CSV_CONTENT_TYPE))
    response.headers["Content-Disposition"] = content_disposition_header(True, name)
    response.write("\ufeff")
    writer = csv.writer(response)
    for line in lines:
        writer.writerow(_csv_row(line))
    for table in tables:
        writer.writerow(_csv_row([table.title]))
        writer.writerow(_csv_row(table.headers))
        for row in table.rows:
            writer.writerow(_csv_row(row))
        writer.writerow([])
    return response


def raw_csv_response(lists: "RawLists", which: str) -> StreamingHttpResponse:
    """One raw list as a streamed CSV file."""
    response = _private(
        StreamingHttpResponse(_csv_stream(lists.tables[which]), content_type=CSV_CONTENT_TYPE)
    )
    response.headers["Content-Disposition"] = content_disposition_header(
        True, lists.file_name(which, "csv")
    )
    return response


def raw_xlsx_response(lists: "RawLists") -> FileResponse:
    """The raw lists as one workbook, a sheet each, the header on the first row (a pivot table
    finds its columns there) and frozen."""
    workbook = Workbook(write_only=True)
    for table in lists.tables.values():
        _write_sheet(workbook, table, [])
    return _workbook_response(workbook, lists.file_name("all", "xlsx"))


def _private(response):
    """Files name members and households: no shared cache may keep a copy."""
    add_never_cache_headers(response)
    return response


def _workbook_response(workbook: Workbook, name: str) -> FileResponse:
    # Not a ``with`` block: FileResponse owns the file and closes it after sending.
    file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    workbook.save(file)
    file.seek(0)
    return _private(
        FileResponse(file, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)
    )


# --- CSV ------------------------------------------------------------------------------------


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _csv_row(row: Sequence) -> list:
    return [_csv_value(value) for value in row]


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a generator."""

    def write(self, value):
        return value


def _csv_stream(table: Table, *, batch: int = 500) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(_csv_row(table.headers))
    lines = []
    for row in table.rows:
        lines.append(writer.writerow(_csv_row(row)))
        if len(lines) >= batch:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


# --- XLSX -----------------------------------------------------------------------------------


def _xlsx_value(sheet, value):
    if isinstance(value, str):
        return safe_text(value)[:EXCEL_TEXT_LIMIT]
    if isinstance(value, datetime.time):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = TIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def _styled(sheet, values: Sequence, font: Font) -> list:
    cells = []
    for value in values:
        cell = _xlsx_value(sheet, value)
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(sheet, value=cell)
        cell.font = font
        cells.append(cell)
    return cells


def _sheet_title(title: str) -> str:
    # Excel's limits on sheet names: 31 characters, none of []:*?/\
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31]


def _write_sheet(workbook: Workbook, table: Table, lines: list[list]) -> None:
    """A write-only sheet, ``lines`` above the table: widths and frozen panes are set before
    the first row, as the streaming writer requires."""
    sheet = workbook.create_sheet(title=_sheet_title(table.title))
    for index, width in enumerate(table.widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_row = len(lines) + 1
    sheet.freeze_panes = f"A{header_row + 1}"
    for index, line in enumerate(lines):
        sheet.append(_styled(sheet, line, TITLE if index == 0 else BOLD))
    sheet.append(_styled(sheet, table.headers, BOLD))
    for row in table.rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
