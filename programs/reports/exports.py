"""Report downloads: the report's tables as a workbook (XLSX) or CSV, and the raw lists of
sessions, attendance and work outputs behind them, for pivot tables.

Files are always in Vietnamese, whatever the language of the page that asked for them: they are
filed, forwarded and printed as party documents. Labels that ``build_report`` computed in the
page's language are therefore recomputed here from their codes, under ``override("vi")``.

CSV: comma-separated, UTF-8 with a byte-order mark, numbers with a dot decimal separator and
dates as ISO 8601 (2026-02-28). Excel set to vi-VN uses ";" as its list separator (the comma is
the decimal mark there), so a double-clicked comma file may open in one column; a semicolon
file would open, but then "1.5" is not a number to it either, and a "sep=;" first line would
stop Excel from seeing the BOM and garble the Vietnamese. No single CSV suits every Excel, so
the CSV is the machine format (RFC 4180, read as-is by LibreOffice, Google Sheets, pandas and
Excel's own "From Text/CSV" import) and the XLSX is the file for people using Excel.

Raw lists are built in bounded memory: querysets are read with ``.values_list().iterator()``
(one query each, whatever the number of rows), the CSV streams from a generator and the
workbook is write-only, so rows go to disk as they are read.
"""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Sum
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from programs.models import (
    Attendance,
    FundingSource,
    Household,
    LabourSession,
    Member,
    Unit,
    Village,
    VillageName,
    Weekday,
    WorkOutput,
)
from programs.text import fold

from .figures import Report, ReportScope
from .periods import Period

FORMATS = ("xlsx", "csv")
RAW_LISTS = ("sessions", "attendance", "outputs")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
DATE_FORMAT = "DD/MM/YYYY"
TIME_FORMAT = "HH:MM"
# Rows fetched per round trip by the raw lists (a server-side cursor on PostgreSQL).
CHUNK_SIZE = 2000
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


@dataclass
class Table:
    """One sheet of a workbook, or one section of a CSV file."""

    title: str
    headers: list[str]
    widths: list[int]
    rows: Iterable[Sequence]


# --- The report's tables ------------------------------------------------------------------

# Summary indicators: a key (stable, for code and tests), the label and how to read it.
SUMMARY = [
    ("held", gettext_lazy("Sessions held (log confirmed)"), lambda r: r.totals.held),
    (
        "held_unconfirmed",
        gettext_lazy("Sessions held, log waiting for confirmation"),
        lambda r: r.totals.held_unconfirmed,
    ),
    ("planned", gettext_lazy("Sessions planned, not yet held"), lambda r: r.totals.planned),
    ("postponed", gettext_lazy("Sessions postponed"), lambda r: r.totals.postponed),
    ("cancelled", gettext_lazy("Sessions cancelled"), lambda r: r.totals.cancelled),
    (
        "villages",
        gettext_lazy("Villages with at least one session held"),
        lambda r: r.villages_with_sessions,
    ),
    (
        "cells_meeting_cadence",
        gettext_lazy("Cells that met the monthly cadence"),
        lambda r: r.cells_meeting_cadence,
    ),
    ("cells_counted", gettext_lazy("Cells counted for the cadence"), lambda r: r.cells_counted),
    (
        "cadence_rate",
        gettext_lazy("Cadence met (%)"),
        lambda r: None if r.cadence_rate is None else round(r.cadence_rate, 1),
    ),
    ("visits", gettext_lazy("Person-visits"), lambda r: r.totals.visits),
    (
        "named_visits",
        gettext_lazy("of which named participants"),
        lambda r: r.totals.named_visits,
    ),
    (
        "party_member_visits",
        gettext_lazy("of which party members"),
        lambda r: r.totals.party_member_visits,
    ),
    (
        "unlisted_commune_cadres",
        gettext_lazy("Commune cadres (not listed by name)"),
        lambda r: r.totals.unlisted_commune_cadres,
    ),
    (
        "unlisted_armed_forces",
        gettext_lazy("Armed forces (not listed by name)"),
        lambda r: r.totals.unlisted_armed_forces,
    ),
    (
        "unlisted_villagers",
        gettext_lazy("Villagers (not listed by name)"),
        lambda r: r.totals.unlisted_villagers,
    ),
    ("workdays", gettext_lazy("Workdays"), lambda r: r.totals.workdays),
    ("value", gettext_lazy("Money-equivalent value (VND)"), lambda r: r.total_value),
    ("households", gettext_lazy("Households helped"), lambda r: len(r.households)),
]

