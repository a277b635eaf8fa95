"""Writing sheets: the export of a sheet for a user's scope, and the template to fill in.

Both have the sheet's Vietnamese headers in the first row and drop-down lists for the closed
columns (kind, category, level, status, Có/Không), whose entries live on a second, hidden sheet
"Danh mục": an export edited in Excel keeps the choices the import accepts. Exports are written
in openpyxl's write-only mode, row by row from a database iterator, so memory stays flat
however many rows there are.
"""

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from programs.text import nfc

from . import refs
from .base import YES_NO, choice_labels
from .engine import ImportContext
from .sheets import SHEETS

LISTS_SHEET = "Danh mục"
# Data validations reach this far down the sheet.
LAST_ROW = 50000


class ExportNames:
    """How an export names the records a row refers to: by name, made unambiguous (a commune
    with its district and period, another record with its code in brackets) when two records
    share it, so the exported sheet imports back to the same records."""

    def __init__(self, context: ImportContext):
        self.context = context

    def _index(self, name, build):
        return self.context.index(name, build)

    def commune(self, commune) -> str:
        index = self._index("communes", refs.commune_index)
        if len(index.exact.get(nfc(commune.name), ())) > 1:
            return refs._vi(commune.label_with_context)
        return str(commune)

    def _named(self, index, obj, name) -> str:
        if len(index.exact.get(nfc(name), ())) > 1:
            return f"{name} [{refs.record_code(obj)}]"
        return name

    def committee(self, committee) -> str:
        return self._named(
            self._index("committees", refs.committee_index), committee, committee.name
        )

    def directive(self, directive) -> str:
        index = self._index("directives", refs.directive_index)
        return self._named(index, directive, directive.symbol)

    def label(self, choices, value) -> str:
        return choice_labels(choices).get(value, value)


def _closed_lists(sheet) -> dict[str, list[str]]:
    lists = {}
    for column in sheet.columns:
        if column.kind == "choice":
            lists[column.key] = list(choice_labels(column.choices).values())
        elif column.kind == "bool":
            lists[column.key] = list(YES_NO.values())
    return lists


def _add_lists(book, worksheet, sheet) -> None:
    """The drop-down lists of the closed columns, their entries on the "Danh mục" sheet."""
    lists = _closed_lists(sheet)
    if not lists:
        return
    lists_sheet = book.create_sheet(LISTS_SHEET)
    # Row by row, so a write-only book (an export) takes the lists too.
    columns = list(lists.values())
    longest = max(len(entries) for entries in columns)
    for row in range(longest):
        lists_sheet.append([entries[row] if row < len(entries) else None for entries in columns])
    for number, (key, entries) in enumerate(lists.items(), start=1):
        letter = get_column_letter(number)
        source = f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(entries)}"
        validation = DataValidation(type="list", formula1=source, allow_blank=True)
        position = [c.key for c in sheet.columns].index(key) + 1
        target = get_column_letter(position)
        validation.add(f"{target}2:{target}{LAST_ROW}")
        worksheet.data_validations.append(validation)  # a write-only sheet has no add_…
    lists_sheet.sheet_state = "hidden"


def _header(worksheet, sheet) -> None:
    for number, column in enumerate(sheet.columns, start=1):
        worksheet.column_dimensions[get_column_letter(number)].width = column.width
    worksheet.append([column.header for column in sheet.columns])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    worksheet.freeze_panes = "A2"


def write_template(kind: str, out) -> None:
    """The sheet's template: headers, one example row (its code cell "Ví dụ" makes the import
    skip it) and the drop-down lists."""
    sheet = SHEETS[kind]
    book = Workbook()
    worksheet = book.active
    worksheet.title = str(sheet.kind)
    _header(worksheet, sheet)
    example = ["Ví dụ", *(column.example for column in sheet.columns[1:])]
    worksheet.append(example)
    for cell in worksheet[2]:
        cell.font = Font(italic=True, color="666666")
    _add_lists(book, worksheet, sheet)
    book.save(out)


def write_export(kind: str, out, *, user, committees=None, progress=None) -> int:
    """The sheet's rows the user may see (``committees``: only those of these committees), in
    the import's format with each record's code first. Returns the number of rows."""
    from programs import permissions

    sheet = SHEETS[kind](ImportContext(user=user, scope=permissions.import_scope_for(user)))
    names = ExportNames(sheet.context)
    book = Workbook(write_only=True)
    worksheet = book.create_sheet(kind)
    for number, column in enumerate(sheet.columns, start=1):
        worksheet.column_dimensions[get_column_letter(number)].width = column.width
    worksheet.freeze_panes = "A2"
    _add_lists(book, worksheet, sheet)
    worksheet.append([column.header for column in sheet.columns])
    count = 0
    for obj in sheet.export_queryset(user, committees).iterator(chunk_size=2000):
        worksheet.append([refs.record_code(obj), *sheet.export_row(obj, names)])
        count += 1
        if progress and count % 1000 == 0:
            progress(1000)
    if progress:
        progress(count % 1000)
    book.save(out)
    return count
