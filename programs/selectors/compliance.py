"""Compliance: which cells held the sessions their directive asks for, month by month.

The state of one cell in one month is a pure function (``cell_month_state``) around the
cadence rule of ``programs.reports.cadence``, the same rule as the report's: only confirmed
logs count (sessions awaiting confirmation are shown apart), the month under way is shown "so
far" and not counted, nor are months the cell was not assigned for. The grid reads the session
counts with one aggregate query grouped by cell, month, status and log status, whatever the
number of cells or months.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from programs import permissions
from programs.models import LabourSession, PartyCell, PartyCommittee
from programs.planning import Month, months_between
from programs.reports import cadence
from programs.reports.directives import DirectiveTree, directive_tree

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
# Held, but no log confirmed yet: not met, shown apart.
AWAITING = "awaiting"
PLANNED = "planned"
LATE = "late"
CANCELLED = "cancelled"
NONE = "none"
# The cell had no assignment in force that month: not counted either way.
NOT_ASSIGNED = "not-assigned"

STATE_LABELS = {
    MET: _("met"),
    PARTIAL: _("partly held"),
    AWAITING: _("awaiting confirmation"),
    PLANNED: _("planned"),
    LATE: _("late"),
    CANCELLED: _("cancelled"),
    NONE: _("nothing planned"),
    NOT_ASSIGNED: _("not assigned"),
}


def cell_month_state(
    held: int,
    planned: int,
    cancelled: int,
    required: int,
    month_over: bool,
    awaiting: int = 0,
) -> str:
    """One cell's state for one month.

    ``held`` counts its sessions held with a confirmed log, ``awaiting`` those held whose log
    is not confirmed yet, ``planned`` and ``cancelled`` the others by status (``cancelled``
    includes postponed ones); ``required`` is the directive's sessions per month;
    ``month_over`` says whether the month's last day is before today.

    - met: the month met the cadence (``cadence.month_met``);
    - partial: some confirmed, fewer than required;
    - awaiting: none confirmed, some held and awaiting confirmation;
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
    if awaiting:
        return AWAITING
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
    # Held sessions whose log is not confirmed yet: shown apart, never counted.
    awaiting: int = 0
    # Counted in the totals (see cadence.judge_month); a month under way is shown "so far".
    judged: bool = False
    month_over: bool = True

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
    # The month under way: cells that met the cadence so far (not counted in the rate).
    met_so_far: int = 0


@dataclass
class ComplianceGrid:
    committee: PartyCommittee
    start: Month
    end: Month
    months: list[MonthTotal]
    rows: list[GridRow] = field(default_factory=list)
    met: int = 0
    counted: int = 0
    # With a directive: it and the documents that implement it (their sessions count).
    directive_tree: DirectiveTree | None = None

    @property
    def rule(self):
        """The cadence rule in words, shown under the figures."""
        return cadence.RULE

    @property
    def running(self) -> MonthTotal | None:
        """The month under way, if the grid shows it (its figures are "so far")."""
        return next((total for total in self.months if not total.is_over), None)

    @property
    def rate(self) -> float | None:
        """The share (%) of counted cell-months that met the cadence, or None if none count."""
        return round(100 * self.met / self.counted, 1) if self.counted else None


def session_counts(
    committee_ids, first: datetime.date, last: datetime.date, directive_ids=None
) -> dict:
    """{(cell id, Month): {(status, log status): count}} for the cells of the committees (and,
    given ``directive_ids``, the sessions under those directives), in one query."""
    sessions = LabourSession.objects.filter(
        cell__committee_id__in=committee_ids, date__gte=first, date__lte=last
    )
    if directive_ids is not None:
        sessions = sessions.filter(directive_id__in=directive_ids)
    rows = (
        sessions.annotate(year=ExtractYear("date"), month=ExtractMonth("date"))
        .values("cell_id", "year", "month", "status", "log_status")
        .annotate(count=Count("id"))
        .order_by()
        .values_list("cell_id", "year", "month", "status", "log_status", "count")
    )
    counts: dict[tuple[int, Month], dict[tuple[str, str], int]] = {}
    months: dict[tuple[int, int], Month] = {}
    for cell_id, year, month, status, log_status, count in rows:
        key = (
            cell_id,
            months.get((year, month)) or months.setdefault((year, month), Month(year, month)),
        )
        counts.setdefault(key, {})[(status, log_status)] = count
    return counts


