"""The overview page: an officer's dashboard of the month, or a secretary's own cell.

Every function here runs a fixed number of queries whatever the number of cells or sessions,
and returns lists, so the template never runs a query.
"""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Window
from django.db.models.functions import RowNumber

from programs.models import Assignment, LabourSession, Member
from programs.permissions import cells_followed_by, cells_of_secretary, sessions_hosted_for
from programs.planning import Month

from .calendar import LATE_LABEL, mark_late

# The dashboard lists at most this many idle cells and weekend sessions; links lead to the
# compliance grid and the calendar for the rest (a province officer follows 1,500 cells).
DASHBOARD_LIST_LIMIT = 25

__all__ = [
    "AWAITING_LOG_PER_CELL",
    "DASHBOARD_LIST_LIMIT",
    "RECENT_SESSIONS_PER_CELL",
    "dashboard",
    "hosted_sessions",
    "next_weekend",
    "secretary_overview",
]

# A secretary's overview shows the last few sessions; the cell page has the full history.
RECENT_SESSIONS_PER_CELL = 5
# Past sessions still to log, newest first; older ones are on the cell page.
AWAITING_LOG_PER_CELL = 10


def next_weekend(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The coming Saturday and Sunday; this weekend's when today is one of them."""
    saturday = today + datetime.timedelta(days=5 - today.weekday())
    return saturday, saturday + datetime.timedelta(days=1)


def _status_counts(month_sessions, today: datetime.date) -> list[tuple[str, str, int]]:
    """(code, label, count) for the month's sessions: "late" counts planned sessions whose day
    has passed, "planned" only those still to come, so the counts add up to the month's total.
    One aggregate query."""
    Status = LabourSession.Status
    counts = month_sessions.aggregate(
        planned=Count("id", filter=Q(status=Status.PLANNED, date__gte=today)),
        late=Count("id", filter=Q(status=Status.PLANNED, date__lt=today)),
        held=Count("id", filter=Q(status=Status.HELD)),
        postponed=Count("id", filter=Q(status=Status.POSTPONED)),
        cancelled=Count("id", filter=Q(status=Status.CANCELLED)),
    )
    labels = {
        "planned": Status.PLANNED.label,
        "late": LATE_LABEL,
        "held": Status.HELD.label,
        "postponed": Status.POSTPONED.label,
        "cancelled": Status.CANCELLED.label,
    }
    return [(code, labels[code], counts[code]) for code in labels]


def _current_assignments(today: datetime.date, *related: str) -> Prefetch:
    """Prefetch each cell's assignments in force ``today`` as ``cell.current_assignments``."""
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.on(today)
        .select_related("village", *related)
        .order_by("starts_on", "id"),
        to_attr="current_assignments",
    )


def dashboard(user, today: datetime.date) -> dict:
    """An officer's or viewer's month at a glance.

    - ``status_counts``: this month's sessions of the cells in scope (see ``_status_counts``);
    - ``idle_cells``: cells with a current assignment and nothing planned or held this month;
    - ``weekend``: the sessions of the next weekend (see ``next_weekend``).
    """
    Status = LabourSession.Status
    month = Month.of(today)
    cells = cells_followed_by(user)
    month_sessions = LabourSession.objects.filter(
        cell__in=cells, date__gte=month.first, date__lte=month.last
    )
    status_counts = _status_counts(month_sessions, today)
    current_assignment = Assignment.objects.on(today).filter(cell=OuterRef("pk"))
    busy = month_sessions.filter(cell=OuterRef("pk"), status__in=[Status.PLANNED, Status.HELD])
    assigned_cells = cells.filter(Exists(current_assignment))
    idle_cells = (
        assigned_cells.exclude(Exists(busy))
        .select_related("committee")
        .prefetch_related(_current_assignments(today))
        .order_by("committee__name", "name")
    )
    saturday, sunday = next_weekend(today)
    weekend = (
        LabourSession.objects.filter(cell__in=cells, date__gte=saturday, date__lte=sunday)
        .select_related("cell", "village")
        .order_by("date", "start_time", "cell__name")
    )
    return {
        "month": month,
        "status_counts": status_counts,
        "session_total": sum(count for _code, _label, count in status_counts),
        "assigned_cell_count": assigned_cells.count(),
        "idle_count": idle_cells.count(),
        "idle_cells": list(idle_cells[:DASHBOARD_LIST_LIMIT]),
        "weekend_start": saturday,
        "weekend_end": sunday,
        "weekend_count": weekend.count(),
        "weekend_sessions": mark_late(weekend[:DASHBOARD_LIST_LIMIT], today),
    }


