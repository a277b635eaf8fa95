"""The cadence rule (programs.reports.cadence), and the two pages that apply it: the report
counts a held session once its log is confirmed, the compliance grid as soon as it is held."""

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
    ("status", "log_status", "confirmed_only", "counts"),
    [
        (Status.HELD, LogStatus.CONFIRMED, True, True),
        (Status.HELD, LogStatus.SUBMITTED, True, False),
        (Status.HELD, LogStatus.SUBMITTED, False, True),
        (Status.HELD, LogStatus.CONFIRMED, False, True),
        (Status.PLANNED, LogStatus.CONFIRMED, False, False),
        (Status.POSTPONED, LogStatus.SUBMITTED, False, False),
        (Status.CANCELLED, LogStatus.CONFIRMED, True, False),
    ],
)
def test_which_sessions_count_as_held(status, log_status, confirmed_only, counts):
    assert cadence.counts_as_held(status, log_status, confirmed_only=confirmed_only) is counts


@pytest.mark.parametrize(
    ("held", "required", "met"),
    [(0, 1, False), (1, 1, True), (1, 2, False), (2, 2, True), (3, 2, True), (0, 0, False)],
)
def test_a_month_is_met_with_the_sessions_required_and_at_least_one(held, required, met):
    assert cadence.month_met(held, required) is met


def test_only_finished_months_are_judged():
    months = [Month(2026, 10), Month(2026, 11), Month(2026, 12)]
    assert not cadence.month_over(Month(2026, 11), D(2026, 11, 30))
    assert cadence.month_over(Month(2026, 11), D(2026, 12, 1))
    assert cadence.months_judged(months, D(2026, 11, 27)) == [Month(2026, 10)]
    assert cadence.months_judged(months, None) == months


@pytest.mark.parametrize(
    ("months_met", "judged", "met"), [(2, 2, True), (1, 2, False), (0, 0, False)]
)
def test_a_period_is_met_when_every_month_judged_is(months_met, judged, met):
    assert cadence.period_met(months_met, judged) is met


def test_report_and_grid_apply_the_rule_with_their_own_held_sessions(world):
    """A month whose only session waits for confirmation: met on the grid, not in the
    report."""
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
    assert [cell.state for cell in row.months] == ["met", "met"]
