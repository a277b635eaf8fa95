"""Reads for the cell secretary's log page."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from programs.models import (
    Household,
    LabourSession,
    Member,
    OpinionField,
    OpinionStatus,
    SessionChange,
    Unit,
    Village,
    WorkType,
)
from programs.permissions import cells_of_secretary, is_cell_secretary, members_for_session_log
from programs.text import fold, plain_decimal

__all__ = [
    "FIND_LIMIT",
    "OFFLINE_DAYS_AFTER",
    "OFFLINE_LOGS_MAX",
    "LogData",
    "LogVersion",
    "find_members",
    "last_log_change",
    "log_data",
    "logs_to_keep_offline",
    "posted_log_version",
    "saved_log_version",
]

FIND_LIMIT = 20

# The log forms a secretary's phone keeps for use without signal (programs.offline): the
# sessions of their cells that can still be logged, however late, and the planned ones up to
# this many days ahead; at most this many, the nearest first.
OFFLINE_DAYS_AFTER = 45
OFFLINE_LOGS_MAX = 12


@dataclass
class LogData:
    """What the log page shows of the session, read in a fixed number of queries."""

    workdays: dict = field(default_factory=dict)
    members: list = field(default_factory=list)
    outputs: list = field(default_factory=list)
    photos: list = field(default_factory=list)
    work_types: list = field(default_factory=list)
    households: list = field(default_factory=list)
    opinions: list = field(default_factory=list)
    # The villages an opinion may concern: those of the session's village's commune.
    villages: list = field(default_factory=list)


def log_data(session, *, listed_ids=(), found=()) -> LogData:
    """The session's log as stored, and the people to list: the cell's active members, anyone
    already recorded, people added by an earlier search (``listed_ids``) and just found.
    ``listed_ids`` come back from the browser, so they are held to the people a search may
    find (``permissions.members_for_session_log``): a forged id lists nobody else."""
    attendances = list(session.attendances.select_related("member__cell"))
    recorded = {a.member_id for a in attendances}
    findable = members_for_session_log(session).filter(pk__in=[int(pk) for pk in listed_ids])
    listed = (
        Member.objects.filter(
            Q(cell_id=session.cell_id, active=True) | Q(pk__in=findable.values("pk"))
        )
        .exclude(pk__in=recorded)
        .select_related("cell")
    )
    people = {m.pk: m for m in listed}
    people.update({a.member_id: a.member for a in attendances})
    people.update({m.pk: m for m in found})
    # The cell's own members first, then everyone else; by name within each group.
    members = sorted(
        people.values(), key=lambda m: (m.cell_id != session.cell_id, m.search_name, m.pk)
    )
    outputs = list(session.outputs.select_related("work_type", "household").order_by("pk"))
    used_types = {o.work_type_id for o in outputs}
    return LogData(
        workdays={a.member_id: plain_decimal(a.workdays) for a in attendances},
        members=members,
        outputs=outputs,
        photos=list(session.photos.all()),
        work_types=list(
            WorkType.objects.filter(Q(active=True) | Q(pk__in=used_types)).order_by(
                "sort_order", "name"
            )
        ),
        households=list(Household.objects.filter(village_id=session.village_id)),
        opinions=list(session.opinions.order_by("pk")),
        villages=_opinion_villages(session),
    )


def _opinion_villages(session) -> list:
    """The session's village first, then the other villages of its commune by name (one
    query). An opinion may concern a neighbouring village of the same commune."""
    villages = Village.objects.filter(
        Q(commune_id=session.village.commune_id) | Q(pk=session.village_id)
    ).order_by("search_name", "pk")
    return sorted(villages, key=lambda v: v.pk != session.village_id)


def find_members(session, query: str, exclude) -> list:
    """Up to ``FIND_LIMIT`` people whose name contains ``query`` (diacritics and case aside),
    among those the session's log may name (``permissions.members_for_session_log``)."""
    folded = fold(query)
    if not folded:
        return []
    return list(
        members_for_session_log(session)
        .filter(search_name__contains=folded)
        .exclude(pk__in=exclude)
        .select_related("cell")
        .order_by("search_name", "pk")[:FIND_LIMIT]
    )