_NEWEST_FIRST = ["-date", "-start_time", "-id"]
_OLDEST_FIRST = ["date", "start_time", "id"]


def _first_per_cell(sessions, order: list[str], limit: int):
    """The first ``limit`` sessions of each cell in ``order``, in one query: a window numbers
    each cell's sessions and only the first rows are kept (a province secretary may have
    years of sessions; only a handful are shown)."""
    numbered = sessions.annotate(
        row=Window(
            RowNumber(),
            partition_by=[F("cell_id")],
            order_by=[F(f.lstrip("-")).desc() if f[0] == "-" else F(f).asc() for f in order],
        )
    )
    return numbered.filter(row__lte=limit).select_related("village").order_by(*order)


def _by_cell(sessions) -> dict[int, list[LabourSession]]:
    grouped: dict[int, list[LabourSession]] = {}
    for session in sessions:
        grouped.setdefault(session.cell_id, []).append(session)
    return grouped


def secretary_overview(user, today: datetime.date) -> dict:
    """A cell secretary's own cell(s): the next planned session, the past sessions still waiting
    for their log (``awaiting_log``: planned or held, day passed, nothing or only a draft
    logged), the logs returned for correction (``returned_logs``, with the officer's comment),
    the last few sessions, the members, and the village the cell is assigned to now."""
    Status, LogStatus = LabourSession.Status, LabourSession.LogStatus
    cells = list(
        cells_of_secretary(user)
        .select_related("committee")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=Member.objects.filter(active=True).order_by("full_name"),
                to_attr="active_members",
            ),
            _current_assignments(today, "directive"),
        )
        .order_by("name")
    )
    mine = LabourSession.objects.filter(cell_id__in=[cell.pk for cell in cells])
    upcoming = mine.filter(status=Status.PLANNED, date__gte=today)
    recent = mine.filter(date__lte=today).exclude(status=Status.PLANNED, date=today)
    awaiting = mine.filter(
        status__in=[Status.PLANNED, Status.HELD],
        date__lte=today,
        log_status__in=[LogStatus.NONE, LogStatus.DRAFT],
    )
    returned = mine.filter(log_status=LogStatus.RETURNED).select_related("village")
    next_by_cell = _by_cell(_first_per_cell(upcoming, _OLDEST_FIRST, 1))
    recent_by_cell = _by_cell(
        mark_late(_first_per_cell(recent, _NEWEST_FIRST, RECENT_SESSIONS_PER_CELL), today)
    )
    awaiting_by_cell = _by_cell(
        mark_late(_first_per_cell(awaiting, _NEWEST_FIRST, AWAITING_LOG_PER_CELL), today)
    )
    returned_by_cell = _by_cell(returned.order_by(*_OLDEST_FIRST))
    for cell in cells:
        cell.next_session = next_by_cell.get(cell.pk, [None])[0]
        cell.recent_sessions = recent_by_cell.get(cell.pk, [])
        cell.awaiting_log = awaiting_by_cell.get(cell.pk, [])
        cell.returned_logs = returned_by_cell.get(cell.pk, [])
    return {"cells": cells}


def hosted_sessions(user, today: datetime.date) -> dict:
    """For a host commune's committee: this month's sessions that other committees' cells hold
    in its villages (``sessions``, the first ``DASHBOARD_LIST_LIMIT`` by date, and ``count``).
    Two queries whatever the number."""
    month = Month.of(today)
    sessions = (
        sessions_hosted_for(user)
        .filter(date__gte=month.first, date__lte=month.last)
        .select_related("cell__committee", "village")
        .order_by("date", "start_time", "id")
    )
    return {
        "month": month,
        "count": sessions.count(),
        "sessions": mark_late(sessions[:DASHBOARD_LIST_LIMIT], today),
    }