@dataclass(frozen=True)
class _Counts:
    """One cell's month, its sessions counted once by what the grid shows."""

    held: int = 0  # held with a confirmed log: counts (``cadence.counts_as_held``)
    awaiting: int = 0  # held, log not confirmed (``cadence.awaiting_confirmation``)
    planned: int = 0
    cancelled: int = 0  # cancelled or postponed


_NO_SESSIONS = _Counts()


def _counts(by_status: dict) -> _Counts:
    """Sum the (status, log status) counts in one pass: a province grid has 9,000 cell-months."""
    held = awaiting = planned = cancelled = 0
    for (status, log_status), n in by_status.items():
        if cadence.counts_as_held(status, log_status):
            held += n
        elif cadence.awaiting_confirmation(status, log_status):
            awaiting += n
        elif status == LabourSession.Status.PLANNED:
            planned += n
        elif status in (LabourSession.Status.CANCELLED, LabourSession.Status.POSTPONED):
            cancelled += n
    return _Counts(held, awaiting, planned, cancelled)


def _grid_cell(counts: _Counts, judgement: cadence.CellMonth, month_over: bool) -> GridCell:
    """One cell's month from its session counts and the cadence's judgement of it."""
    state = cell_month_state(
        held=judgement.held,
        planned=counts.planned,
        cancelled=counts.cancelled,
        required=judgement.required,
        month_over=month_over,
        awaiting=counts.awaiting,
    )
    return GridCell(
        state=state,
        held=judgement.held,
        required=judgement.required,
        awaiting=counts.awaiting,
        judged=judgement.judged,
        month_over=month_over,
    )


def _grid_row(cell, months: list[MonthTotal], spans, counts, today) -> GridRow:
    """One cell's row: a state per month; adds the cell's judged months to the months'
    totals (and the month under way's "met so far")."""
    row = GridRow(cell=cell, months=[])
    for total in months:
        summed = counts.get((cell.pk, total.month))
        summed = _counts(summed) if summed else _NO_SESSIONS
        judgement = cadence.judge_month(spans, total.month, summed.held, today)
        if not judgement.required:
            row.months.append(GridCell(state=NOT_ASSIGNED))
            continue
        grid_cell = _grid_cell(summed, judgement, total.is_over)
        row.months.append(grid_cell)
        if not judgement.judged:
            total.met_so_far += grid_cell.met and not total.is_over
            continue
        row.counted += 1
        total.counted += 1
        if grid_cell.met:
            row.met += 1
            total.met += 1
    return row


def compliance_grid(
    committee: PartyCommittee,
    start: Month,
    end: Month,
    *,
    today: datetime.date,
    directive=None,
) -> ComplianceGrid:
    """Cells of ``committee`` and its sub-committees (active, with an assignment in force in
    the period), one column per month from ``start`` to ``end``, with totals. Each cell-month
    is judged by ``cadence.judge_month``: only confirmed sessions count, the month under way
    and months the cell was not assigned for the whole of are shown but not counted.

    With a ``directive``, only the assignments and sessions under it and the directives that
    implement it count.

    Four queries whatever the size: the committee tree, the cells, their assignments, and the
    session counts (a fifth, the directive tree, with a directive).
    """
    first, last = start.first, end.last
    committee_ids = permissions.committee_subtree_ids(committee.pk)
    tree = directive_tree(directive) if directive is not None else None
    directive_ids = tree.ids if tree is not None else None
    in_force = cadence.assignments_in_force(first, last, directive_ids)
    cells = (
        PartyCell.objects.filter(committee_id__in=committee_ids, active=True)
        .filter(Exists(in_force.filter(cell=OuterRef("pk"))))
        .select_related("committee")
        .only("id", "name", "committee_id", "committee__name")
        .order_by("committee__name", "name")
    )
    spans = cadence.assignment_spans(
        in_force.filter(cell__committee_id__in=committee_ids, cell__active=True)
    )
    counts = session_counts(committee_ids, first, last, directive_ids)
    grid = ComplianceGrid(
        committee=committee,
        start=start,
        end=end,
        directive_tree=tree,
        months=[
            MonthTotal(month=month, is_over=cadence.month_over(month, today))
            for month in months_between(start, end)
        ],
    )
    for cell in cells:
        row = _grid_row(cell, grid.months, spans.get(cell.pk, []), counts, today)
        grid.rows.append(row)
        grid.met += row.met
        grid.counted += row.counted
    return grid
