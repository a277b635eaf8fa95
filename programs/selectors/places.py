"""Reads for the cell and village pages: their assignments and their history of sessions."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, prefetch_related_objects

from programs.models import Assignment, LabourSession, PartyCell, Village, VillageName
from programs.permissions import assignments_visible_to, sessions_visible_to

from .calendar import mark_late

__all__ = [
    "SESSIONS_PER_PAGE",
    "cell_history",
    "planned_sessions_affected_by_move",
    "split_assignments",
    "village_history",
]

# A cell holds about one session a month: 50 rows is four years of history on one page.
SESSIONS_PER_PAGE = 50


@dataclass
class AssignmentGroups:
    current: list[Assignment]
    past: list[Assignment]


def split_assignments(assignments, today: datetime.date) -> AssignmentGroups:
    """Assignments still running (or starting later) first, then those that ended."""
    groups = AssignmentGroups(current=[], past=[])
    for assignment in assignments:
        ended = assignment.ends_on is not None and assignment.ends_on < today
        (groups.past if ended else groups.current).append(assignment)
    return groups


def _page(queryset, number, today) -> Page:
    page = Paginator(queryset, SESSIONS_PER_PAGE).get_page(number)
    page.object_list = mark_late(page.object_list, today)
    return page


def cell_history(cell: PartyCell, *, page: str | None, today: datetime.date) -> dict:
    """A cell's assignments and one page of its sessions, newest first.

    Each session carries ``village_label``: the village's name as it was on the session's day
    (a village renamed by the 2025 reform keeps its old name on old sessions).
    """
    assignments = cell.assignments.select_related("village__commune", "directive").order_by(
        "-starts_on", "-id"
    )
    sessions = (
        # ``placement_on`` returns the village's commune too: joined, so it costs no query.
        cell.sessions.select_related("village__commune")
        .prefetch_related(
            Prefetch("village__names", queryset=VillageName.objects.select_related("commune"))
        )
        .order_by("-date", "-start_time", "-id")
    )
    sessions_page = _page(sessions, page, today)
    for session in sessions_page.object_list:
        name, _commune = session.village.placement_on(session.date)
        session.village_label = f"{Village.KIND_WORDS[session.village.kind]} {name}"
    return {
        "assignments": split_assignments(assignments, today),
        "sessions_page": sessions_page,
    }


def village_history(user, village: Village, *, page: str | None, today: datetime.date) -> dict:
    """A village's names (today's and former), households, the assignments of the cells the
    user reaches, and one page of those cells' sessions there, newest first."""
    prefetch_related_objects(
        [village],
        Prefetch(
            "names",
            queryset=VillageName.objects.select_related(
                "commune__district", "commune__province"
            ).order_by("valid_from", "id"),
        ),
    )
    assignments = (
        assignments_visible_to(user)
        .filter(village=village)
        .select_related("cell__committee", "directive")
        .order_by("-starts_on", "-id")
    )
    sessions = (
        sessions_visible_to(user)
        .filter(village=village)
        .select_related("cell")
        .order_by("-date", "-start_time", "-id")
    )
    return {
        "label_today": village.label_on(today),
        "former_names": list(village.names.all()),
        "household_count": village.households.count(),
        "assignments": split_assignments(assignments, today),
        "sessions_page": _page(sessions, page, today),
    }


def planned_sessions_affected_by_move(
    cell: PartyCell,
    starts_on: datetime.date,
    village: Village,
    *,
    directive=None,
    until: datetime.date | None = None,
) -> list[LabourSession]:
    """The cell's planned sessions from ``starts_on`` on that are not in ``village``: those a
    move of the cell to ``village`` from that day leaves in the old place, to be moved or
    cancelled by hand. Limited to one directive and to sessions up to ``until`` when given.
    Oldest first."""
    sessions = LabourSession.objects.planned().filter(cell=cell, date__gte=starts_on)
    if directive is not None:
        sessions = sessions.filter(directive=directive)
    if until is not None:
        sessions = sessions.filter(date__lte=until)
    return list(
        sessions.exclude(village=village).select_related("village").order_by("date", "start_time")
    )
