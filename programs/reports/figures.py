"""The report's figures, computed in the database.

A report reads a fixed number of grouped queries whatever the number of cells, villages or
months: sessions by cell, village, month and status; person-visits by category and level and
by cell, village and month; outputs by work type and unit; value by funding source; households
helped. Everything else (totals, per-cell and per-village tables, the monthly trend, the
cadence) is summed in Python from those grouped rows, which are few.

Only confirmed logs count as held. Sessions held but not yet confirmed are counted apart.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext as _

from programs.models import (
    Attendance,
    FundingSource,
    Household,
    LabourSession,
    Member,
    PartyCell,
    Unit,
    Village,
    WorkOutput,
    WorkType,
)
from programs.planning import Month

from .periods import Period

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
    required_per_month: int = 1
    # Cells listed (and counted for the cadence) even without a session in the period.
    listed_cells: Q = field(default_factory=lambda: Q(pk__in=[]))


@dataclass
class Row:
    """One line of a per-cell, per-village or per-month table."""

    key: object
    label: str
    planned: int = 0
    held: int = 0
    held_unconfirmed: int = 0
    postponed: int = 0
    cancelled: int = 0
    visits: int = 0
    workdays: Decimal = ZERO
    months_met: int = 0
    months_counted: int = 0

    @property
    def sessions(self) -> int:
        return self.planned + self.held + self.held_unconfirmed + self.postponed + self.cancelled


@dataclass
class Totals:
    planned: int = 0
    held: int = 0
    held_unconfirmed: int = 0
    postponed: int = 0
    cancelled: int = 0
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
    cells_counted: int
    villages_with_sessions: int
    previous: "Report | None" = None
    notes: list[str] = field(default_factory=list)

    @property
    def cadence_rate(self) -> float | None:
        if not self.cells_counted:
            return None
        return 100.0 * self.cells_meeting_cadence / self.cells_counted

    @property
    def total_value(self) -> int:
        return sum(value for _, _, value in self.value_by_source)


def _sessions(scope: ReportScope, period: Period, directive) -> "LabourSession.objects":
    sessions = LabourSession.objects.filter(scope.session_filter).filter(
        date__gte=period.start, date__lte=period.end
    )
    if directive is not None:
        sessions = sessions.filter(directive=directive)
    return sessions


def _confirmed(sessions):
    return sessions.filter(status=HELD, log_status=CONFIRMED)


def _month_of(row) -> Month:
    return Month(row["y"], row["m"])


def build_report(
    scope: ReportScope, period: Period, directive=None, *, today=None, with_previous=True
) -> Report:
    """All the figures of one report. Runs the same number of queries for 1 cell or 1,500."""
    sessions = _sessions(scope, period, directive)
    confirmed = _confirmed(sessions)
    month_parts = {"y": ExtractYear("date"), "m": ExtractMonth("date")}

    totals = Totals()
    cell_rows: dict[int, Row] = {}
    village_rows: dict[int, Row] = {}
    month_rows: dict[Month, Row] = {m: Row(m, m.label) for m in period.months}
    held_by_cell_month: dict[tuple[int, Month], int] = defaultdict(int)

    # 1. Sessions by cell, village, month, status and log status, with the unlisted counts.
    for row in (
        sessions.values("cell_id", "village_id", "status", "log_status", **month_parts)
        .annotate(
            n=Count("id"),
            commune_cadres=Sum("unlisted_commune_cadres"),
            armed_forces=Sum("unlisted_armed_forces"),
            villagers=Sum("unlisted_villagers"),
        )
        .order_by()
    ):
        month = _month_of(row)
        targets = [
            totals,
            cell_rows.setdefault(row["cell_id"], Row(row["cell_id"], "")),
            village_rows.setdefault(row["village_id"], Row(row["village_id"], "")),
            month_rows.setdefault(month, Row(month, month.label)),
        ]
        if row["status"] == HELD:
            field_name = "held" if row["log_status"] == CONFIRMED else "held_unconfirmed"
        else:
            field_name = row["status"]
        for target in targets:
            setattr(target, field_name, getattr(target, field_name) + row["n"])
        if field_name == "held":
            held_by_cell_month[(row["cell_id"], month)] += row["n"]
            unlisted = row["commune_cadres"] + row["armed_forces"] + row["villagers"]
            totals.unlisted_commune_cadres += row["commune_cadres"]
            totals.unlisted_armed_forces += row["armed_forces"]
            totals.unlisted_villagers += row["villagers"]
            for target in targets[1:]:
                target.visits += unlisted

    attendance = Attendance.objects.filter(session__in=confirmed.values("id"))

    # 2. Person-visits and workdays by category, level and party membership.
    by_category = {key: [0, ZERO] for key, _ in CATEGORY_GROUPS}
    by_level = {level: [0, ZERO] for level in Member.Level.values}
    party = [0, ZERO]
    category_group = {cat: key for key, cats in CATEGORY_GROUPS for cat in cats}
    for row in (
        attendance.values("category", "level", "is_party_member")
        .annotate(n=Count("id"), workdays=Sum("workdays"))
        .order_by()
    ):
        workdays = row["workdays"] or ZERO
        totals.named_visits += row["n"]
        totals.workdays += workdays
        group = by_category[category_group[row["category"]]]
        group[0] += row["n"]
        group[1] += workdays
        by_level[row["level"]][0] += row["n"]
        by_level[row["level"]][1] += workdays
        if row["is_party_member"]:
            party[0] += row["n"]
            party[1] += workdays
    totals.party_member_visits = party[0]

    # 3. Person-visits and workdays by cell, village and month.
    for row in (
        attendance.values(
            "session__cell_id",
            "session__village_id",
            y=ExtractYear("session__date"),
            m=ExtractMonth("session__date"),
        )
        .annotate(n=Count("id"), workdays=Sum("workdays"))
        .order_by()
    ):
        month = _month_of(row)
        for target in (
            cell_rows[row["session__cell_id"]],
            village_rows[row["session__village_id"]],
            month_rows[month],
        ):
            target.visits += row["n"]
            target.workdays += row["workdays"] or ZERO

    outputs_qs = WorkOutput.objects.filter(session__in=confirmed.values("id"))
    # 4. Outputs by work type and unit: metres never added to square metres.
    unit_labels = dict(Unit.choices)
    work_types = {wt.pk: wt for wt in WorkType.objects.all()}
    outputs = [
        {
            "work_type": work_types[row["work_type_id"]],
            "unit": row["unit"],
            "unit_label": unit_labels.get(row["unit"], row["unit"]),
            "quantity": row["quantity"],
            "count": row["n"],
            "value": row["value"] or 0,
        }
        for row in outputs_qs.values("work_type_id", "unit")
        .annotate(quantity=Sum("quantity"), n=Count("id"), value=Sum("value_vnd"))
        .order_by()
    ]
    outputs.sort(key=lambda o: (o["work_type"].sort_order, o["work_type"].name, o["unit"]))

    # 5. Money-equivalent value by funding source.
    source_labels = dict(FundingSource.choices)
    values = {
        row["funding_source"]: row["value"] or 0
        for row in outputs_qs.filter(value_vnd__isnull=False)
        .values("funding_source")
        .annotate(value=Sum("value_vnd"))
        .order_by()
    }
    value_by_source = [
        (code, source_labels[code], values[code]) for code in FundingSource.values if code in values
    ]

    # 6. Households helped, by name and by status.
    status_labels = dict(Household.Status.choices)
    households = [
        {
            "name": row["household__head_name"],
            "village": row["household__village__name"],
            "status": row["household__status"],
            "status_label": status_labels[row["household__status"]],
            "outputs": row["n"],
            "value": row["value"] or 0,
        }
        for row in outputs_qs.filter(household__isnull=False)
        .values(
            "household_id",
            "household__head_name",
            "household__status",
            "household__village__name",
        )
        .annotate(n=Count("id"), value=Sum("value_vnd"))
        .order_by("household__village__name", "household__head_name")
    ]
    status_counts = defaultdict(int)
    for household in households:
        status_counts[household["status"]] += 1
    households_by_status = [
        (code, status_labels[code], status_counts[code])
        for code in Household.Status.values
        if status_counts[code]
    ]

    # 7. Names: cells, and villages as they were named at the end of the period.
    cells = {
        cell.pk: cell
        for cell in PartyCell.objects.filter(Q(pk__in=list(cell_rows)) | scope.listed_cells)
    }
    for pk in cells:
        cell_rows.setdefault(pk, Row(pk, ""))
    for pk, row in cell_rows.items():
        row.label = cells[pk].name if pk in cells else str(pk)
    villages = (
        Village.objects.filter(pk__in=list(village_rows))
        .prefetch_related("names__commune__district__province", "names__commune__province")
        .select_related("commune__district__province", "commune__province")
    )
    for village in villages:
        name, commune = village.placement_on(period.end)
        village_rows[village.pk].label = f"{village.KIND_WORDS[village.kind]} {name}, {commune}"

    # The cadence: every finished month of the period had enough confirmed sessions. The month
    # under way is left out, or every mid-month report would show cells as failing.
    current = Month.of(today) if today else None
    counted_months = [m for m in period.months if current is None or m < current]
    meeting = 0
    counted_cells = [row for pk, row in cell_rows.items() if pk in cells and cells[pk].active]
    for row in counted_cells:
        row.months_counted = len(counted_months)
        row.months_met = sum(
            1
            for month in counted_months
            if held_by_cell_month[(row.key, month)] >= scope.required_per_month
        )
        if counted_months and row.months_met == len(counted_months):
            meeting += 1

    report = Report(
        scope=scope,
        period=period,
        directive=directive,
        totals=totals,
        by_category=[
            (key, _category_label(key), count, workdays)
            for key, (count, workdays) in by_category.items()
        ],
        by_level=[
            (level, str(Member.Level(level).label), count, workdays)
            for level, (count, workdays) in by_level.items()
        ],
        outputs=outputs,
        value_by_source=value_by_source,
        households=households,
        households_by_status=households_by_status,
        cells=sorted(cell_rows.values(), key=lambda r: r.label),
        villages=sorted(village_rows.values(), key=lambda r: r.label),
        months=[month_rows[m] for m in sorted(month_rows)],
        cells_meeting_cadence=meeting,
        cells_counted=len(counted_cells) if counted_months else 0,
        villages_with_sessions=sum(1 for row in village_rows.values() if row.held),
    )
    if with_previous:
        report.previous = build_report(
            scope, period.previous_year(), directive, today=today, with_previous=False
        )
    return report


def _category_label(key: str) -> str:
    return {
        "cadres": _("officials, civil servants, public employees, workers"),
        "armed_forces": _("armed forces"),
        "front": _("Front and mass-organisation cadres"),
    }[key]