SHEETS = {
    "summary": lambda: pgettext("report sheet", "Summary"),
    "categories": lambda: pgettext("report sheet", "By category"),
    "levels": lambda: pgettext("report sheet", "By level"),
    "outputs": lambda: pgettext("report sheet", "Work done"),
    "funding": lambda: pgettext("report sheet", "Funding"),
    "households": lambda: pgettext("report sheet", "Households helped"),
    "cells": lambda: pgettext("report sheet", "By cell"),
    "villages": lambda: pgettext("report sheet", "By village"),
    "months": lambda: pgettext("report sheet", "By month"),
}


def _category_label(key: str) -> str:
    return {
        "cadres": _("officials, civil servants, public employees, workers"),
        "armed_forces": _("armed forces"),
        "front": _("Front and mass-organisation cadres"),
    }[key]


def _summary_table(report: Report) -> Table:
    previous = report.previous
    status_labels = dict(Household.Status.choices)
    rows = []
    indicators = [(str(label), read) for _key, label, read in SUMMARY]
    indicators += [
        (
            _("Households helped: %(status)s") % {"status": status_labels[code]},
            lambda r, code=code: {c: n for c, _label, n in r.households_by_status}.get(code, 0),
        )
        for code in Household.Status.values
    ]
    for label, read in indicators:
        now = read(report)
        before = read(previous) if previous is not None else None
        change = now - before if now is not None and before is not None else None
        if isinstance(change, float):
            change = round(change, 1)  # percentages: no 0.30000000000000004
        rows.append([label, now, before, change])
    return Table(
        SHEETS["summary"](),
        [_("Indicator"), _("This period"), _("Same period last year"), _("Difference")],
        [48, 16, 22, 14],
        rows,
    )


def _categories_table(report: Report) -> Table:
    totals = report.totals
    rows = [[_category_label(key), n, workdays] for key, _label, n, workdays in report.by_category]
    rows += [
        [_("Commune cadres (not listed by name)"), totals.unlisted_commune_cadres, None],
        [_("Armed forces (not listed by name)"), totals.unlisted_armed_forces, None],
        [_("Villagers (not listed by name)"), totals.unlisted_villagers, None],
        [_("Total"), totals.visits, totals.workdays],
        [_("of which party members"), totals.party_member_visits, None],
    ]
    return Table(
        SHEETS["categories"](),
        [_("Participants"), _("Person-visits"), _("Workdays")],
        [52, 16, 14],
        rows,
    )


def _levels_table(report: Report) -> Table:
    rows = [
        [str(Member.Level(level).label), n, workdays] for level, _l, n, workdays in report.by_level
    ]
    rows.append(
        [_("Total (named participants)"), report.totals.named_visits, report.totals.workdays]
    )
    return Table(
        SHEETS["levels"](),
        [_("Level"), _("Person-visits"), _("Workdays")],
        [36, 16, 14],
        rows,
    )


def _outputs_table(report: Report) -> Table:
    units = dict(Unit.choices)
    rows = [
        [
            str(output["work_type"]),
            str(units.get(output["unit"], output["unit"])),
            output["quantity"],
            output["count"],
            output["value"],
        ]
        for output in report.outputs
    ]
    return Table(
        SHEETS["outputs"](),
        [_("Work type"), _("Unit"), _("Quantity"), _("Number of outputs"), _("Value (VND)")],
        [40, 12, 14, 18, 18],
        rows,
    )


def _funding_table(report: Report) -> Table:
    total = report.total_value
    rows = [
        [str(FundingSource(code).label), value, round(100.0 * value / total, 1) if total else None]
        for code, _label, value in report.value_by_source
    ]
    rows.append([_("Total"), total, 100.0 if total else None])
    return Table(
        SHEETS["funding"](),
        [_("Funding source"), _("Value (VND)"), _("Share (%)")],
        [32, 18, 12],
        rows,
    )


def _households_table(report: Report) -> Table:
    statuses = dict(Household.Status.choices)
    rows = [
        [
            household["name"],
            household["village"],
            str(statuses[household["status"]]),
            household["outputs"],
            household["value"],
        ]
        for household in report.households
    ]
    return Table(
        SHEETS["households"](),
        [_("Household"), _("Village"), _("Household status"), _("Outputs"), _("Value (VND)")],
        [32, 24, 24, 12, 18],
        rows,
    )


def _count_headers() -> list[str]:
    return [
        _("Planned"),
        _("Held (confirmed)"),
        _("Held, awaiting confirmation"),
        _("Postponed"),
        _("Cancelled"),
        _("Person-visits"),
        _("Workdays"),
    ]


