"""The one "met the cadence" rule, as the compliance grid, the report page, its exports and the
printed document apply it: each rule of issue 12 against figures computed here, day by day,
from the raw rows — and a directive with the plans that implement it."""

import calendar
import datetime
import html
import random
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Assignment, Directive, LabourSession
from programs.planning import Month
from programs.reports import cadence
from programs.reports.directives import directive_tree
from programs.reports.figures import build_report
from programs.reports.periods import parse_period
from programs.reports.scopes import resolve_scope
from programs.selectors.compliance import compliance_grid
from tests import factories
from tests.http import consume
from tests.queries import pinned_queries

D = datetime.date
Status = LabourSession.Status
LogStatus = LabourSession.LogStatus
REPORT = reverse("programs:reports")
PRINT = reverse("programs:report-print")
RAW_CSV = reverse("programs:report-raw-csv")

pytestmark = pytest.mark.usefixtures("english")


# --- Independent figures ----------------------------------------------------------------------


def _days(first: D, last: D):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def _in_force(assignment: dict, day: D) -> bool:
    return (
        assignment["starts_on"] <= day
        and (assignment["ends_on"] is None or day <= assignment["ends_on"])
        and assignment["directive__effective_from"] <= day
        and (
            assignment["directive__effective_until"] is None
            or day <= assignment["directive__effective_until"]
        )
    )


def expected_cadence(cell_ids, first: D, last: D, today: D, directive_ids=None) -> dict:
    """{cell id: (months met, months judged)} from the raw assignment and session rows, each
    month of the range looked at day by day, without the application's code."""
    assignments = [
        row
        for row in Assignment.objects.values(
            "cell_id",
            "directive_id",
            "starts_on",
            "ends_on",
            "directive__effective_from",
            "directive__effective_until",
            "directive__sessions_per_month",
        )
        if directive_ids is None or row["directive_id"] in directive_ids
    ]
    sessions = [
        row
        for row in LabourSession.objects.values(
            "cell_id", "date", "status", "log_status", "directive_id"
        )
        if directive_ids is None or row["directive_id"] in directive_ids
    ]
    result = {}
    for cell_id in cell_ids:
        mine = [a for a in assignments if a["cell_id"] == cell_id]
        met = judged = 0
        year, month = first.year, first.month
        while D(year, month, 1) <= last:
            month_first = D(year, month, 1)
            month_last = D(year, month, calendar.monthrange(year, month)[1])
            days = list(_days(month_first, month_last))
            whole = first <= month_first and month_last <= last
            over = month_last < today
            covered = all(any(_in_force(a, day) for a in mine) for day in days)
            if whole and over and covered:
                required = max(
                    a["directive__sessions_per_month"]
                    for a in mine
                    if any(_in_force(a, day) for day in days)
                )
                held = sum(
                    1
                    for s in sessions
                    if s["cell_id"] == cell_id
                    and month_first <= s["date"] <= month_last
                    and s["status"] == "held"
                    and s["log_status"] == "confirmed"
                )
                judged += 1
                met += held >= max(required, 1)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        result[cell_id] = (met, judged)
    return result


# --- Helpers ----------------------------------------------------------------------------------


def _session(cell, village, directive, day, status=Status.HELD, log_status=LogStatus.CONFIRMED):
    extra = {}
    if status in (Status.POSTPONED, Status.CANCELLED):
        extra["status_reason"] = "Mưa lớn"
    if status == Status.HELD:
        extra["log_status"] = log_status
        if log_status == LogStatus.CONFIRMED:
            extra["log_confirmed_at"] = timezone.now()
    return factories.session(
        cell=cell,
        village=village,
        directive=directive,
        date=day,
        other_village_reason="x",
        status=status,
        **extra,
    )


def _report(user, params: dict, today: D, directive=None):
    scope = resolve_scope(user, params)
    period = parse_period(params, today)
    return build_report(scope, period, directive, today=today, with_previous=False)


