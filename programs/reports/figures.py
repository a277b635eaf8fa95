"""The report's figures, computed in the database: ``build_report`` and what it returns — the
scope it covers (``ReportScope``), the totals, the per-cell, per-village and per-month rows and
the ``Report`` that holds them with the same period a year earlier.

A report reads a fixed number of grouped queries whatever the number of cells, villages or
months: sessions by cell, village, month and status; person-visits by category and level and
by cell, village and month; outputs by work type and unit; value by funding source; households
helped. Everything else (totals, per-cell and per-village tables, the monthly trend, the
cadence) is summed in Python from those grouped rows, which are few.

The attendance figures (person-visits and workdays, in total, by category and level, per cell,
village and month) come from the monthly roll-ups (``CellMonthRollup``) when the periods are
made of whole months: a province year is ~20,000 roll-up rows instead of ~300,000 attendance
rows. The months the triggers listed as waiting to be recomputed (``RollupDirty``) are read
from the attendance rows instead, in a second query of the same shape, so the figures are the
same either way. A custom period that starts or ends inside a month reads the raw rows.

Only confirmed logs count as held. Sessions held but not yet confirmed are counted apart. The
cadence is judged by the rule in ``cadence``, on the cells' assignments (one more query). A
report on a directive covers the directives that implement it too (``directives``, one more
query).
"""

import datetime
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth, ExtractYear, TruncMonth

from programs.models import (
    Attendance,
    CellMonthRollup,
    FundingSource,
    Household,
    LabourSession,
    Member,
    PartyCell,
    RollupDirty,
    Unit,
    Village,
    VillageName,
    WorkOutput,
    WorkType,
)
from programs.models.rollups import CATEGORY_COLUMNS, LEVEL_COLUMNS
from programs.planning import Month

from . import cadence
from .directives import DirectiveTree, directive_tree
from .indicators import category_label
from .periods import Period
from .places import former_name_id

HELD = LabourSession.Status.HELD
CONFIRMED = LabourSession.LogStatus.CONFIRMED
ZERO = Decimal("0")


# The categories a report counts person-visits by (DOMAIN.md), with the member categories
# that fall into each. Party members are counted apart: they are also in one of these.
CATEGORY_GROUPS = [
    (
        "cadres",
        [
            Member.Category.OFFICIAL,
            Member.Category.CIVIL_SERVANT,
            Member.Category.PUBLIC_EMPLOYEE,
            Member.Category.WORKER,
        ],
    ),
    ("armed_forces", [Member.Category.ARMED_FORCES]),
    ("front", [Member.Category.FRONT_CADRE]),
]


@dataclass
class ReportScope:
    """Which sessions a report covers: ``session_filter`` applied to LabourSession."""

    kind: str  # "committee", "cell", "commune" or "village"
    obj: object
    session_filter: Q
    label: str
    committee: object | None = None
    # Cells listed even without a session in the period (judged on their assignments).
    listed_cells: Q = field(default_factory=lambda: Q(pk__in=[]))
    # A committee's subordinate committees, each with its own subtree: the report adds its
    # cells up by subordinate (``subtotals``).
    subordinates: dict[int, frozenset[int]] = field(default_factory=dict)
    # The same sessions' monthly roll-ups (``CellMonthRollup``); None: read the raw rows.
    rollup_filter: Q | None = None


@dataclass(kw_only=True)
class StatusCounts:
    """Sessions by status; "held" counts only those whose log is confirmed."""

    planned: int = 0
    held: int = 0
    held_unconfirmed: int = 0
    postponed: int = 0
    cancelled: int = 0


@dataclass
class Row(StatusCounts):
    """One line of a per-cell, per-village or per-month table."""

    key: object
    label: str
    visits: int = 0
    workdays: Decimal = ZERO
    months_met: int = 0
    months_counted: int = 0
    # The cell's committee (per-cell rows only): what the subtotals group by.
    committee_id: int | None = None


@dataclass
class Totals(StatusCounts):
    named_visits: int = 0
    party_member_visits: int = 0
    unlisted_commune_cadres: int = 0
    unlisted_armed_forces: int = 0
    unlisted_villagers: int = 0
    workdays: Decimal = ZERO

    @property
    def visits(self) -> int:
        """Person-visits (lượt người): named participants plus those counted without names."""
        return (
            self.named_visits
            + self.unlisted_commune_cadres
            + self.unlisted_armed_forces
            + self.unlisted_villagers
        )


