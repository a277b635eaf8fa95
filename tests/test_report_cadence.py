"""The cadence rule (programs.reports.cadence), and the two pages that apply it alike: a held
session counts once its log is confirmed, on the report as on the compliance grid. The rule's
figures against raw rows are in tests/test_cadence_rule.py."""

import datetime

import pytest

from programs.models import LabourSession
from programs.planning import Month
from programs.reports import cadence
from programs.reports.figures import build_report
from programs.reports.periods import parse_period
from programs.reports.scopes import resolve_scope
from programs.selectors.compliance import compliance_grid
from tests import factories

D = datetime.date
Status = LabourSession.Status
LogStatus = LabourSession.LogStatus


@pytest.mark.parametrize(
    ("status", "log_status", "counts", "awaiting"),
    [
        (Status.HELD, LogStatus.CONFIRMED, True, False),
        (Status.HELD, LogStatus.SUBMITTED, False, True),
        (Status.HELD, LogStatus.DRAFT, False, True),
        (Status.PLANNED, LogStatus.CONFIRMED, False, False),
        (Status.POSTPONED, LogStatus.SUBMITTED, False, False),
        (Status.CANCELLED, LogStatus.CONFIRMED, False, False),
    ],
)
def test_which_sessions_count_as_held(status, log_status, counts, awaiting):
    assert cadence.counts_as_held(status, log_status) is counts
    assert cadence.awaiting_confirmation(status, log_status) is awaiting


@pytest.mark.parametrize(
    ("held", "required", "met"),
    [(0, 1, False), (1, 1, True), (1, 2, False), (2, 2, True), (3, 2, True), (0, 0, False)],
)
def test_a_month_is_met_with_the_sessions_required_and_at_least_one(held, required, met):
    assert cadence.month_met(held, required) is met


def test_only_finished_whole_months_are_judged():
    months = [Month(2026, 10), Month(2026, 11), Month(2026, 12)]
    assert not cadence.month_over(Month(2026, 11), D(2026, 11, 30))
    assert cadence.month_over(Month(2026, 11), D(2026, 12, 1))
    first, last = D(2026, 10, 1), D(2026, 12, 31)
    assert cadence.months_judged(first, last, D(2026, 11, 27)) == [Month(2026, 10)]
    assert cadence.months_judged(first, last, None) == months
    # A range from the middle of a month to the middle of another holds no whole month of them.
    assert cadence.whole_months(D(2026, 10, 15), D(2026, 12, 10)) == [Month(2026, 11)]
    assert cadence.whole_months(D(2026, 10, 2), D(2026, 10, 30)) == []


@pytest.mark.parametrize(
    ("months_met", "judged", "met"), [(2, 2, True), (1, 2, False), (0, 0, False)]
)
def test_a_period_is_met_when_every_month_judged_is(months_met, judged, met):
    assert cadence.period_met(months_met, judged) is met


def test_report_and_grid_agree_on_a_session_awaiting_confirmation(world):
    """A month whose only session waits for confirmation: not met, on the grid as in the
    report; the grid shows it apart."""
    today = D(2026, 11, 27)
    for day, log_status in (
        (D(2026, 9, 5), LogStatus.CONFIRMED),
        (D(2026, 10, 3), LogStatus.SUBMITTED),
    ):
        factories.session(
            cell=world["cell"],
            village=world["village"],
            directive=world["directive"],
            date=day,
            status=Status.HELD,
            log_status=log_status,
            log_confirmed_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
        )
    scope = resolve_scope(world["officer"], {"cell": str(world["cell"].pk)})
    period = parse_period({"period": "custom", "from": "2026-09", "to": "2026-10"}, today)
    report = build_report(scope, period, today=today, with_previous=False)
    assert [(row.months_met, row.months_counted) for row in report.cells] == [(1, 2)]
    grid = compliance_grid(world["committee"], Month(2026, 9), Month(2026, 10), today=today)
    row = next(row for row in grid.rows if row.cell == world["cell"])
    assert [cell.state for cell in row.months] == ["met", "awaiting"]
    assert [cell.awaiting for cell in row.months] == [0, 1]
    assert (row.met, row.counted) == (1, 2)