def logs_to_keep_offline(user, today: datetime.date) -> list[LabourSession]:
    """The sessions whose log forms the user's phone keeps for use without signal: those of
    the cells the user is secretary of that can be logged now or soon, nearest first."""
    if not is_cell_secretary(user):
        return []
    sessions = LabourSession.objects.filter(
        cell__in=cells_of_secretary(user),
        status__in=[LabourSession.Status.PLANNED, LabourSession.Status.HELD],
        date__lte=today + datetime.timedelta(days=OFFLINE_DAYS_AFTER),
    ).exclude(log_status=LabourSession.LogStatus.CONFIRMED)
    # Today's and the coming sessions first, then the late logs from the most recent back.
    coming = list(sessions.filter(date__gte=today).order_by("date", "pk")[:OFFLINE_LOGS_MAX])
    late = sessions.filter(date__lt=today).order_by("-date", "-pk")
    return coming + list(late[: OFFLINE_LOGS_MAX - len(coming)])


def last_log_change(session) -> SessionChange | None:
    """The session's latest recorded change, with its author: who saved the version a stale
    form collided with."""
    return session.changes.select_related("user").order_by("-at", "-pk").first()


@dataclass
class LogVersion:
    """One version of a log in words, for the page that shows two side by side after a stale
    save: the one the secretary sent and the one someone else saved meanwhile."""

    people: list[tuple[str, Decimal]]
    unlisted: tuple[int, int, int]
    outputs: list[tuple[str, str, Decimal, str, str]]
    notes: str
    photos: int
    saved_by: object = None  # the user, shown with the person_name filter
    saved_at: datetime.datetime | None = None
    # (field, words, status) of each villagers' opinion, labelled in the page's language.
    opinions: list[tuple[str, str, str]] = field(default_factory=list)


def _opinion_line(field_code: str, text: str, status: str) -> tuple[str, str, str]:
    return (str(OpinionField(field_code).label), text, str(OpinionStatus(status).label))


def _unit_label(unit: str, work_type) -> str:
    return Unit(unit or work_type.default_unit).label


def saved_log_version(session) -> LogVersion:
    """The log as the database holds it now, with who saved it last."""
    attendances = session.attendances.select_related("member").order_by("member__search_name")
    change = last_log_change(session)
    return LogVersion(
        people=[(str(a.member), a.workdays) for a in attendances],
        unlisted=(
            session.unlisted_commune_cadres,
            session.unlisted_armed_forces,
            session.unlisted_villagers,
        ),
        outputs=[
            (
                str(o.work_type),
                o.description,
                o.quantity,
                _unit_label(o.unit, o.work_type),
                str(o.household or ""),
            )
            for o in session.outputs.select_related("work_type", "household").order_by("pk")
        ],
        notes=session.notes,
        photos=session.photos.count(),
        saved_by=change.user if change else None,
        saved_at=change.at if change else None,
        opinions=[
            _opinion_line(o.field, o.text, o.status) for o in session.opinions.order_by("pk")
        ],
    )


def posted_log_version(data, members: list, photos: int) -> LogVersion:
    """The log as a form sent it (``services.logbook.LogInput``); ``members`` are the people the
    form listed and ``photos`` how many photos the log would have."""
    names = {m.pk: m for m in members}
    people = sorted(
        ((names[pk], days) for pk, days in data.attendance.items() if pk in names),
        key=lambda pair: pair[0].search_name,
    )
    return LogVersion(
        people=[(str(member), days) for member, days in people],
        unlisted=(
            data.unlisted_commune_cadres,
            data.unlisted_armed_forces,
            data.unlisted_villagers,
        ),
        outputs=[
            (
                str(o.work_type),
                o.description,
                o.quantity,
                _unit_label(o.unit, o.work_type),
                str(o.household or o.new_household_name),
            )
            for o in data.outputs
        ],
        notes=data.notes,
        photos=photos,
        opinions=[_opinion_line(o.field, o.text, o.status) for o in data.opinions or []],
    )
