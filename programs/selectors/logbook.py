"""Reads for the cell secretary's log page."""

from dataclasses import dataclass, field

from django.db.models import Q

from programs.models import Household, Member, WorkType
from programs.permissions import members_for_session_log
from programs.text import fold, plain_decimal

__all__ = ["FIND_LIMIT", "LogData", "find_members", "log_data"]

FIND_LIMIT = 20


@dataclass
class LogData:
    """What the log page shows of the session, read in a fixed number of queries."""

    workdays: dict = field(default_factory=dict)
    members: list = field(default_factory=list)
    outputs: list = field(default_factory=list)
    photos: list = field(default_factory=list)
    work_types: list = field(default_factory=list)
    households: list = field(default_factory=list)


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
    )


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