def _report_by_cell(report) -> dict:
    return {row.key: (row.months_met, row.months_counted) for row in report.cells}


def _grid_by_cell(grid) -> dict:
    return {row.cell.pk: (row.met, row.counted) for row in grid.rows}


def _flat(response) -> str:
    page = consume(response).decode() if response.streaming else response.content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _met_count(expected: dict) -> int:
    return sum(1 for met, judged in expected.values() if judged and met == judged)


def _judged_count(expected: dict) -> int:
    return sum(1 for _met, judged in expected.values() if judged)


# --- Only confirmed logs count ----------------------------------------------------------------


def test_only_confirmed_logs_count_on_the_grid_and_in_the_report(world):
    today = D(2026, 11, 27)
    cell, other = world["cell"], world["other_cell"]
    a = (cell, world["village"], world["directive"])
    b = (other, world["other_village"], world["directive"])
    _session(*a, D(2026, 9, 5))
    _session(*a, D(2026, 10, 3), log_status=LogStatus.SUBMITTED)
    _session(*a, D(2026, 10, 17), log_status=LogStatus.DRAFT)
    _session(*b, D(2026, 9, 6), log_status=LogStatus.RETURNED)
    _session(*b, D(2026, 10, 4))

    expected = expected_cadence([cell.pk, other.pk], D(2026, 9, 1), D(2026, 10, 31), today)
    assert expected == {cell.pk: (1, 2), other.pk: (1, 2)}  # the held-but-unconfirmed miss

    grid = compliance_grid(world["committee"], Month(2026, 9), Month(2026, 10), today=today)
    assert _grid_by_cell(grid) == expected
    row = next(r for r in grid.rows if r.cell == cell)
    # Shown apart, visibly: not "met", with the count awaiting.
    assert [(m.state, m.awaiting) for m in row.months] == [("met", 0), ("awaiting", 2)]

    params = {"committee": str(world["committee"].pk), "period": "custom"}
    report = _report(world["officer"], {**params, "from": "2026-09", "to": "2026-10"}, today)
    assert _report_by_cell(report) == expected
    assert (report.cells_meeting_cadence, report.cells_counted) == (0, 2)
    assert report.totals.held == 2 and report.totals.held_unconfirmed == 3


def test_the_grid_shows_awaiting_sessions_apart(client, world):
    # Two months back: over, whatever today is.
    month = Month.of(timezone.localdate()).previous().previous()
    _session(world["cell"], world["village"], world["directive"], month.first)
    _session(
        world["cell"],
        world["village"],
        world["directive"],
        month.first + datetime.timedelta(days=1),
        log_status=LogStatus.SUBMITTED,
    )
    client.force_login(world["officer"])
    response = client.get(reverse("programs:compliance"), {"from": str(month), "to": str(month)})
    page = response.content.decode()
    assert 'class="state state--met"' in page
    assert "+1 awaiting confirmation" in page
    assert str(cadence.RULE) in html.unescape(page)


# --- The month under way ----------------------------------------------------------------------


def test_the_month_under_way_is_shown_so_far_and_not_judged(client, world):
    today = timezone.localdate()
    this = Month.of(today)
    last = this.previous()
    # The first cell held last month and nothing yet this month; the second nothing at all.
    _session(world["cell"], world["village"], world["directive"], last.first)
    cells = [world["cell"].pk, world["other_cell"].pk]
    expected = expected_cadence(cells, last.first, this.last, today)
    assert expected == {world["cell"].pk: (1, 1), world["other_cell"].pk: (0, 1)}

    client.force_login(world["officer"])
    grid = client.get(reverse("programs:compliance"), {"from": str(last), "to": str(this)}).context[
        "grid"
    ]
    assert _grid_by_cell(grid) == expected
    assert [(t.month, t.counted) for t in grid.months] == [(last, 2), (this, 0)]

    params = {
        "committee": world["committee"].pk,
        "period": "custom",
        "from": str(last),
        "to": str(this),
    }
    response = client.get(REPORT, params)
    report = response.context["report"]
    assert _report_by_cell(report) == expected
    assert report.months_running == [this]
    assert (report.cells_meeting_cadence, report.cells_counted) == (1, 2)
    text = _flat(response)
    assert f"Not over yet, so not judged (figures so far): {this.label}." in text
    assert str(cadence.RULE) in text

    document = _flat(client.get(PRINT, params))
    assert f"Tháng {this.label} chưa kết thúc: số liệu tháng này, đến nay" in document
    assert cadence.RULE_VI in document
    assert "Còn 1 chi bộ chưa duy trì" in document  # the second cell, on last month only


