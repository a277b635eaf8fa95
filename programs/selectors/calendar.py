"""Reads for the month calendar, the filterable session list and the iCalendar feed.

Each function returns a queryset or list with the joins its page needs, so the number of
queries does not grow with the number of cells or sessions.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from programs import permissions
from programs.models import LabourSession, PartyCommittee, VillageName
from programs.planning import Month, public_holidays

__all__ = [
    "LATE",
    "LATE_LABEL",
    "CalendarDay",
    "feed_sessions",
    "mark_late",
    "month_calendar",
    "sessions_filtered",
]

# Not a stored status: a planned session whose date has passed without being logged.
LATE = "late"
LATE_LABEL = _("late")


def mark_late(sessions, today: datetime.date) -> list[LabourSession]:
    """Give each session ``badge_status`` and ``badge_label`` for includes/status_badge.html:
    its status, or "late" for a planned session dated before ``today``."""
    sessions = list(sessions)
    # The labels once, not once per session: a province's month is 1,500 sessions.
    labels = {status: str(label) for status, label in LabourSession.Status.choices}
    late_label = str(LATE_LABEL)
    for session in sessions:
        if session.status == LabourSession.Status.PLANNED and session.date < today:
            session.badge_status, session.badge_label = LATE, late_label
        else:
            session.badge_status = session.status
            session.badge_label = labels.get(session.status, session.status)
    return sessions


@dataclass
class CalendarDay:
    date: datetime.date
    is_today: bool = False
    holiday: str = ""
    # The day's first sessions (``per_day`` of them at most) and how many the day has in all.
    sessions: list[LabourSession] = field(default_factory=list)
    total: int = 0

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def column(self) -> int:
        """1 for Monday … 7 for Sunday: the day's column in the month grid."""
        return self.date.weekday() + 1

    @property
    def more(self) -> int:
        """The sessions of the day not shown (the list has them all)."""
        return self.total - len(self.sessions)


def month_calendar(user, month: Month, *, today: datetime.date, per_day: int) -> list[CalendarDay]:
    """Every day of ``month`` with the first ``per_day`` sessions ``user`` may see that day
    and how many there are in all (two queries). A province's weekend day has hundreds of
    sessions: only those shown are read, numbered per day by the database."""
    visible = permissions.sessions_visible_to(user).between(month.first, month.last)
    order = ("date", "start_time", "cell__name", "pk")
    sessions = mark_late(
        visible.select_related("cell", "village")
        # Only what a calendar entry shows.
        .only(
            "id",
            "date",
            "start_time",
            "status",
            "cell__name",
            "village__name",
            "village__kind",
        )
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("date")], order_by=[F(f) for f in order[1:]])
        )
        .filter(rank__lte=per_day)
        .order_by(*order),
        today,
    )
    holidays = public_holidays(month)
    days = {
        day: CalendarDay(date=day, is_today=day == today, holiday=holidays.get(day, ""))
        for day in month.days()
    }
    for session in sessions:
        days[session.date].sessions.append(session)
    for day, total in visible.order_by().values_list("date").annotate(n=Count("id")):
        days[day].total = total
    return list(days.values())


def sessions_filtered(
    user,
    *,
    today: datetime.date,
    month: Month | None = None,
    committee: PartyCommittee | None = None,
    cell=None,
    village=None,
    status: str = "",
    committee_ids: frozenset[int] | None = None,
):
    """The sessions ``user`` may see, narrowed by the list's filters, newest first.

    ``committee`` covers the committees below it too; pass ``committee_ids`` when the caller
    already computed that subtree. ``status`` may be "late" (planned, dated before ``today``).
    """
    sessions = permissions.sessions_visible_to(user)
    if month:
        sessions = sessions.between(month.first, month.last)
    if committee:
        ids = (
            committee_ids
            if committee_ids is not None
            else permissions.committee_subtree_ids(committee.pk)
        )
        sessions = sessions.filter(cell__committee_id__in=ids)
    if cell:
        sessions = sessions.filter(cell=cell)
    if village:
        sessions = sessions.filter(village=village)
    if status == LATE:
        sessions = sessions.planned().filter(date__lt=today)
    elif status:
        sessions = sessions.filter(status=status)
    return sessions.select_related("cell", "village", "directive").order_by(
        "-date", "-start_time", "cell__name", "-pk"
    )


def _shift(month: Month, count: int) -> Month:
    step = Month.next if count > 0 else Month.previous
    for _n in range(abs(count)):
        month = step(month)
    return month


# A subscribed calendar shows the recent past and the coming year; older sessions stay in the app.
FEED_MONTHS_BACK = 3
FEED_MONTHS_AHEAD = 12


def feed_sessions(user, *, today: datetime.date) -> list[LabourSession]:
    """What ``user``'s calendar feed publishes: visible sessions from three months back to a
    year ahead, without cancelled ones, with everything an event needs (a fixed number of
    queries)."""
    this_month = Month.of(today)
    start = _shift(this_month, -FEED_MONTHS_BACK).first
    end = _shift(this_month, FEED_MONTHS_AHEAD).last
    return list(
        permissions.sessions_visible_to(user)
        .between(start, end)
        .exclude(status=LabourSession.Status.CANCELLED)
        .select_related(
            "cell",
            "village__commune__district__province",
            "village__commune__province",
        )
        # The village's former names, for its label as on the session's date (one query).
        .prefetch_related(
            Prefetch(
                "village__names",
                queryset=VillageName.objects.select_related(
                    "commune__district__province", "commune__province"
                ),
            )
        )
        .order_by("date", "start_time", "pk")
    )
