"""Subtotals for a higher committee (a Huyện ủy, a Tỉnh ủy): one row per subordinate committee,
summing the cells of its whole subtree, instead of one row for every cell of the province.

A subtotal adds up the per-cell rows the report already holds, so it equals, figure by figure,
the subordinate committee's own report for the same period (its drill-down link). The cells of
the committee itself stay listed one by one (``own_cells``; ``cells`` keeps every cell, for the
spreadsheet). One query (the subordinates' names) when there are
subordinates, none otherwise, whatever the number of cells.
"""

from dataclasses import dataclass

from programs.models import PartyCommittee

from . import cadence
from .figures import Row


@dataclass
class Subtotal(Row):
    """A subordinate committee's line: its cells' figures added up (``key`` is its id)."""

    cells: int = 0
    cells_meeting_cadence: int = 0
    cells_counted: int = 0

    def add(self, row: Row) -> None:
        for name in ("planned", "held", "held_unconfirmed", "postponed", "cancelled", "visits"):
            setattr(self, name, getattr(self, name) + getattr(row, name))
        self.workdays += row.workdays
        self.cells += 1
        if row.months_counted:
            self.cells_counted += 1
            if cadence.period_met(row.months_met, row.months_counted):
                self.cells_meeting_cadence += 1


def attach(report) -> None:
    """Give a committee report with subordinate committees (and its year-earlier report) its
    ``subtotals``, by name, and ``own_cells``: the rows of the committee's own cells."""
    subordinates = report.scope.subordinates
    if not subordinates:
        return
    branch = {pk: child for child, subtree in subordinates.items() for pk in subtree}
    names = dict(PartyCommittee.objects.filter(pk__in=subordinates).values_list("pk", "name"))
    for each in (report, report.previous):
        if each is None:
            continue
        rows = {pk: Subtotal(pk, name) for pk, name in names.items()}
        each.own_cells = []
        for row in each.cells:
            child = branch.get(row.committee_id)
            if child is None:
                each.own_cells.append(row)
            else:
                rows[child].add(row)
        each.subtotals = sorted(rows.values(), key=lambda r: r.label)