# --- No assignment, no judgement --------------------------------------------------------------


def test_months_without_a_whole_month_of_assignment_are_not_judged(world):
    today = D(2027, 1, 10)
    committee = factories.committee(name="Đảng ủy Mới")
    officer = factories.user("officer_new", role="officer", target=committee)
    mid = factories.cell(committee=committee, name="Chi bộ Giữa tháng")
    whole = factories.cell(committee=committee, name="Chi bộ Trọn tháng")
    handover = factories.cell(committee=committee, name="Chi bộ Bàn giao")
    directive = world["directive"]
    factories.assignment(cell=mid, directive=directive, starts_on=D(2026, 10, 15))
    factories.assignment(cell=whole, directive=directive, starts_on=D(2026, 10, 1))
    # Two assignments back to back cover October between them; then a gap in December.
    factories.assignment(
        cell=handover, directive=directive, starts_on=D(2026, 9, 1), ends_on=D(2026, 10, 14)
    )
    factories.assignment(
        cell=handover, directive=directive, starts_on=D(2026, 10, 15), ends_on=D(2026, 11, 30)
    )
    for cell in (mid, whole, handover):
        village = factories.village(commune=world["commune"])
        for day in (D(2026, 9, 5), D(2026, 10, 17), D(2026, 11, 7), D(2026, 12, 5)):
            _session(cell, village, directive, day)
    ids = [mid.pk, whole.pk, handover.pk]
    expected = expected_cadence(ids, D(2026, 9, 1), D(2026, 12, 31), today)
    assert expected == {mid.pk: (2, 2), whole.pk: (3, 3), handover.pk: (3, 3)}

    grid = compliance_grid(committee, Month(2026, 9), Month(2026, 12), today=today)
    assert _grid_by_cell(grid) == expected
    states = {row.cell.pk: [m.state for m in row.months] for row in grid.rows}
    assert states[whole.pk][0] == "not-assigned"
    mid_october = next(r for r in grid.rows if r.cell == mid).months[1]
    assert mid_october.state == "met" and not mid_october.judged  # shown, not counted

    params = {"committee": str(committee.pk), "period": "custom", "from": "2026-09"}
    report = _report(officer, {**params, "to": "2026-12"}, today)
    assert _report_by_cell(report) == expected
    assert report.cells_assigned == 3


def test_a_period_before_any_assignment_judges_no_one(client, world):
    committee = factories.committee(name="Đảng ủy Chưa phân công")
    officer = factories.user("officer_late", role="officer", target=committee)
    cells = [factories.cell(committee=committee) for _ in range(5)]
    for cell in cells:
        factories.assignment(cell=cell, directive=world["directive"], starts_on=D(2026, 1, 1))
    params = {"committee": committee.pk, "period": "year", "year": "2025"}
    ids = [c.pk for c in cells]
    expected = expected_cadence(ids, D(2025, 1, 1), D(2025, 12, 31), D(2026, 6, 1))
    assert _judged_count(expected) == 0

    client.force_login(officer)
    response = client.get(REPORT, params)
    report = response.context["report"]
    assert _report_by_cell(report) == expected
    assert (report.cells_meeting_cadence, report.cells_counted, report.cadence_rate) == (0, 0, None)
    assert report.cells_assigned == 0
    assert "No cadence to judge" in _flat(response)

    document = _flat(client.get(PRINT, params))
    assert "0/5" not in document
    assert "chưa duy trì" not in document
    assert "chưa có chi bộ nào được phân công phụ trách thôn" in document


