"""Compliance: which cells held the sessions their directive asks for, month by month.

The state of one cell in one month is a pure function (``cell_month_state``) around the
cadence rule of ``programs.reports.cadence``, which the grid applies counting a session as held
as soon as it is marked held, whatever its log. The grid reads the session counts with one
aggregate query grouped by cell, month, status and log status, whatever the number of cells or
months.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from programs import permissions
from programs.models import Assignment, LabourSession, PartyCell, PartyCommittee
from programs.planning import Month, months_between
from programs.reports import cadence

__all__ = [
    "MAX_COMPLIANCE_MONTHS",
    "STATE_LABELS",
    "ComplianceGrid",
    "cell_month_state",
    "compliance_grid",
    "default_committee",
    "session_counts",
]

# Three years fit on a printed landscape page only just; a longer grid helps no one.
MAX_COMPLIANCE_MONTHS = 36

MET = "met"
PARTIAL = "partial"
PLANNED = "planned"
LATE = "late"
CANCELLED = "cancelled"
NONE = "none"
# The cell had no assignment in force that month: not counted either way.
NOT_ASSIGNED = "not-assigned"

STATE_LABELS = {
    MET: _("met"),
    PARTIAL: _("partly held"),
    PLANNED: _("planned"),
    LATE: _("late"),
    CANCELLED: _("cancelled"),
    NONE: _("nothing planned"),
    NOT_ASSIGNED: _("not assigned"),
}


def cell_month_state(
    held: int, planned: int, cancelled: int, required: int, month_over: bool
) -> str:
    """One cell's state for one month.

    ``held``, ``planned`` and ``cancelled`` count its sessions in the month by status
    (``cancelled`` includes postponed ones); ``required`` is the directive's sessions per month;
    ``month_over`` says whether the month's last day is before today.

    - met: the month met the cadence (``cadence.month_met``);
    - partial: some held, fewer than required;
    - late: the month is over and nothing was held (planned sessions never logged, or nothing
      planned at all);
    - cancelled: nothing held or planned, only cancelled or postponed sessions;
    - planned: the month is still running and sessions are planned;
    - none: the month is still running and nothing is planned yet.
    """
    if cadence.month_met(held, required):
        return MET
    if held:
        return PARTIAL
    if cancelled and not planned:
        return CANCELLED
    if month_over:
        return LATE
    return PLANNED if planned else NONE


def default_committee(committees):
    """The first committee at the top of what the user sees: one whose superior is not in the
    list (an officer of a district committee lands on it, not on one of its sub-committees)."""
    committees = list(committees)
    ids = {committee.pk for committee in committees}
    for committee in committees:
        if committee.parent_id not in ids:
            return committee
    return committees[0] if committees else None


@dataclass
class GridCell:
    state: str
    held: int = 0
    required: int = 0

    @property
    def label(self):
        return STATE_LABELS[self.state]

    @property
    def met(self) -> bool:
        return self.state == MET


@dataclass
class GridRow:
    cell: PartyCell
    months: list[GridCell]
    met: int = 0
    counted: int = 0


@dataclass
class MonthTotal:
    month: Month
    met: int = 0
    counted: int = 0
    is_over: bool = False


@dataclass
class ComplianceGrid:
    committee: PartyCommittee
    start: Month
    end: Month
    months: list[MonthTotal]
    rows: list[GridRow] = field(default_factory=list)
    met: int = 0
    counted: int = 0

    @property
    def rate(self) -> float | None:
        """The share (%) of counted cell-months that met the cadence, or None if none count."""
        return round(100 * self.met / self.counted, 1) if self.counted else None


def _overlapping(first: datetime.date, last: datetime.date):
    """Assignments in force at some point between ``first`` and ``last``, under a directive
    in force then too."""
    return Assignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=first),
        Q(directive__effective_until__isnull=True) | Q(directive__effective_until__gte=first),
        starts_on__lte=last,
        directive__effective_from__lte=last,
    )


# What the cadence needs of an assignment, read as plain values: a province has 1,500 of them
# and building model instances for each was most of the grid's time.
ASSIGNMENT_FIELDS = (
    "cell_id",
    "starts_on",
    "ends_on",
    "directive__effective_from",
    "directive__effective_until",
    "directive__sessions_per_month",
)


def _required(assignments, month: Month) -> int:
    """The cadence a cell owed in ``month``: the highest sessions-per-month among its
    assignments (rows of ASSIGNMENT_FIELDS) and their directives in force that month; 0 if
    none was."""
    required = 0
    for _cell, starts, ends, effective_from, effective_until, per_month in assignments:
        if starts > month.last or (ends and ends < month.first):
            continue
        if effective_from > month.last or (effective_until and effective_until < month.first):
            continue
        required = max(required, per_month)
    return required


def session_counts(committee_ids, first: datetime.date, last: datetime.date) -> dict:
    """{(cell id, Month): {(status, log status): count}} for the cells of the committees, in
    one query."""
    rows = (
        LabourSession.objects.filter(
            cell__committee_id__in=committee_ids, date__gte=first, date__lte=last
        )
        .annotate(year=ExtractYear("date"), month=ExtractMonth("date"))
        .values("cell_id", "year", "month", "status", "log_status")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts: dict[tuple[int, Month], dict[tuple[str, str], int]] = {}
    for row in rows:
        key = (row["cell_id"], Month(row["year"], row["month"]))
        counts.setdefault(key, {})[(row["status"], row["log_status"])] = row["count"]
    return counts


def _grid_cell(by_status: dict, required: int, month_over: bool) -> GridCell:
    """One cell's month from its session counts by (status, log status)."""
    Status = LabourSession.Status

    def count(*statuses):
        return sum(n for (status, _log), n in by_status.items() if status in statuses)

    held = sum(
        n
        for (status, log_status), n in by_status.items()
        if cadence.counts_as_held(status, log_status, confirmed_only=False)
    )
    state = cell_month_state(
        held=held,
        planned=count(Status.PLANNED),
        cancelled=count(Status.CANCELLED, Status.POSTPONED),
        required=required,
        month_over=month_over,
    )
    return GridCell(state=state, held=held, required=required)


