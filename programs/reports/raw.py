"""The raw lists behind a report, for pivot tables: every session in scope and period, the
participants and the work done of those held (``RawLists``), one row per record.

Built in bounded memory: each list is one query read with ``.values().iterator()`` in chunks
(a server-side cursor on PostgreSQL), whatever the number of rows, and its rows are produced
only as a writer asks for them (see ``writers``).
"""

import datetime
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Count, Prefetch, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from programs.models import (
    Attendance,
    FundingSource,
    Household,
    LabourSession,
    Member,
    Unit,
    Village,
    VillageName,
    Weekday,
    WorkOutput,
)

from .directives import directive_tree
from .figures import ReportScope
from .periods import Period
from .tables import Table
from .writers import file_name

RAW_LISTS = ("sessions", "attendance", "outputs")
# Rows fetched per round trip (a server-side cursor on PostgreSQL).
CHUNK_SIZE = 2000

# The columns of each list: header and width.
SESSION_COLUMNS = [
    (gettext_lazy("Session no."), 10),
    (gettext_lazy("Date"), 12),
    (gettext_lazy("Weekday"), 10),
    (gettext_lazy("Start time"), 10),
    (gettext_lazy("Party committee"), 36),
    (gettext_lazy("Party cell"), 30),
    (gettext_lazy("Village"), 24),
    (gettext_lazy("Commune"), 40),
    (gettext_lazy("Directive"), 14),
    (gettext_lazy("Status"), 14),
    (gettext_lazy("Reason"), 24),
    (gettext_lazy("Log status"), 22),
    (gettext_lazy("Commune cadres (not listed by name)"), 14),
    (gettext_lazy("Armed forces (not listed by name)"), 14),
    (gettext_lazy("Villagers (not listed by name)"), 14),
    (gettext_lazy("Named participants"), 14),
    (gettext_lazy("Workdays"), 12),
    (gettext_lazy("Planned work"), 40),
    (gettext_lazy("Notes"), 40),
]
ATTENDANCE_COLUMNS = [
    (gettext_lazy("Session no."), 10),
    (gettext_lazy("Date"), 12),
    (gettext_lazy("Party cell"), 30),
    (gettext_lazy("Village"), 24),
    (gettext_lazy("Commune"), 40),
    (gettext_lazy("Full name"), 28),
    (gettext_lazy("Category"), 28),
    (gettext_lazy("Level"), 16),
    (gettext_lazy("Party member"), 12),
    (gettext_lazy("Workdays"), 12),
    (gettext_lazy("Log status"), 22),
]
OUTPUT_COLUMNS = [
    (gettext_lazy("Session no."), 10),
    (gettext_lazy("Date"), 12),
    (gettext_lazy("Party cell"), 30),
    (gettext_lazy("Village"), 24),
    (gettext_lazy("Commune"), 40),
    (gettext_lazy("Work type"), 32),
    (gettext_lazy("Description"), 40),
    (gettext_lazy("Quantity"), 12),
    (gettext_lazy("Unit"), 10),
    (gettext_lazy("Household"), 28),
    (gettext_lazy("Household status"), 22),
    (gettext_lazy("Value (VND)"), 16),
    (gettext_lazy("Funding source"), 24),
    (gettext_lazy("Log status"), 22),
]
# What the attendance and output lists read of each row's session.
HELD_FIELDS = (
    "session_id",
    "session__date",
    "session__cell__name",
    "session__village_id",
    "session__log_status",
)
FILE_STEMS = {
    "sessions": "buoi-lao-dong",
    "attendance": "nguoi-tham-gia",
    "outputs": "phan-viec",
    "all": "du-lieu",
}


def _table(title: str, columns: list, rows: Iterator[list]) -> Table:
    return Table(
        title,
        [str(header) for header, _width in columns],
        [width for _header, width in columns],
        rows,
    )


def scoped_sessions(scope: ReportScope, period: Period, directive=None):
    """The sessions a report covers (every status): the same filter as ``build_report``, the
    directives that implement ``directive`` included."""
    sessions = LabourSession.objects.filter(scope.session_filter).filter(
        date__gte=period.start, date__lte=period.end
    )
    if directive is not None:
        sessions = sessions.filter(directive_id__in=directive_tree(directive).ids)
    return sessions


class _Places:
    """Village and commune names as they were on a given day, for every village the lists
    mention: read once (two queries), however many rows follow."""

    def __init__(self, sessions):
        former_names = Prefetch(
            "names",
            queryset=VillageName.objects.select_related(
                "commune__district__province", "commune__province"
            ),
        )
        self.villages = {
            village.pk: village
            for village in Village.objects.filter(pk__in=sessions.values("village_id"))
            .select_related("commune__district__province", "commune__province")
            .prefetch_related(former_names)
        }

    def on(self, village_id: int, day: datetime.date) -> tuple[str, str]:
        village = self.villages[village_id]
        name, commune = village.placement_on(day)
        return f"{village.KIND_WORDS[village.kind]} {name}", commune.full_name


def _labels(choices) -> dict:
    return {code: str(label) for code, label in choices}