# --- A custom range from the middle of a month ------------------------------------------------


def test_a_custom_range_is_judged_on_its_whole_months(client, world):
    today = D(2026, 12, 10)
    cell, other = world["cell"], world["other_cell"]
    a = (cell, world["village"], world["directive"])
    b = (other, world["other_village"], world["directive"])
    _session(*a, D(2026, 9, 5))  # before the range starts, in its first (partial) month
    _session(*a, D(2026, 10, 3))
    _session(*a, D(2026, 11, 7))
    _session(*b, D(2026, 10, 4))
    ids = [cell.pk, other.pk]
    expected = expected_cadence(ids, D(2026, 9, 15), D(2026, 11, 30), today)
    assert expected == {cell.pk: (2, 2), other.pk: (1, 2)}  # September is not judged

    params = {
        "committee": str(world["committee"].pk),
        "period": "custom",
        "from": "2026-09-15",
        "to": "2026-11-30",
    }
    report = _report(world["officer"], params, today)
    assert _report_by_cell(report) == expected
    assert report.months_partial == [Month(2026, 9)]
    assert report.months_judged == [Month(2026, 10), Month(2026, 11)]
    assert (report.cells_meeting_cadence, report.cells_counted) == (1, 2)

    client.force_login(world["officer"])
    text = _flat(client.get(REPORT, params))
    assert "Only partly in the period, so not judged: 09/2026." in text
    document = _flat(client.get(PRINT, params))
    assert "Tháng 09/2026 chỉ có một phần trong kỳ báo cáo nên không xét" in document


# --- A higher committee -----------------------------------------------------------------------


def test_a_higher_committee_counts_only_cells_with_an_assignment(client, world):
    today = D(2026, 12, 10)
    top = factories.committee(name="Huyện ủy Lâm Bình")
    officer = factories.user("officer_top", role="officer", target=top)
    first = factories.committee(name="Đảng ủy Khối A", parent=top)
    second = factories.committee(name="Đảng ủy Khối B", parent=top)
    assigned = [factories.cell(committee=first) for _ in range(2)]
    unassigned = [factories.cell(committee=first)] + [
        factories.cell(committee=second) for _ in range(2)
    ]
    for cell in assigned:
        village = factories.village(commune=world["commune"])
        factories.assignment(cell=cell, village=village, directive=world["directive"])
        for day in (D(2026, 7, 4), D(2026, 8, 1), D(2026, 9, 5)):
            _session(cell, village, world["directive"], day)
    # An unassigned cell that still held a session: listed with its figures, not judged.
    _session(unassigned[0], world["village"], world["directive"], D(2026, 7, 11))
    ids = [c.pk for c in assigned + unassigned]
    expected = expected_cadence(ids, D(2026, 7, 1), D(2026, 9, 30), today)
    assert _judged_count(expected) == 2 and _met_count(expected) == 2

    params = {"committee": str(top.pk), "period": "quarter", "month": "2026-07"}
    report = _report(officer, params, today)
    assert _report_by_cell(report) == expected
    assert (report.cells_meeting_cadence, report.cells_counted) == (2, 2)
    assert report.cells_assigned == 2
    assert len(report.cells) == 5  # all listed
    grid = compliance_grid(top, Month(2026, 7), Month(2026, 9), today=today)
    assert _grid_by_cell(grid) == {pk: v for pk, v in expected.items() if v[1]}

    client.force_login(officer)
    document = _flat(client.get(PRINT, params))
    assert "2 chi bộ được phân công phụ trách thôn" in document
    assert "2/2 chi bộ" in document