def _grid_row(cell, months: list[MonthTotal], assignments, counts) -> GridRow:
    """One cell's row: a state per month; adds the cell's months to the months' totals."""
    row = GridRow(cell=cell, months=[])
    for total in months:
        required = _required(assignments, total.month)
        if not required:
            row.months.append(GridCell(state=NOT_ASSIGNED))
            continue
        grid_cell = _grid_cell(counts.get((cell.pk, total.month), {}), required, total.is_over)
        row.months.append(grid_cell)
        row.counted += 1
        total.counted += 1
        if grid_cell.met:
            row.met += 1
            total.met += 1
    return row


def compliance_grid(
    committee: PartyCommittee, start: Month, end: Month, *, today: datetime.date
) -> ComplianceGrid:
    """Cells of ``committee`` and its sub-committees (active, with an assignment in force in
    the period), one column per month from ``start`` to ``end``, with totals.

    Four queries whatever the size: the committee tree, the cells, their assignments, and the
    session counts.
    """
    first, last = start.first, end.last
    committee_ids = permissions.committee_subtree_ids(committee.pk)
    overlapping = _overlapping(first, last)
    cells = (
        PartyCell.objects.filter(committee_id__in=committee_ids, active=True)
        .filter(Exists(overlapping.filter(cell=OuterRef("pk"))))
        .select_related("committee")
        .only("id", "name", "committee_id", "committee__name")
        .order_by("committee__name", "name")
    )
    assignments_by_cell = defaultdict(list)
    for values in overlapping.filter(
        cell__committee_id__in=committee_ids, cell__active=True
    ).values_list(*ASSIGNMENT_FIELDS):
        assignments_by_cell[values[0]].append(values)
    counts = session_counts(committee_ids, first, last)
    grid = ComplianceGrid(
        committee=committee,
        start=start,
        end=end,
        months=[
            MonthTotal(month=month, is_over=cadence.month_over(month, today))
            for month in months_between(start, end)
        ],
    )
    for cell in cells:
        row = _grid_row(cell, grid.months, assignments_by_cell[cell.pk], counts)
        grid.rows.append(row)
        grid.met += row.met
        grid.counted += row.counted
    return grid