def _counts(row) -> list:
    return [
        row.planned,
        row.held,
        row.held_unconfirmed,
        row.postponed,
        row.cancelled,
        row.visits,
        row.workdays,
    ]


def _total_row(rows) -> list:
    rows = list(rows)
    return [_("Total"), *(sum(values) for values in zip(*map(_counts, rows), strict=True))]


def _rows_table(key: str, first_header: str, rows, *, cadence=False) -> Table:
    headers = [first_header, *_count_headers()]
    widths = [44] + [14] * 7
    body = [[row.label, *_counts(row)] for row in rows]
    if cadence:
        headers += [_("Months meeting the cadence"), _("Months counted")]
        widths += [16, 14]
        body = [
            [*line, row.months_met, row.months_counted]
            for line, row in zip(body, rows, strict=True)
        ]
    total = _total_row(rows) if rows else [_("Total"), *([0] * 7)]
    body.append(total)
    return Table(SHEETS[key](), headers, widths, body)


def report_tables(report: Report) -> list[Table]:
    """The report's tables in their file order, labelled in the active language."""
    return [
        _summary_table(report),
        _categories_table(report),
        _levels_table(report),
        _outputs_table(report),
        _funding_table(report),
        _households_table(report),
        _rows_table("cells", _("Party cell"), report.cells, cadence=True),
        _rows_table("villages", _("Village"), report.villages),
        _rows_table("months", _("Month"), report.months),
    ]


def _preamble(report: Report) -> list[list]:
    """The lines above every table: title, scope, period (with its dates), a blank line."""
    title = [_("Report on cadres and party members working with the people")]
    if report.directive is not None:
        title.append(_("Under %(directive)s") % {"directive": report.directive.symbol})
    period = report.period
    return [title, [report.scope.label], [period.label, period.start, period.end], []]


def period_slug(period: Period) -> str:
    start = period.start
    if period.kind == "month":
        return f"{start:%Y-%m}"
    if period.kind == "quarter":
        return f"{start.year}-q{(start.month - 1) // 3 + 1}"
    if period.kind == "half":
        return f"{start.year}-h{1 if start.month <= 6 else 2}"
    if period.kind == "year":
        return str(start.year)
    return f"{start.isoformat()}-{period.end.isoformat()}"


def file_name(stem: str, scope: ReportScope, period: Period, extension: str) -> str:
    """ "bao-cao-dang-uy-co-quan-chinh-quyen-huyen-2026.xlsx": ASCII, so every browser and
    mail program keeps it."""
    scope_slug = slugify(fold(scope.label))[:60].strip("-") or scope.kind
    return f"{stem}-{scope_slug}-{period_slug(period)}.{extension}"


