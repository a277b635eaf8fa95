"""Keeping the monthly roll-ups (``CellMonthRollup``) equal to the confirmed logs they sum.

A (cell, month) is recomputed whole from the raw rows — its roll-up rows deleted and inserted
again — which is simple and always right whatever changed: a log confirmed or reopened, a
session moved or cancelled, a village renamed. ``session_write`` (``_history``) calls
``rollup_refresh`` in the transaction of every write to a session whose log is or was
confirmed, after its row lock; ``places`` calls it after renaming or moving villages. Every
other path (the admin site's inline former names, an import, the shell) is caught by the
database triggers, which list the pair in ``RollupDirty``: reports read those pairs from the
raw rows until the next refresh or ``manage.py rebuild_rollups`` recomputes them.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from programs.models import (
    Attendance,
    CellMonthRollup,
    LabourSession,
    PartyCell,
    RollupDirty,
)
from programs.models.rollups import CATEGORY_COLUMNS, LEVEL_COLUMNS
from programs.reports.places import former_name_id

__all__ = ["rollup_rebuild", "rollup_refresh", "session_rollup_key"]

Key = tuple[int, datetime.date]

# Pairs listed in RollupDirty that one refresh takes along with its own (the rest wait for
# the next one, or for rebuild_rollups): a refresh stays a short transaction.
DIRTY_PER_REFRESH = 200


def session_rollup_key(session: LabourSession) -> Key | None:
    """The (cell, month) a session's confirmed log counts in, or None if it is not confirmed."""
    if session.log_status != LabourSession.LogStatus.CONFIRMED or not session.date:
        return None
    return (session.cell_id, session.date.replace(day=1))


def _attendance_sums() -> dict:
    """The aggregates of one session's attendance, by the roll-up's column names (prefixed
    "sum_": an aggregate may not take the name of the field it sums)."""
    sums = {
        "named_visits": Count("id"),
        "workdays": Sum("workdays"),
        "party_member_visits": Count("id", filter=Q(is_party_member=True)),
    }
    for field, columns in (("category", CATEGORY_COLUMNS), ("level", LEVEL_COLUMNS)):
        for value, (visits, workdays) in columns.items():
            sums[visits] = Count("id", filter=Q(**{field: value}))
            sums[workdays] = Sum("workdays", filter=Q(**{field: value}))
    return {f"sum_{name}": aggregate for name, aggregate in sums.items()}


def _rollups(sessions) -> list[CellMonthRollup]:
    """The roll-up rows of ``sessions`` (a queryset), two queries: the confirmed sessions with
    their place, and their attendance summed per session; added up here per key."""
    confirmed = sessions.filter(
        status=LabourSession.Status.HELD, log_status=LabourSession.LogStatus.CONFIRMED
    )
    keys = {
        pk: key
        for pk, *key in confirmed.annotate(month=TruncMonth("date"), place=former_name_id())
        .values_list("id", "cell_id", "directive_id", "village_id", "month", "place")
        .order_by()
    }
    rows: dict[tuple, CellMonthRollup] = {}
    for cell, directive, village, month, place in keys.values():
        key = (cell, directive, village, month, place)
        row = rows.setdefault(
            key,
            CellMonthRollup(
                cell_id=cell,
                directive_id=directive,
                village_id=village,
                month=month,
                place_id=place,
            ),
        )
        row.sessions += 1
    sums = _attendance_sums()
    for values in (
        Attendance.objects.using(sessions.db)
        .filter(session__in=confirmed.values("id"))
        .values("session_id")
        .annotate(**sums)
        .order_by()
    ):
        key = keys.get(values["session_id"])
        if key is None:  # confirmed after the first read: a later refresh counts it
            continue
        row = rows[tuple(key)]
        for alias in sums:
            name = alias.removeprefix("sum_")
            setattr(row, name, getattr(row, name) + (values[alias] or Decimal(0)))
    return list(rows.values())


def _in_keys(keys: Iterable[Key], cell="cell_id", day="date") -> Q:
    condition = Q(pk__in=[])
    for cell_id, month in keys:
        last = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        condition |= Q(**{cell: cell_id, f"{day}__gte": month, f"{day}__lte": last})
    return condition


def rollup_refresh(*, keys: Iterable[Key | None] = ()) -> None:
    """Recompute the (cell, month) pairs ``keys`` and up to ``DIRTY_PER_REFRESH`` pairs the
    triggers listed, and clear them from ``RollupDirty``; in the caller's transaction.

    Side effects: the cells' rows locked (two refreshes of one month take turns: each deletes
    what the other inserted; ``no_key``, so writes that only reference a cell through a
    foreign key, which take KEY SHARE locks, are not blocked), their roll-up rows of those
    months replaced, the pairs removed from ``RollupDirty``.
    """
    with transaction.atomic():
        dirty = list(
            RollupDirty.objects.select_for_update()
            .order_by("id")
            .values_list("id", "cell_id", "month")[:DIRTY_PER_REFRESH]
        )
        wanted = {key for key in keys if key is not None}
        wanted |= {(cell, month) for _pk, cell, month in dirty}
        if not wanted:
            return
        list(
            PartyCell.objects.select_for_update(no_key=True)
            .filter(pk__in={cell for cell, _month in wanted})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        CellMonthRollup.objects.filter(
            Q(pk__in=[]) | _or(Q(cell_id=cell, month=month) for cell, month in wanted)
        ).delete()
        CellMonthRollup.objects.bulk_create(
            _rollups(LabourSession.objects.filter(_in_keys(wanted))), batch_size=500
        )
        RollupDirty.objects.filter(
            Q(pk__in=[pk for pk, _cell, _month in dirty])
            | _or(Q(cell_id=cell, month=month) for cell, month in wanted)
        ).delete()


def _or(conditions) -> Q:
    result = Q(pk__in=[])
    for condition in conditions:
        result |= condition
    return result


def rollup_rebuild(*, using: str | None = None) -> int:
    """Recompute every roll-up from the raw rows and clear ``RollupDirty``; return the number
    of roll-up rows. Idempotent (``manage.py rebuild_rollups``, restore, the data generators).

    Safe on a live PostgreSQL database: it first takes ``LOCK TABLE programs_cellmonthrollup,
    programs_rollupdirty IN EXCLUSIVE MODE`` (waiting for writers already in flight to
    commit). Until it commits, every refresh waits at its first statement (its
    ``SELECT ... FOR UPDATE`` on ``RollupDirty`` needs ROW SHARE, which EXCLUSIVE refuses),
    and so does every write that changes a confirmed log (the triggers' insert into
    ``RollupDirty`` needs ROW EXCLUSIVE), while reports still read (ACCESS SHARE is allowed).
    So no confirmed data changes between its reads, no refresh inserts rows beside its own,
    and no dirty mark is lost by emptying ``RollupDirty``. SQLite has one writer at a time.

    Side effects: every ``CellMonthRollup`` row replaced, ``RollupDirty`` emptied, in one
    transaction.
    """
    with transaction.atomic(using=using):
        connection = connections[using or DEFAULT_DB_ALIAS]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "LOCK TABLE programs_cellmonthrollup, programs_rollupdirty IN EXCLUSIVE MODE"
                )
        CellMonthRollup.objects.using(using).all().delete()
        rows = _rollups(LabourSession.objects.using(using).all())
        CellMonthRollup.objects.using(using).bulk_create(rows, batch_size=1000)
        RollupDirty.objects.using(using).all().delete()
    return len(rows)