@dataclass
class Report:
    scope: ReportScope
    period: Period
    directive: object | None
    totals: Totals
    by_category: list[tuple[str, str, int, Decimal]]
    by_level: list[tuple[str, str, int, Decimal]]
    outputs: list[dict]
    value_by_source: list[tuple[str, str, int]]
    households: list[dict]
    households_by_status: list[tuple[str, str, int]]
    cells: list[Row]
    villages: list[Row]
    months: list[Row]
    cells_meeting_cadence: int
    # Cells judged in at least one month (see ``cadence``): the rate's denominator.
    cells_counted: int
    villages_with_sessions: int
    previous: "Report | None" = None
    # Cells with an assignment in force at some point of the period.
    cells_assigned: int = 0
    # The period's months the cadence judged (whole and over), those still under way (shown
    # "so far") and those only partly in a custom period (not judged).
    months_judged: list[Month] = field(default_factory=list)
    months_running: list[Month] = field(default_factory=list)
    months_partial: list[Month] = field(default_factory=list)
    # With a directive: the documents that implement it, whose sessions are counted too.
    directive_tree: DirectiveTree | None = None
    # Villagers' opinions received and resolved (``opinions.OpinionCounts``, by ``attach``).
    opinions: object | None = None

    @property
    def running_label(self) -> str:
        """The months under way, as offices write them: "11/2026"."""
        return ", ".join(month.label for month in self.months_running)

    @property
    def partial_label(self) -> str:
        return ", ".join(month.label for month in self.months_partial)

    @property
    def cadence_rule(self):
        """The cadence rule in words, shown under the figure."""
        return cadence.RULE

    @property
    def opinions_rule(self):
        """How villagers' opinions are counted, shown under their figures."""
        from .opinions import RULE

        return RULE

    # For a committee with subordinate committees: a ``subtotals.Subtotal`` per subordinate,
    # and the rows of the committee's own cells (``cells`` has every cell; see ``subtotals``).
    subtotals: list = field(default_factory=list)
    own_cells: list[Row] | None = None

    @property
    def cells_shown(self) -> list[Row]:
        """The cells a page lists one by one: the committee's own when its subordinates are
        given as subtotals, else every cell."""
        return self.cells if self.own_cells is None else self.own_cells

    @property
    def cadence_rate(self) -> float | None:
        if not self.cells_counted:
            return None
        return 100.0 * self.cells_meeting_cadence / self.cells_counted

    @property
    def total_value(self) -> int:
        return sum(value for _, _, value in self.value_by_source)


def _month_of(row) -> Month:
    return Month(row["y"], row["m"])


def build_report(
    scope: ReportScope, period: Period, directive=None, *, today=None, with_previous=True
) -> Report:
    """All the figures of one report, with the same period a year earlier (``previous``).

    Both periods are read by the same grouped queries (each row tagged with its period), so a
    report runs the same dozen queries for 1 cell or 1,500. A custom period longer than a year
    overlaps its own previous year; then each is read on its own. With a ``directive``, the
    sessions held under the directives that implement it count too.

    All its queries read one snapshot of the database (``one_snapshot``): the roll-ups leave
    out the months listed in ``RollupDirty`` and the raw attendance queries take exactly
    those, so a month marked or cleared between two of them would otherwise count twice or
    not at all.
    """
    with one_snapshot():
        return _build_report(scope, period, directive, today=today, with_previous=with_previous)


@contextmanager
def one_snapshot():
    """Run the block in one transaction that sees one snapshot of the database. SQLite: a
    transaction reads one state (its read lock, or its WAL snapshot, lasts to its end).
    PostgreSQL: READ COMMITTED gives every statement its own snapshot, so a transaction of
    our own starts with REPEATABLE READ; inside a caller's transaction (already running
    queries, so its level can't change) the caller's isolation is kept."""
    connection = connections[DEFAULT_DB_ALIAS]
    outer = connection.in_atomic_block
    # No savepoint: it would only add two queries, as nothing here writes.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql" and not outer:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _build_report(scope: ReportScope, period: Period, directive, *, today, with_previous) -> Report:
    tree = directive_tree(directive) if directive is not None else None
    periods = [period]
    if with_previous:
        previous = period.previous_year()
        if previous.end < period.start:
            periods.append(previous)
    reports = _build(scope, periods, tree, today=today)
    report = reports[0]
    if with_previous:
        report.previous = (
            reports[1]
            if len(reports) > 1
            else _build(scope, [period.previous_year()], tree, today=today)[0]
        )
    # Imported here: ``subtotals`` builds on this module's ``Row``.
    from . import opinions
    from .subtotals import attach

    attach(report)
    opinions.attach(report)
    return report


