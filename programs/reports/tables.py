"""The report's tables as the downloads lay them out: the ``Table`` type (a sheet of a workbook,
or a section of a CSV file) and the tables of a report, from the summary of indicators to
the sessions by month, with the lines printed above each.

Labels are read in the active language; the writers build them under ``override("vi")``.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from programs.models import FundingSource, Household, Member, Unit

from .cadence import RULE_VI
from .figures import Report
from .indicators import INDICATORS, category_label


@dataclass
class Table:
    """One sheet of a workbook, or one section of a CSV file."""

    title: str
    headers: list[str]
    widths: list[int]
    rows: Iterable[Sequence]


SHEETS = {
    "summary": lambda: pgettext("report sheet", "Summary"),
    "categories": lambda: pgettext("report sheet", "By category"),
    "levels": lambda: pgettext("report sheet", "By level"),
    "outputs": lambda: pgettext("report sheet", "Work done"),
    "funding": lambda: pgettext("report sheet", "Funding"),
    "households": lambda: pgettext("report sheet", "Households helped"),
    "opinions": lambda: pgettext("report sheet", "Villagers' opinions"),
    "subtotals": lambda: pgettext("report sheet", "By subordinate committee"),
    "cells": lambda: pgettext("report sheet", "By cell"),
    "villages": lambda: pgettext("report sheet", "By village"),
    "months": lambda: pgettext("report sheet", "By month"),
}

# The session counts of a per-cell, per-village or per-month row: attribute and header.
COUNT_COLUMNS = [
    ("planned", gettext_lazy("Planned")),
    ("held", gettext_lazy("Held (confirmed)")),
    ("held_unconfirmed", gettext_lazy("Held, awaiting confirmation")),
    ("postponed", gettext_lazy("Postponed")),
    ("cancelled", gettext_lazy("Cancelled")),
    ("visits", gettext_lazy("Person-visits")),
    ("workdays", gettext_lazy("Workdays")),
]


def _summary_table(report: Report) -> Table:
    previous = report.previous
    status_labels = dict(Household.Status.choices)
    rows = []
    indicators = [(str(indicator.label), indicator.read) for indicator in INDICATORS]
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
    rows = [[category_label(key), n, workdays] for key, _label, n, workdays in report.by_category]
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


def _opinions_table(report: Report) -> Table:
    """Villagers' opinions by field: received, resolved by the period's end, not yet."""
    counts = report.opinions
    by_field = counts.by_field if counts is not None else []
    rows = [[row.label.capitalize(), row.received, row.resolved, row.pending] for row in by_field]
    if counts is not None:
        rows.append([_("Total"), counts.received, counts.resolved, counts.pending])
    return Table(
        SHEETS["opinions"](),
        [_("Field"), _("Received"), _("Resolved by the end of the period"), _("Not yet resolved")],
        [40, 14, 22, 18],
        rows,
    )


def _counts(row) -> list:
    return [getattr(row, attribute) for attribute, _header in COUNT_COLUMNS]


def _rows_table(key: str, first_header: str, rows, *, cadence=False) -> Table:
    headers = [first_header, *(str(header) for _attribute, header in COUNT_COLUMNS)]
    widths = [44] + [14] * len(COUNT_COLUMNS)
    body = [[row.label, *_counts(row)] for row in rows]
    if cadence:
        headers += [_("Months meeting the cadence"), _("Months counted")]
        widths += [16, 14]
        body = [
            [*line, row.months_met, row.months_counted]
            for line, row in zip(body, rows, strict=True)
        ]
    totals = [sum(values) for values in zip(*map(_counts, rows), strict=True)]
    body.append([_("Total"), *(totals or [0] * len(COUNT_COLUMNS))])
    return Table(SHEETS[key](), headers, widths, body)


def _subtotals_table(report: Report) -> Table:
    """One row per subordinate committee (its whole subtree), one for the committee's own
    cells, and the total: the same figures as the report's own totals."""
    headers = [_("Subordinate committee"), *(str(header) for _a, header in COUNT_COLUMNS)]
    headers += [_("Party cells"), _("Cells meeting the cadence"), _("Cells counted")]
    body = [
        [row.label, *_counts(row), row.cells, row.cells_meeting_cadence, row.cells_counted]
        for row in report.subtotals
    ]
    own = report.own_cells or []
    own_counts = [sum(values) for values in zip(*map(_counts, own), strict=True)]
    body.append(
        [_("Cells of the committee itself"), *(own_counts or [0] * len(COUNT_COLUMNS)), len(own)]
    )
    all_rows = [*report.subtotals, *own]
    totals = [sum(values) for values in zip(*map(_counts, all_rows), strict=True)]
    body.append([_("Total"), *totals, len(report.cells)])
    widths = [44] + [14] * (len(COUNT_COLUMNS) + 3)
    return Table(SHEETS["subtotals"](), headers, widths, body)


def report_tables(report: Report) -> list[Table]:
    """The report's tables in their file order, labelled in the active language. A committee
    with subordinate committees gets a sheet of subtotals before the sheet of every cell."""
    subtotals = [_subtotals_table(report)] if report.subtotals else []
    return [
        _summary_table(report),
        _categories_table(report),
        _levels_table(report),
        _outputs_table(report),
        _funding_table(report),
        _households_table(report),
        _opinions_table(report),
        *subtotals,
        _rows_table("cells", _("Party cell"), report.cells, cadence=True),
        _rows_table("villages", _("Village"), report.villages),
        _rows_table("months", _("Month"), report.months),
    ]


def preamble(report: Report) -> list[list]:
    """The lines above every table: title, scope, period (with its dates), a blank line."""
    title = [_("Report on cadres and party members working with the people")]
    if report.directive is not None:
        title.append(_("Under %(directive)s") % {"directive": report.directive.symbol})
    tree = report.directive_tree
    if tree is not None and tree.implementing:
        title.append(tree.phrase())
    period = report.period
    return [
        title,
        [report.scope.label],
        [period.label, period.start, period.end],
        [RULE_VI],
        [],
    ]