def report_response(report: Report, fmt: str, request) -> HttpResponse:
    """The report as a download: ``fmt`` is "xlsx" or "csv".

    ``request`` is the page's request; the file does not depend on who asked (the report was
    already built for their scope), so it is only passed through for symmetry with the page.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; expected one of {FORMATS}.")
    with translation.override("vi"):
        tables = report_tables(report)
        preamble = _preamble(report)
    name = file_name("bao-cao", report.scope, report.period, fmt)
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        for table in tables:
            _write_sheet(workbook, table, preamble)
        return _workbook_response(workbook, name)
    response = _private(HttpResponse(content_type=CSV_CONTENT_TYPE))
    response.headers["Content-Disposition"] = content_disposition_header(True, name)
    response.write("\ufeff")
    writer = csv.writer(response)
    for line in preamble:
        writer.writerow(_csv_row(line))
    for table in tables:
        writer.writerow(_csv_row([table.title]))
        writer.writerow(_csv_row(table.headers))
        for row in table.rows:
            writer.writerow(_csv_row(row))
        writer.writerow([])
    return response


# --- Writers ------------------------------------------------------------------------------


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


def _write_sheet(workbook: Workbook, table: Table, preamble: list[list]) -> None:
    """A write-only sheet: widths and frozen panes are set before the first row, as the
    streaming writer requires."""
    sheet = workbook.create_sheet(title=_sheet_title(table.title))
    for index, width in enumerate(table.widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_row = len(preamble) + 1
    sheet.freeze_panes = f"A{header_row + 1}"
    for index, line in enumerate(preamble):
        sheet.append(_styled(sheet, line, TITLE if index == 0 else BOLD))
    sheet.append(_styled(sheet, table.headers, BOLD))
    for row in table.rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])


def _workbook_response(workbook: Workbook, name: str) -> FileResponse:
    # Not a ``with`` block: FileResponse owns the file and closes it after sending.
    file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    workbook.save(file)
    file.seek(0)
    return _private(
        FileResponse(file, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)
    )


def _private(response):
    """Files name members and households: no shared cache may keep a copy."""
    add_never_cache_headers(response)
    return response


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


# --- Raw lists ----------------------------------------------------------------------------


def scoped_sessions(scope: ReportScope, period: Period, directive=None):
    """The sessions a report covers (every status): the same filter as ``build_report``."""
    sessions = LabourSession.objects.filter(scope.session_filter).filter(
        date__gte=period.start, date__lte=period.end
    )
    if directive is not None:
        sessions = sessions.filter(directive=directive)
    return sessions


class _Places:
    """Village and commune names as they were on a given day, for every village the lists
    mention: read once (two queries), however many rows follow."""

    def __init__(self, sessions):
        former_names = Prefetch(
            "names",
            queryset=VillageName.objects.select_related(
                "commune__district__province", "commune__province"
            ),
        )
        self.villages = {
            village.pk: village
            for village in Village.objects.filter(pk__in=sessions.values("village_id"))
            .select_related("commune__district__province", "commune__province")
            .prefetch_related(former_names)
        }

    def on(self, village_id: int, day: datetime.date) -> tuple[str, str]:
        village = self.villages[village_id]
        name, commune = village.placement_on(day)
        return f"{village.KIND_WORDS[village.kind]} {name}", commune.full_name


class RawLists:
    """The three raw lists of one scope and period.

    Sessions: every session in scope and period, whatever its status. Attendance and outputs:
    those of sessions that were held, whatever the state of their log, with the log status in a
    column — so a list shows work still waiting for confirmation, and filtering on "confirmed"
    gives exactly what the report counts. Drafts written ahead on sessions still planned are
    left out: nothing is known to have happened yet.

    Build it inside ``override("vi")``: labels are read when it is built, rows only when they
    are iterated (which, for a streamed CSV, is after the view has returned).
    """

    def __init__(self, scope: ReportScope, period: Period, directive=None):
        self.scope, self.period = scope, period
        self.sessions = scoped_sessions(scope, period, directive)
        self.held = self.sessions.filter(status=LabourSession.Status.HELD)
        self.places = _Places(self.sessions)
        self.weekdays = {day.value: str(day.label) for day in Weekday}
        self.statuses = {k: str(v) for k, v in LabourSession.Status.choices}
        self.log_statuses = {k: str(v) for k, v in LabourSession.LogStatus.choices}
        self.categories = {k: str(v) for k, v in Member.Category.choices}
        self.levels = {k: str(v) for k, v in Member.Level.choices}
        self.units = {k: str(v) for k, v in Unit.choices}
        self.household_statuses = {k: str(v) for k, v in Household.Status.choices}
        self.sources = {k: str(v) for k, v in FundingSource.choices}
        self.yes_no = {True: _("yes"), False: _("no")}
        self.tables = {
            "sessions": Table(
                pgettext("report sheet", "Sessions"),
                [
                    _("Session no."),
                    _("Date"),
                    _("Weekday"),
                    _("Start time"),
                    _("Party committee"),
                    _("Party cell"),
                    _("Village"),
                    _("Commune"),
                    _("Directive"),
                    _("Status"),
                    _("Reason"),
                    _("Log status"),
                    _("Commune cadres (not listed by name)"),
                    _("Armed forces (not listed by name)"),
                    _("Villagers (not listed by name)"),
                    _("Named participants"),
                    _("Workdays"),
                    _("Planned work"),
                    _("Notes"),
                ],
                [10, 12, 10, 10, 36, 30, 24, 40, 14, 14, 24, 22, 14, 14, 14, 14, 12, 40, 40],
                self._session_rows(),
            ),
            "attendance": Table(
                pgettext("report sheet", "Participants"),
                [
                    _("Session no."),
                    _("Date"),
                    _("Party cell"),
                    _("Village"),
                    _("Full name"),
                    _("Category"),
                    _("Level"),
                    _("Party member"),
                    _("Workdays"),
                    _("Log status"),
                ],
                [10, 12, 30, 24, 28, 28, 16, 12, 12, 22],
                self._attendance_rows(),
            ),
            "outputs": Table(
                pgettext("report sheet", "Work done"),
                [
                    _("Session no."),
                    _("Date"),
                    _("Party cell"),
                    _("Village"),
                    _("Work type"),
                    _("Description"),
                    _("Quantity"),
                    _("Unit"),
                    _("Household"),
                    _("Household status"),
                    _("Value (VND)"),
                    _("Funding source"),
                    _("Log status"),
                ],
                [10, 12, 30, 24, 32, 40, 12, 10, 28, 22, 16, 24, 22],
                self._output_rows(),
            ),
        }

    def file_name(self, which: str, extension: str) -> str:
        stem = {
            "sessions": "buoi-lao-dong",
            "attendance": "nguoi-tham-gia",
            "outputs": "phan-viec",
            "all": "du-lieu",
        }[which]
        return file_name(stem, self.scope, self.period, extension)

    def _session_rows(self) -> Iterator[list]:
        rows = (
            self.sessions.order_by("date", "start_time", "id")
            .annotate(named=Count("attendances"), named_workdays=Sum("attendances__workdays"))
            .values_list(
                "id",
                "date",
                "start_time",
                "cell__committee__name",
                "cell__name",
                "village_id",
                "directive__symbol",
                "status",
                "status_reason",
                "log_status",
                "unlisted_commune_cadres",
                "unlisted_armed_forces",
                "unlisted_villagers",
                "named",
                "named_workdays",
                "planned_work",
                "notes",
            )
        )
        for (
            pk,
            day,
            start,
            committee,
            cell,
            village_id,
            directive,
            status,
            reason,
            log_status,
            commune_cadres,
            armed_forces,
            villagers,
            named,
            workdays,
            planned_work,
            notes,
        ) in rows.iterator(chunk_size=CHUNK_SIZE):
            village, commune = self.places.on(village_id, day)
            yield [
                pk,
                day,
                self.weekdays[day.weekday()],
                start,
                committee,
                cell,
                village,
                commune,
                directive,
                self.statuses[status],
                reason,
                self.log_statuses[log_status],
                commune_cadres,
                armed_forces,
                villagers,
                named,
                workdays or Decimal("0"),
                planned_work,
                notes,
            ]

    def _attendance_rows(self) -> Iterator[list]:
        rows = (
            Attendance.objects.filter(session__in=self.held.values("id"))
            .order_by("session__date", "session_id", "member__full_name", "id")
            .values_list(
                "session_id",
                "session__date",
                "session__cell__name",
                "session__village_id",
                "member__full_name",
                "category",
                "level",
                "is_party_member",
                "workdays",
                "session__log_status",
            )
        )
        for (
            session_id,
            day,
            cell,
            village_id,
            name,
            category,
            level,
            party,
            workdays,
            log_status,
        ) in rows.iterator(chunk_size=CHUNK_SIZE):
            yield [
                session_id,
                day,
                cell,
                self.places.on(village_id, day)[0],
                name,
                self.categories[category],
                self.levels[level],
                self.yes_no[party],
                workdays,
                self.log_statuses[log_status],
            ]

    def _output_rows(self) -> Iterator[list]:
        rows = (
            WorkOutput.objects.filter(session__in=self.held.values("id"))
            .order_by("session__date", "session_id", "id")
            .values_list(
                "session_id",
                "session__date",
                "session__cell__name",
                "session__village_id",
                "work_type__name",
                "description",
                "quantity",
                "unit",
                "household__head_name",
                "household__status",
                "value_vnd",
                "funding_source",
                "session__log_status",
            )
        )
        for (
            session_id,
            day,
            cell,
            village_id,
            work_type,
            description,
            quantity,
            unit,
            household,
            household_status,
            value,
            source,
            log_status,
        ) in rows.iterator(chunk_size=CHUNK_SIZE):
            yield [
                session_id,
                day,
                cell,
                self.places.on(village_id, day)[0],
                work_type,
                description,
                quantity,
                self.units.get(unit, unit),
                household,
                self.household_statuses.get(household_status, ""),
                value,
                self.sources.get(source, ""),
                self.log_statuses[log_status],
            ]


def raw_csv_response(lists: RawLists, which: str) -> StreamingHttpResponse:
    """One raw list as a streamed CSV file."""
    response = _private(
        StreamingHttpResponse(_csv_stream(lists.tables[which]), content_type=CSV_CONTENT_TYPE)
    )
    response.headers["Content-Disposition"] = content_disposition_header(
        True, lists.file_name(which, "csv")
    )
    return response


def raw_xlsx_response(lists: RawLists) -> FileResponse:
    """The three raw lists as one workbook, a sheet each, the header on the first row (a pivot
    table finds its columns there) and frozen."""
    workbook = Workbook(write_only=True)
    for which in RAW_LISTS:
        _write_sheet(workbook, lists.tables[which], [])
    return _workbook_response(workbook, lists.file_name("all", "xlsx"))