class _Figures:
    """What the grouped rows add up to for one period."""

    def __init__(self, period: Period):
        self.period = period
        self.totals = Totals()
        self.cells: dict[int, Row] = {}
        self.villages: dict[int, Row] = {}
        self.months: dict[Month, Row] = {m: Row(m, m.label) for m in period.months}
        self.held_by_cell_month: dict[tuple[int, Month], int] = defaultdict(int)
        self.by_category = {key: [0, ZERO] for key, _ in CATEGORY_GROUPS}
        self.by_level = {level: [0, ZERO] for level in Member.Level.values}
        self.outputs: list[dict] = []
        self.values: dict[str, int] = {}
        self.households: list[dict] = []

    # get() before creating: a province year calls these ~70,000 times, for ~3,000 rows.
    def cell(self, pk) -> Row:
        row = self.cells.get(pk)
        if row is None:
            row = self.cells[pk] = Row(pk, "")
        return row

    def village(self, pk, place) -> Row:
        """The row of a village under one name and commune (``place``: the former name's id,
        None for today's): a village a reform moved gets a row for each."""
        row = self.villages.get((pk, place))
        if row is None:
            row = self.villages[(pk, place)] = Row((pk, place), "")
        return row

    def month(self, month: Month) -> Row:
        row = self.months.get(month)
        if row is None:
            row = self.months[month] = Row(month, month.label)
        return row


def _which(periods: list[Period], field: str = "date"):
    """The index of the period a row's date falls in."""
    return Case(
        *[
            When(**{f"{field}__gte": p.start, f"{field}__lte": p.end}, then=Value(index))
            for index, p in enumerate(periods)
        ],
        output_field=IntegerField(),
    )


def _build(
    scope: ReportScope, periods: list[Period], tree: DirectiveTree | None, *, today
) -> list[Report]:
    in_periods = Q()
    for p in periods:
        in_periods |= Q(date__gte=p.start, date__lte=p.end)
    sessions = LabourSession.objects.filter(scope.session_filter).filter(in_periods)
    directive_ids = None if tree is None else tree.ids
    if directive_ids is not None:
        sessions = sessions.filter(directive_id__in=directive_ids)
    confirmed = sessions.filter(status=HELD, log_status=CONFIRMED)
    figures = [_Figures(p) for p in periods]
    # Every grouped query tags its rows with the index of their period, "w".
    _add_sessions(figures, sessions.annotate(w=_which(periods), place=former_name_id()))
    on_session_date = _which(periods, "session__date")
    attendance = Attendance.objects.filter(session__in=confirmed.values("id"))
    if scope.rollup_filter is not None and all(_whole_months(p) for p in periods):
        attendance = _from_rollups(figures, scope, periods, directive_ids, attendance)
    _add_visits_by_group(figures, attendance.annotate(w=on_session_date))
    _add_visits_by_row(
        figures,
        attendance.annotate(
            w=on_session_date, place=former_name_id("session__village_id", "session__date")
        ),
    )
    outputs = WorkOutput.objects.filter(session__in=confirmed.values("id"))
    _add_outputs(figures, outputs.annotate(w=on_session_date))
    _add_households(
        figures,
        outputs.filter(household__isnull=False).annotate(
            w=on_session_date, place=former_name_id("household__village_id", "session__date")
        ),
    )
    cells, villages = _names(scope, figures)
    # The assignments of every cell named, over both periods, in one query.
    spans = cadence.assignment_spans(
        cadence.assignments_in_force(
            min(p.start for p in periods), max(p.end for p in periods), directive_ids
        ).filter(cell_id__in=list(cells))
    )
    return [_report(scope, tree, f, cells, villages, spans, today) for f in figures]