# --- The grid and the report agree -------------------------------------------------------------


def test_the_grid_and_the_report_agree_for_the_same_quarter(world):
    """Random cells, assignments (some starting or ending inside the quarter) and sessions of
    every status and log status; the quarter judged by both pages and by the loops here."""
    rng = random.Random(12)
    today = D(2026, 10, 20)
    committee = world["committee"]
    sub = factories.committee(name="Đảng ủy cấp dưới", parent=committee)
    twice = factories.directive(symbol="9-KH/ĐU", sessions_per_month=2)
    cells = [world["cell"], world["other_cell"]]
    for n in range(10):
        cell = factories.cell(committee=rng.choice([committee, sub]), name=f"Chi bộ {n:02d}")
        starts = rng.choice([D(2021, 6, 1), D(2026, 8, 1), D(2026, 8, 20), D(2026, 9, 1)])
        ends = rng.choice([None, None, D(2026, 8, 31), D(2026, 9, 10)])
        if ends is not None and ends < starts:
            ends = None
        directive = rng.choice([world["directive"], twice])
        factories.assignment(cell=cell, directive=directive, starts_on=starts, ends_on=ends)
        cells.append(cell)
    village = world["village"]
    statuses = [
        (Status.HELD, LogStatus.CONFIRMED),
        (Status.HELD, LogStatus.CONFIRMED),
        (Status.HELD, LogStatus.SUBMITTED),
        (Status.HELD, LogStatus.RETURNED),
        (Status.PLANNED, LogStatus.NONE),
        (Status.CANCELLED, LogStatus.NONE),
    ]
    for cell in cells:
        for month in (7, 8, 9, 10):
            for day in rng.sample(range(1, 29), rng.randint(0, 3)):  # one a day at most
                status, log_status = rng.choice(statuses)
                _session(cell, village, world["directive"], D(2026, month, day), status, log_status)
    ids = [c.pk for c in cells]
    expected = expected_cadence(ids, D(2026, 7, 1), D(2026, 9, 30), today)

    grid = compliance_grid(committee, Month(2026, 7), Month(2026, 9), today=today)
    report = _report(
        world["officer"],
        {"committee": str(committee.pk), "period": "quarter", "month": "2026-07"},
        today,
    )
    by_report = _report_by_cell(report)
    assert by_report == expected
    assert _grid_by_cell(grid) == {pk: by_report[pk] for pk in _grid_by_cell(grid)}
    # Cells the grid leaves out had no assignment in the quarter: the report judges them never.
    assert all(by_report[pk] == (0, 0) for pk in set(by_report) - set(_grid_by_cell(grid)))
    assert grid.met == sum(met for met, _judged in expected.values())
    assert grid.counted == sum(judged for _met, judged in expected.values())
    assert report.cells_meeting_cadence == _met_count(expected)
    assert report.cells_counted == _judged_count(expected)
    assert report.cells_counted > 0  # the draw judged someone


# --- A directive and the plans that implement it ----------------------------------------------


@pytest.fixture
def directive_family(world):
    """Đề án 02-ĐA/TU, implemented by the world's Kế hoạch 54-KH/HU, itself implemented by a
    committee's Kế hoạch 07-KH/ĐU; and an unrelated plan."""
    scheme = factories.directive(
        kind=Directive.Kind.SCHEME, number="02", symbol="02-ĐA/TU", issuing_body="BTV Tỉnh ủy"
    )
    plan = world["directive"]
    plan.parent = scheme
    plan.save()
    local = factories.directive(number="07", symbol="07-KH/ĐU", parent=plan)
    unrelated = factories.directive(number="88", symbol="88-KH/HU")
    a = (world["cell"], world["village"])
    b = (world["other_cell"], world["other_village"])
    _session(*a, plan, D(2025, 3, 1))
    _session(*a, plan, D(2025, 4, 5))
    _session(*b, local, D(2025, 3, 8))
    _session(*b, local, D(2025, 4, 12), log_status=LogStatus.SUBMITTED)
    _session(*a, unrelated, D(2025, 3, 15))
    _session(*b, scheme, D(2025, 5, 3), Status.PLANNED, LogStatus.NONE)
    return {"scheme": scheme, "plan": plan, "local": local, "unrelated": unrelated}


