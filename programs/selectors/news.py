"""Reads for the news page and the share card: the sessions a news item may cover, each with
its confirmed log, and what tells public text from private (names that may not be printed)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from programs.models import (
    Attendance,
    Household,
    LabourSession,
    Member,
    NewsDraft,
    PartyCell,
    PartyCommittee,
    Photo,
    WorkOutput,
)

__all__ = [
    "NewsSources",
    "confirmed_session_ids",
    "news_candidates",
    "news_draft_by_token",
    "news_draft_for",
    "news_sources",
]


def _confirmed() -> QuerySet:
    return LabourSession.objects.filter(
        status=LabourSession.Status.HELD, log_status=LabourSession.LogStatus.CONFIRMED
    )


def news_candidates(visible: QuerySet, session: LabourSession) -> list[LabourSession]:
    """The confirmed sessions of the session's committee in the session's month, among
    ``visible`` (what the user may read): what one news item may combine. One query."""
    first = session.date.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return list(
        visible.filter(pk__in=_confirmed().values("pk"))
        .filter(
            cell__committee_id=session.cell.committee_id,
            date__gte=first,
            date__lt=following,
        )
        .select_related("cell", "village")
        .order_by("date", "cell__name", "pk")
    )


@dataclass
class NewsSources:
    """Everything the composer reads, fetched in a fixed number of queries."""

    sessions: list[LabourSession]
    # The committee of each commune (by commune id) and the village cell of each village.
    commune_committees: dict[int, PartyCommittee] = field(default_factory=dict)
    village_cells: dict[int, PartyCell] = field(default_factory=dict)
    # Names that are never printed: the people who came, every member of the sessions' cells
    # (an edited headline may name one who did not come) and the households that did not
    # agree to be named, of every village the sessions were held in.
    private_names: set[str] = field(default_factory=set)


def news_sources(session_ids, *, first=None) -> NewsSources:
    """The confirmed sessions among ``session_ids`` with their logs, places and partners (eight
    queries however many sessions, people, works and photos): the session ``first`` (an id)
    first, as the item is about it, then the others by date and cell."""
    sessions = list(
        _confirmed()
        .filter(pk__in=list(session_ids))
        .select_related(
            "cell__committee",
            "village__commune__district__province",
            "village__commune__province",
            "directive__parent__parent",
        )
        .prefetch_related(
            "village__names__commune__district__province",
            Prefetch("attendances", queryset=Attendance.objects.select_related("member")),
            Prefetch(
                "outputs",
                queryset=WorkOutput.objects.select_related("work_type", "household").order_by("id"),
            ),
            Prefetch("photos", queryset=Photo.objects.order_by("created_at", "id")),
        )
        .order_by("date", "cell__name", "pk")
    )
    sessions.sort(key=lambda s: s.pk != first)
    sources = NewsSources(sessions=sessions)
    if not sessions:
        return sources
    village_ids = {s.village_id for s in sessions}
    communes = {s.village.commune_id for s in sessions}
    for session in sessions:
        communes.add(session.village.placement_on(session.date)[1].pk)
    for committee in PartyCommittee.objects.filter(commune_id__in=communes).order_by("pk"):
        sources.commune_committees.setdefault(committee.commune_id, committee)
    for cell in PartyCell.objects.filter(
        kind=PartyCell.Kind.VILLAGE, home_village_id__in=village_ids, active=True
    ).order_by("pk"):
        sources.village_cells.setdefault(cell.home_village_id, cell)
    sources.private_names = {
        attendance.member.full_name for s in sessions for attendance in s.attendances.all()
    }
    sources.private_names.update(
        Member.objects.filter(cell_id__in={s.cell_id for s in sessions}).values_list(
            "full_name", flat=True
        )
    )
    sources.private_names.update(
        Household.objects.filter(village_id__in=village_ids, publishable=False).values_list(
            "head_name", flat=True
        )
    )
    return sources


def confirmed_session_ids(session_ids) -> set[int]:
    """Those of ``session_ids`` whose log is confirmed (one query)."""
    return set(_confirmed().filter(pk__in=list(session_ids)).values_list("pk", flat=True))


def news_draft_for(session: LabourSession) -> NewsDraft | None:
    """The saved news item of a session, with its sessions and photos (three queries)."""
    return (
        NewsDraft.objects.select_related("edited_by", "published_by")
        .prefetch_related(
            Prefetch("sessions", queryset=LabourSession.objects.only("pk")),
            Prefetch("photos", queryset=Photo.objects.order_by("created_at", "id")),
        )
        .filter(session=session)
        .first()
    )


def news_draft_by_token(token: str) -> NewsDraft | None:
    """The published news item whose share address is ``token`` (None for any other text)."""
    if not token or len(token) > 64:
        return None
    return (
        NewsDraft.objects.select_related("session")
        .prefetch_related(
            Prefetch("sessions", queryset=LabourSession.objects.only("pk")),
            Prefetch("photos", queryset=Photo.objects.order_by("created_at", "id")),
        )
        .filter(share_token=token)
        .first()
    )