def _tuples(queryset, columns: list[str]):
    """The rows of a ``values()`` queryset as plain tuples in the order of ``columns``, read
    with the database cursor: Django's per-value converters were a fifth of a province year
    report's time (~70,000 rows). Only for columns the driver already returns as wanted
    (integers, text); sums of decimals go through ``_decimal``."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    if names == columns:
        return rows
    return list(map(itemgetter(*(names.index(name) for name in columns)), rows))


def _decimal(value) -> Decimal:
    """A sum of decimals as SQLite (int or float, exact for halves) or PostgreSQL returns it."""
    if value is None:
        return ZERO
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _whole_months(period: Period) -> bool:
    return period.start.day == 1 and (period.end + datetime.timedelta(days=1)).day == 1


def _from_rollups(figures, scope, periods, directive_ids, attendance):
    """Add the attendance figures of the clean months from the roll-ups (two queries); return
    the attendance rows of the months still waiting to be recomputed, to be read raw."""
    in_periods = Q()
    for p in periods:
        in_periods |= Q(month__gte=p.start, month__lte=p.end)
    rollups = CellMonthRollup.objects.filter(scope.rollup_filter).filter(in_periods)
    if directive_ids is not None:
        rollups = rollups.filter(directive_id__in=directive_ids)
    waiting = RollupDirty.objects.filter(cell_id=OuterRef("cell_id"), month=OuterRef("month"))
    rollups = rollups.filter(~Exists(waiting)).annotate(w=_which(periods, "month"))
    _add_rollup_visits_by_group(figures, rollups)
    _add_rollup_visits_by_row(figures, rollups)
    return attendance.annotate(session_month=TruncMonth("session__date")).filter(
        Exists(
            RollupDirty.objects.filter(
                cell_id=OuterRef("session__cell_id"), month=OuterRef("session_month")
            )
        )
    )


def _rollup_columns() -> list[str]:
    columns = ["named_visits", "workdays", "party_member_visits"]
    for visits, workdays in (*CATEGORY_COLUMNS.values(), *LEVEL_COLUMNS.values()):
        columns += [visits, workdays]
    return columns


def _add_rollup_visits_by_group(figures: list[_Figures], rollups) -> None:
    """Person-visits and workdays by category, level and party membership, from roll-ups."""
    category_group = {cat: key for key, cats in CATEGORY_GROUPS for cat in cats}
    sums = {f"sum_{column}": Sum(column) for column in _rollup_columns()}
    for row in rollups.values("w").annotate(**sums).order_by():
        f = figures[row["w"]]
        f.totals.named_visits += row["sum_named_visits"]
        f.totals.workdays += row["sum_workdays"] or ZERO
        f.totals.party_member_visits += row["sum_party_member_visits"]
        for category, (visits, workdays) in CATEGORY_COLUMNS.items():
            group = f.by_category[category_group[category]]
            group[0] += row[f"sum_{visits}"]
            group[1] += row[f"sum_{workdays}"] or ZERO
        for level, (visits, workdays) in LEVEL_COLUMNS.items():
            f.by_level[level][0] += row[f"sum_{visits}"]
            f.by_level[level][1] += row[f"sum_{workdays}"] or ZERO


def _add_rollup_visits_by_row(figures: list[_Figures], rollups) -> None:
    """Person-visits and workdays by cell, village (and place) and month, from roll-ups."""
    rows = (
        rollups.values(
            "w",
            "cell_id",
            "village_id",
            "place_id",
            y=ExtractYear("month"),
            m=ExtractMonth("month"),
        )
        .annotate(n=Sum("named_visits"), sum_workdays=Sum("workdays"))
        .order_by()
    )
    columns = ["w", "cell_id", "village_id", "place_id", "y", "m", "n", "sum_workdays"]
    months: dict[tuple[int, int], Month] = {}
    for w, cell, village, place, y, m, n, workdays in _tuples(rows, columns):
        f = figures[w]
        month = months.get((y, m)) or months.setdefault((y, m), Month(y, m))
        workdays = _decimal(workdays)
        for target in (f.cell(cell), f.village(village, place), f.month(month)):
            target.visits += n
            target.workdays += workdays


def _add_sessions(figures: list[_Figures], sessions) -> None:
    """Sessions by period, cell, village, month, status and log status, with the unlisted
    counts."""
    columns = ["w", "cell_id", "village_id", "place", "status", "log_status", "y", "m", "n"]
    columns += ["commune_cadres", "armed_forces", "villagers"]
    rows = (
        sessions.values(
            "w",
            "cell_id",
            "village_id",
            "place",
            "status",
            "log_status",
            y=ExtractYear("date"),
            m=ExtractMonth("date"),
        )
        .annotate(
            n=Count("id"),
            commune_cadres=Sum("unlisted_commune_cadres"),
            armed_forces=Sum("unlisted_armed_forces"),
            villagers=Sum("unlisted_villagers"),
        )
        .order_by()
    )
    # Plain tuples and one Month per month: a province year has ~40,000 rows.
    months: dict[tuple[int, int], Month] = {}
    for w, cell, village, place, status, log_status, y, m, n, cadres, armed, villagers in _tuples(
        rows, columns
    ):
        f = figures[w]
        month = months.get((y, m)) or months.setdefault((y, m), Month(y, m))
        targets = (f.totals, f.cell(cell), f.village(village, place), f.month(month))
        if status == HELD:
            field_name = "held" if log_status == CONFIRMED else "held_unconfirmed"
        else:
            field_name = status
        for target in targets:
            setattr(target, field_name, getattr(target, field_name) + n)
        if field_name != "held":
            continue
        # Held and confirmed: it counts for the cadence (``cadence.counts_as_held``).
        f.held_by_cell_month[(cell, month)] += n
        f.totals.unlisted_commune_cadres += cadres
        f.totals.unlisted_armed_forces += armed
        f.totals.unlisted_villagers += villagers
        unlisted = cadres + armed + villagers
        for target in targets[1:]:
            target.visits += unlisted


def _add_visits_by_group(figures: list[_Figures], attendance) -> None:
    """Person-visits and workdays by category, level and party membership."""
    category_group = {cat: key for key, cats in CATEGORY_GROUPS for cat in cats}
    for row in (
        attendance.values("w", "category", "level", "is_party_member")
        .annotate(n=Count("id"), workdays=Sum("workdays"))
        .order_by()
    ):
        f = figures[row["w"]]
        workdays = row["workdays"] or ZERO
        f.totals.named_visits += row["n"]
        f.totals.workdays += workdays
        for group in (f.by_category[category_group[row["category"]]], f.by_level[row["level"]]):
            group[0] += row["n"]
            group[1] += workdays
        if row["is_party_member"]:
            f.totals.party_member_visits += row["n"]


def _add_visits_by_row(figures: list[_Figures], attendance) -> None:
    """Person-visits and workdays by cell, village and month."""
    for row in (
        attendance.values(
            "w",
            "session__cell_id",
            "session__village_id",
            "place",
            y=ExtractYear("session__date"),
            m=ExtractMonth("session__date"),
        )
        .annotate(n=Count("id"), workdays=Sum("workdays"))
        .order_by()
    ):
        f = figures[row["w"]]
        for target in (
            f.cell(row["session__cell_id"]),
            f.village(row["session__village_id"], row["place"]),
            f.month(_month_of(row)),
        ):
            target.visits += row["n"]
            target.workdays += row["workdays"] or ZERO


def _add_outputs(figures: list[_Figures], outputs) -> None:
    """Outputs by work type and unit (metres never added to square metres), and their
    money-equivalent value by funding source."""
    unit_labels = dict(Unit.choices)
    work_types = {wt.pk: wt for wt in WorkType.objects.all()}
    for row in (
        outputs.values("w", "work_type_id", "unit")
        .annotate(quantity=Sum("quantity"), n=Count("id"), value=Sum("value_vnd"))
        .order_by()
    ):
        figures[row["w"]].outputs.append(
            {
                "work_type": work_types[row["work_type_id"]],
                "unit": row["unit"],
                "unit_label": unit_labels.get(row["unit"], row["unit"]),
                "quantity": row["quantity"],
                "count": row["n"],
                "value": row["value"] or 0,
            }
        )
    for row in (
        outputs.filter(value_vnd__isnull=False)
        .values("w", "funding_source")
        .annotate(value=Sum("value_vnd"))
        .order_by()
    ):
        figures[row["w"]].values[row["funding_source"]] = row["value"] or 0


def _add_households(figures: list[_Figures], outputs) -> None:
    """Households helped, by name and by status."""
    status_labels = dict(Household.Status.choices)
    for row in (
        outputs.values(
            "w",
            "household_id",
            "household__head_name",
            "household__status",
            "household__village_id",
            "place",
        )
        .annotate(n=Count("id"), value=Sum("value_vnd"))
        .order_by("household__village__name", "household__head_name")
    ):
        figures[row["w"]].households.append(
            {
                "name": row["household__head_name"],
                "village_id": row["household__village_id"],
                "place": row["place"],
                "village": "",  # named in _label_rows, as the village was then
                "status": row["household__status"],
                "status_label": status_labels[row["household__status"]],
                "outputs": row["n"],
                "value": row["value"] or 0,
            }
        )


def _names(scope: ReportScope, figures: list[_Figures]) -> tuple[dict, list]:
    """The cells (by id) and villages the figures name, and the cells the scope lists."""
    cell_ids = {pk for f in figures for pk in f.cells}
    village_ids = {pk for f in figures for pk, _place in f.villages}
    village_ids |= {household["village_id"] for f in figures for household in f.households}
    cells = {
        cell.pk: cell for cell in PartyCell.objects.filter(Q(pk__in=cell_ids) | scope.listed_cells)
    }
    villages = list(
        Village.objects.filter(pk__in=village_ids)
        .prefetch_related(
            # One query for the former names with their communes, however many.
            Prefetch(
                "names",
                queryset=VillageName.objects.select_related(
                    "commune__district__province", "commune__province"
                ),
            )
        )
        .select_related("commune__district__province", "commune__province")
    )
    return cells, villages


def _report(scope, tree, f: _Figures, cells, villages, spans, today) -> Report:
    period = f.period
    _label_rows(f, cells, villages)
    active_cells = [row for pk, row in f.cells.items() if pk in cells and cells[pk].active]
    judged_months = cadence.months_judged(period.start, period.end, today)
    meeting, counted = _cadence(f, active_cells, spans, judged_months, today)
    whole = cadence.whole_months(period.start, period.end)
    f.outputs.sort(key=lambda o: (o["work_type"].sort_order, o["work_type"].name, o["unit"]))
    source_labels = dict(FundingSource.choices)
    status_labels = dict(Household.Status.choices)
    status_counts = defaultdict(int)
    for household in f.households:
        status_counts[household["status"]] += 1
    return Report(
        scope=scope,
        period=period,
        directive=None if tree is None else tree.root,
        directive_tree=tree,
        totals=f.totals,
        by_category=[
            (key, category_label(key), count, workdays)
            for key, (count, workdays) in f.by_category.items()
        ],
        by_level=[
            (level, str(Member.Level(level).label), count, workdays)
            for level, (count, workdays) in f.by_level.items()
        ],
        outputs=f.outputs,
        value_by_source=[
            (code, source_labels[code], f.values[code])
            for code in FundingSource.values
            if code in f.values
        ],
        households=f.households,
        households_by_status=[
            (code, status_labels[code], status_counts[code])
            for code in Household.Status.values
            if status_counts[code]
        ],
        cells=sorted(f.cells.values(), key=lambda r: r.label),
        villages=sorted(f.villages.values(), key=lambda r: r.label),
        months=[f.months[m] for m in sorted(f.months)],
        cells_meeting_cadence=meeting,
        cells_counted=counted,
        villages_with_sessions=sum(1 for row in f.villages.values() if row.held),
        cells_assigned=sum(
            1
            for row in active_cells
            if any(
                span.first <= period.end and (span.last is None or span.last >= period.start)
                for span in spans.get(row.key, ())
            )
        ),
        months_judged=judged_months,
        months_running=[m for m in whole if not cadence.month_over(m, today)],
        months_partial=[m for m in period.months if m not in whole],
    )


def _label_rows(f: _Figures, cells, villages) -> None:
    """Every listed cell gets a row; cells are named, villages (and households' villages) as
    they were on their sessions' dates: village, commune and district, in the official order."""
    for pk in cells:
        f.cell(pk)
    for pk, row in f.cells.items():
        row.label = cells[pk].name if pk in cells else str(pk)
        row.committee_id = cells[pk].committee_id if pk in cells else None
    labels = {}
    for village in villages:
        labels[(village.pk, None)] = village.place_label()
        for former in village.names.all():
            labels[(village.pk, former.pk)] = village.place_label(former)
    for key, row in f.villages.items():
        row.label = labels[key]
    for household in f.households:
        household["village"] = labels[(household["village_id"], household["place"])]


def _cadence(f: _Figures, rows: list[Row], spans, months, today) -> tuple[int, int]:
    """Fill each active cell's months met and judged (``cadence.judge_period``, on its
    assignments); return how many cells met the cadence over the period, and how many were
    judged in at least one month."""
    meeting = counted = 0
    for row in rows:
        held = {month: f.held_by_cell_month.get((row.key, month), 0) for month in months}
        result = cadence.judge_period(spans.get(row.key, ()), held, months, today)
        row.months_met, row.months_counted = result.months_met, result.months_judged
        counted += result.months_judged > 0
        meeting += result.met
    return meeting, counted