def _tree_ids(root_id: int) -> set[int]:
    """The directive and those below it, by walking the raw parent links."""
    parents = dict(Directive.objects.values_list("id", "parent_id"))
    found = {root_id}
    changed = True
    while changed:
        changed = False
        for pk, parent in parents.items():
            if parent in found and pk not in found:
                found.add(pk)
                changed = True
    return found


def test_the_directive_tree_is_read_in_one_query(directive_family, django_assert_num_queries):
    family = directive_family
    with django_assert_num_queries(1):
        tree = directive_tree(family["scheme"])
    assert tree.ids == _tree_ids(family["scheme"].pk)
    assert tree.ids == {family["scheme"].pk, family["plan"].pk, family["local"].pk}
    assert tree.phrase() == (
        "gồm cả Kế hoạch 54-KH/HU thực hiện Đề án 02-ĐA/TU; "
        "Kế hoạch 07-KH/ĐU thực hiện Kế hoạch 54-KH/HU"
    )
    assert directive_tree(family["local"]).phrase() == ""


def test_a_report_on_a_scheme_counts_the_plans_that_implement_it(client, world, directive_family):
    scheme = directive_family["scheme"]
    ids = _tree_ids(scheme.pk)
    rows = list(
        LabourSession.objects.filter(date__year=2025).values("directive_id", "status", "log_status")
    )
    in_tree = [r for r in rows if r["directive_id"] in ids]
    confirmed = sum(1 for r in in_tree if r["status"] == "held" and r["log_status"] == "confirmed")
    awaiting = sum(1 for r in in_tree if r["status"] == "held" and r["log_status"] != "confirmed")
    assert (confirmed, awaiting, len(in_tree)) == (3, 1, 5)

    params = {
        "committee": world["committee"].pk,
        "directive": scheme.pk,
        "period": "year",
        "year": "2025",
    }
    client.force_login(world["officer"])
    response = client.get(REPORT, params)
    report = response.context["report"]
    assert report.directive == scheme
    assert (report.totals.held, report.totals.held_unconfirmed) == (confirmed, awaiting)
    assert report.totals.planned == 1
    text = _flat(response)
    assert "Kế hoạch 54-KH/HU, which implements Đề án 02-ĐA/TU" in text
    assert "Kế hoạch 07-KH/ĐU, which implements Kế hoạch 54-KH/HU" in text
    # The cadence of the scheme is judged on the assignments under its plan.
    cells = [world["cell"].pk, world["other_cell"].pk]
    expected = expected_cadence(cells, D(2025, 1, 1), D(2025, 12, 31), D(2026, 6, 1), ids)
    assert _report_by_cell(report) == expected

    document = _flat(client.get(PRINT, params))
    assert "Số liệu gồm cả Kế hoạch 54-KH/HU thực hiện Đề án 02-ĐA/TU" in document

    csv_text = consume(client.get(REPORT, {**params, "format": "csv"})).decode("utf-8")
    assert "gồm cả Kế hoạch 54-KH/HU thực hiện Đề án 02-ĐA/TU" in csv_text
    raw = consume(client.get(RAW_CSV, params)).decode("utf-8").lstrip("\ufeff")
    # A header line, then one line per session in the tree (the unrelated plan's left out).
    assert len([line for line in raw.splitlines() if line.strip()]) == 1 + len(in_tree)
    assert "88-KH/HU" not in raw

    # On the plan alone: its own sessions and the local plan's, not the scheme's planned one.
    plan_report = client.get(REPORT, {**params, "directive": directive_family["plan"].pk})
    assert plan_report.context["report"].totals.planned == 0
    assert plan_report.context["report"].totals.held == confirmed