class RawLists:
    """The three raw lists of one scope and period, as ``tables`` (``RAW_LISTS`` order).

    Sessions: every session in scope and period, whatever its status. Attendance and outputs:
    those of sessions that were held, whatever the state of their log, with the log status in a
    column — so a list shows work still waiting for confirmation, and filtering on "confirmed"
    gives exactly what the report counts. Drafts written ahead on sessions still planned are
    left out: nothing is known to have happened yet.

    Build it inside ``override("vi")``: labels are read when it is built, rows only when they
    are iterated (which, for a streamed CSV, is after the view has returned).
    """

    def __init__(self, scope: ReportScope, period: Period, directive=None):
        self.scope, self.period = scope, period
        self.sessions = scoped_sessions(scope, period, directive)
        self.held = self.sessions.filter(status=LabourSession.Status.HELD)
        self.places = _Places(self.sessions)
        self.weekdays = {day.value: str(day.label) for day in Weekday}
        self.statuses = _labels(LabourSession.Status.choices)
        self.log_statuses = _labels(LabourSession.LogStatus.choices)
        self.categories = _labels(Member.Category.choices)
        self.levels = _labels(Member.Level.choices)
        self.units = _labels(Unit.choices)
        self.household_statuses = _labels(Household.Status.choices)
        self.sources = _labels(FundingSource.choices)
        self.yes_no = {True: _("yes"), False: _("no")}
        self.tables = {
            "sessions": _table(
                pgettext("report sheet", "Sessions"), SESSION_COLUMNS, self._session_rows()
            ),
            "attendance": _table(
                pgettext("report sheet", "Participants"),
                ATTENDANCE_COLUMNS,
                self._attendance_rows(),
            ),
            "outputs": _table(
                pgettext("report sheet", "Work done"), OUTPUT_COLUMNS, self._output_rows()
            ),
        }

    def file_name(self, which: str, extension: str) -> str:
        return file_name(FILE_STEMS[which], self.scope, self.period, extension)

    def _session_rows(self) -> Iterator[list]:
        rows = (
            self.sessions.order_by("date", "start_time", "id")
            .annotate(named=Count("attendances"), named_workdays=Sum("attendances__workdays"))
            .values(
                "id",
                "date",
                "start_time",
                "cell__committee__name",
                "cell__name",
                "village_id",
                "directive__symbol",
                "status",
                "status_reason",
                "log_status",
                "unlisted_commune_cadres",
                "unlisted_armed_forces",
                "unlisted_villagers",
                "named",
                "named_workdays",
                "planned_work",
                "notes",
            )
        )
        for row in rows.iterator(chunk_size=CHUNK_SIZE):
            day = row["date"]
            village, commune = self.places.on(row["village_id"], day)
            yield [
                row["id"],
                day,
                self.weekdays[day.weekday()],
                row["start_time"],
                row["cell__committee__name"],
                row["cell__name"],
                village,
                commune,
                row["directive__symbol"],
                self.statuses[row["status"]],
                row["status_reason"],
                self.log_statuses[row["log_status"]],
                row["unlisted_commune_cadres"],
                row["unlisted_armed_forces"],
                row["unlisted_villagers"],
                row["named"],
                row["named_workdays"] or Decimal("0"),
                row["planned_work"],
                row["notes"],
            ]

    def _held(self, model):
        """``model``'s rows (Attendance, WorkOutput) of the sessions held."""
        return model.objects.filter(session__in=self.held.values("id"))

    def _session_columns(self, row) -> list:
        """The first columns of an attendance or output row: its session (``HELD_FIELDS``), its
        village and commune as they were on the session's date."""
        day = row["session__date"]
        village, commune = self.places.on(row["session__village_id"], day)
        return [row["session_id"], day, row["session__cell__name"], village, commune]

    def _attendance_rows(self) -> Iterator[list]:
        rows = (
            self._held(Attendance)
            .order_by("session__date", "session_id", "member__full_name", "id")
            .values(
                *HELD_FIELDS,
                "member__full_name",
                "category",
                "level",
                "is_party_member",
                "workdays",
            )
        )
        for row in rows.iterator(chunk_size=CHUNK_SIZE):
            yield [
                *self._session_columns(row),
                row["member__full_name"],
                self.categories[row["category"]],
                self.levels[row["level"]],
                self.yes_no[row["is_party_member"]],
                row["workdays"],
                self.log_statuses[row["session__log_status"]],
            ]

    def _output_rows(self) -> Iterator[list]:
        rows = (
            self._held(WorkOutput)
            .order_by("session__date", "session_id", "id")
            .values(
                *HELD_FIELDS,
                "work_type__name",
                "description",
                "quantity",
                "unit",
                "household__head_name",
                "household__status",
                "value_vnd",
                "funding_source",
            )
        )
        for row in rows.iterator(chunk_size=CHUNK_SIZE):
            yield [
                *self._session_columns(row),
                row["work_type__name"],
                row["description"],
                row["quantity"],
                self.units.get(row["unit"], row["unit"]),
                row["household__head_name"],
                self.household_statuses.get(row["household__status"], ""),
                row["value_vnd"],
                self.sources.get(row["funding_source"], ""),
                self.log_statuses[row["session__log_status"]],
            ]