def test_the_grid_on_a_scheme_judges_the_plans_that_implement_it(client, world, directive_family):
    today = D(2025, 6, 10)
    scheme, unrelated = directive_family["scheme"], directive_family["unrelated"]
    ids = _tree_ids(scheme.pk)
    cells = [world["cell"].pk, world["other_cell"].pk]
    expected = expected_cadence(cells, D(2025, 3, 1), D(2025, 5, 31), today, ids)
    # March: both held under the plans; April: the second cell's log awaits; May: nothing.
    assert expected == {world["cell"].pk: (2, 3), world["other_cell"].pk: (1, 3)}

    grid = compliance_grid(
        world["committee"], Month(2025, 3), Month(2025, 5), today=today, directive=scheme
    )
    assert _grid_by_cell(grid) == expected
    # On the unrelated plan, no cell is assigned: nobody is judged.
    other = compliance_grid(
        world["committee"], Month(2025, 3), Month(2025, 5), today=today, directive=unrelated
    )
    assert other.rows == []

    client.force_login(world["officer"])
    params = {"directive": scheme.pk, "from": "2025-03", "to": "2025-05"}
    response = client.get(reverse("programs:compliance"), params)
    assert _grid_by_cell(response.context["grid"]) == expected
    text = _flat(response)
    assert "Under Đề án 02-ĐA/TU" in text
    assert "Kế hoạch 54-KH/HU, which implements Đề án 02-ĐA/TU" in text
    assert response.context["form"]["directive"].value() == scheme.pk


@pytest.mark.parametrize("value", ["abc", "999999", "1" * 40])
def test_a_bad_directive_on_the_grid_is_a_message(client, world, value):
    client.force_login(world["officer"])
    response = client.get(reverse("programs:compliance"), {"directive": value})
    assert response.status_code == 200
    assert "Choose a directive from the list." in _flat(response)
    assert response.context["grid_body"] == ""


def test_the_grid_on_a_directive_runs_one_more_query_whatever_the_rows(
    client, world, directive_family
):
    params = {
        "committee": world["committee"].pk,
        "directive": directive_family["scheme"].pk,
        "from": "2025-03",
        "to": "2025-05",
    }
    client.force_login(world["officer"])
    client.get(reverse("programs:compliance"), params)  # warm-up
    # The grid's eleven (tests/test_compliance.py), and the directive tree.
    with pinned_queries(26, cold=True):
        response = client.get(reverse("programs:compliance"), params)
    assert len(response.context["grid"].rows) == 2
    for _n in range(30):
        cell = factories.cell(committee=world["committee"])
        village = factories.village(commune=world["commune"])
        factories.assignment(cell=cell, village=village, directive=directive_family["local"])
        _session(cell, village, directive_family["local"], D(2025, 4, 5))
    with pinned_queries(26, cold=True):
        response = client.get(reverse("programs:compliance"), params)
    assert len(response.context["grid"].rows) == 32


def test_the_report_on_a_directive_runs_two_more_queries_whatever_the_rows(
    client, world, directive_family
):
    params = {
        "committee": world["committee"].pk,
        "directive": directive_family["scheme"].pk,
        "period": "year",
        "year": "2025",
    }
    client.force_login(world["officer"])
    client.get(REPORT, params)  # warm-up
    # The report page's nineteen (tests/test_report_page.py), the directive, and its tree.
    with pinned_queries(51, cold=True):
        client.get(REPORT, params)
    for _n in range(30):
        cell = factories.cell(committee=world["committee"])
        village = factories.village(commune=world["commune"])
        factories.assignment(cell=cell, village=village, directive=directive_family["local"])
        _session(cell, village, directive_family["local"], D(2025, 4, 5))
    with pinned_queries(51, cold=True):
        response = client.get(REPORT, params)
    assert response.context["report"].cells_counted == 32
