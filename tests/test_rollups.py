"""The monthly roll-ups equal the raw rows they sum, after every step of random sequences of
confirm, return, reopen, log edits (attendance, work done, households), session moves and
cancellations and village renames; and a report reads the same figures from them as from the
raw rows."""

import datetime
import io
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs import rollup_triggers
from programs.models import (
    Attendance,
    CellMonthRollup,
    LabourSession,
    Member,
    RollupDirty,
    VillageName,
    WorkType,
)
from programs.models.rollups import CATEGORY_COLUMNS, LEVEL_COLUMNS
from programs.reports.figures import build_report, one_snapshot
from programs.reports.periods import parse_period
from programs.reports.scopes import resolve_scope
from programs.services import logbook, places, rollups, sessions
from tests import factories

TODAY = datetime.date(2026, 6, 30)
SATURDAYS = [datetime.date(2026, 3, 7) + datetime.timedelta(weeks=n) for n in range(14)]
COLUMNS = ["sessions", "named_visits", "workdays", "party_member_visits"] + [
    column for pair in (*CATEGORY_COLUMNS.values(), *LEVEL_COLUMNS.values()) for column in pair
]


def raw_sums() -> dict:
    """The roll-ups as they must be, from plain loops over the confirmed sessions."""
    expected = defaultdict(lambda: defaultdict(Decimal))
    confirmed = LabourSession.objects.filter(status="held", log_status="confirmed")
    for session in confirmed.prefetch_related("attendances"):
        place = (
            VillageName.objects.filter(village_id=session.village_id, valid_until__gte=session.date)
            .exclude(valid_from__gt=session.date)
            .values_list("pk", flat=True)
            .first()
        )
        key = (
            session.cell_id,
            session.date.replace(day=1),
            session.directive_id,
            session.village_id,
            place,
        )
        sums = expected[key]
        sums["sessions"] += 1
        for row in session.attendances.all():
            for column in (
                "named_visits",
                CATEGORY_COLUMNS[row.category][0],
                LEVEL_COLUMNS[row.level][0],
            ):
                sums[column] += 1
            for column in ("workdays", CATEGORY_COLUMNS[row.category][1]):
                sums[column] += row.workdays
            sums[LEVEL_COLUMNS[row.level][1]] += row.workdays
            sums["party_member_visits"] += row.is_party_member
    return {key: {c: sums[c] for c in COLUMNS} for key, sums in expected.items()}


def stored() -> dict:
    result = {}
    for row in CellMonthRollup.objects.all():
        key = (row.cell_id, row.month, row.directive_id, row.village_id, row.place_id)
        assert key not in result, "one row per key"
        result[key] = {c: Decimal(getattr(row, c)) for c in COLUMNS}
    return result


def assert_rollups_right():
    assert not RollupDirty.objects.exists()
    assert stored() == raw_sums()


@pytest.fixture
def cast(world):
    members = {
        cell: [
            factories.member(
                cell=world[cell],
                category=category,
                level=level,
                is_party_member=n % 3 != 0,
            )
            for n, (category, level) in enumerate(
                zip(Member.Category.values, [*Member.Level.values] * 2, strict=True)
            )
        ]
        for cell in ("cell", "other_cell")
    }
    work = WorkType.objects.create(name="Giao thông (thử)", default_unit="m")
    households = {
        "village": factories.household(village=world["village"]),
        "other_village": factories.household(village=world["other_village"]),
    }
    return {"members": members, "work": work, "households": households}


def _log(rng, world, cast, session) -> logbook.LogInput:
    cell = "cell" if session.cell_id == world["cell"].pk else "other_cell"
    people = rng.sample(cast["members"][cell], rng.randint(0, 6))
    village = "village" if session.village_id == world["village"].pk else "other_village"
    outputs = [
        logbook.OutputInput(
            work_type=cast["work"],
            quantity=Decimal(rng.randint(1, 50)),
            unit="m",
            household=cast["households"][village] if rng.random() < 0.5 else None,
            value_vnd=rng.choice([None, 100_000]),
            funding_source="state",
        )
        for _n in range(rng.randint(0, 2))
    ]
    return logbook.LogInput(
        attendance={m.pk: Decimal(rng.choice(["0.5", "1", "1.5"])) for m in people},
        unlisted_villagers=rng.randint(0, 5),
        outputs=outputs,
    )


def _step(rng, world, cast, session):
    """One random write through the services, whatever the session's state allows."""
    officer, user = world["officer"], world["admin"]
    version = session.version
    if session.status in ("postponed", "cancelled"):
        return
    log_status = session.log_status
    if log_status == "submitted":
        if rng.random() < 0.7:
            logbook.session_log_confirm(session=session, user=officer, version=version)
        else:
            logbook.session_log_return(session=session, user=officer, version=version, comment="x")
    elif log_status == "confirmed":
        logbook.session_log_reopen(session=session, user=officer, version=version, reason="x")
    elif session.status == "planned" and rng.random() < 0.25:
        taken = set(
            LabourSession.objects.filter(cell_id=session.cell_id).values_list("date", flat=True)
        )
        free = [day for day in SATURDAYS if day not in taken]
        if rng.random() < 0.2:
            sessions.session_cancel(session=session, user=user, reason="Mưa", version=version)
        elif free:
            sessions.session_update(session=session, user=user, version=version, date=free[0])
    else:
        logbook.session_log_save(
            session=session,
            user=user,
            version=version,
            data=_log(rng, world, cast, session),
            submit=rng.random() < 0.8,
            today=TODAY,
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollups_equal_raw_sums_after_every_step(world, cast, seed):
    rng = random.Random(seed)
    days = rng.sample(SATURDAYS, 6)
    made = [
        factories.world_session(world, date=day, **place)
        for day, place in zip(
            days,
            [{}, {}, {}] + [{"cell": world["other_cell"], "village": world["other_village"]}] * 3,
            strict=True,
        )
    ]
    steps_with_rollups = 0
    for step in range(60):
        session = LabourSession.objects.get(pk=rng.choice(made).pk)
        _step(rng, world, cast, session)
        if step == 30:
            # A rename: the village's earlier sessions move to a row of their own.
            places.village_update(
                village=world["village"],
                user=world["admin"],
                changed_on=datetime.date(2026, 4, 20),
                name=f"Phiêng Luông {seed}",
            )
        assert_rollups_right()
        steps_with_rollups += CellMonthRollup.objects.exists()
    # The sequence really confirmed logs (the invariant is not vacuous).
    assert steps_with_rollups > 10


def test_writes_around_the_services_are_read_raw_until_rebuilt(world, cast):
    """A row written directly (an import, the shell, the admin site's inlines) marks its month;
    the report reads that month from the raw rows, so the figures never lag."""
    session = factories.world_session(
        world,
        date=datetime.date(2026, 3, 7),
        status="held",
        log_status="confirmed",
        log_confirmed_at=datetime.datetime(2026, 3, 8, tzinfo=datetime.UTC),
    )
    member = cast["members"]["cell"][0]
    row = Attendance(session=session, member=member, workdays=Decimal("1.5"))
    row.copy_from_member()
    row.save()
    assert set(RollupDirty.objects.values_list("cell_id", "month")) == {
        (world["cell"].pk, datetime.date(2026, 3, 1))
    }
    scope = resolve_scope(world["officer"], {"committee": str(world["committee"].pk)})
    period = parse_period({"period": "year", "year": "2026"}, TODAY)
    before = build_report(scope, period, today=TODAY)
    assert (before.totals.named_visits, before.totals.workdays) == (1, Decimal("1.5"))
    out = io.StringIO()
    call_command("rebuild_rollups", stdout=out)
    assert "1 months were waiting" in out.getvalue()
    assert_rollups_right()
    after = build_report(scope, period, today=TODAY)
    assert (after.totals.named_visits, after.totals.workdays) == (1, Decimal("1.5"))
    assert [(r.key, r.visits, r.workdays) for r in after.cells] == [
        (r.key, r.visits, r.workdays) for r in before.cells
    ]


@pytest.mark.parametrize("seed", [4, 5])
def test_report_reads_the_same_figures_from_rollups_as_from_raw_rows(world, cast, seed):
    rng = random.Random(seed)
    made = [factories.world_session(world, date=day) for day in rng.sample(SATURDAYS, 5)]
    for _step_number in range(25):
        _step(rng, world, cast, LabourSession.objects.get(pk=rng.choice(made).pk))
    assert_rollups_right()
    scope = resolve_scope(world["officer"], {"committee": str(world["committee"].pk)})
    period = parse_period({"period": "year", "year": "2026"}, TODAY)
    from_rollups = build_report(scope, period, today=TODAY)
    scope.rollup_filter = None
    from_raw = build_report(scope, period, today=TODAY)

    def figures(report):
        return (
            report.totals,
            report.by_category,
            report.by_level,
            [(r.key, r.visits, r.workdays, r.held) for r in report.cells],
            [(r.key, r.visits, r.workdays) for r in report.villages],
            [(r.key, r.visits, r.workdays) for r in report.months],
        )

    assert figures(from_rollups) == figures(from_raw)
    assert rollups.DIRTY_PER_REFRESH > 0


def test_a_former_name_written_directly_marks_the_months_it_moves(world, cast):
    """The admin site's inline rows and imports write former names around ``places``: the
    triggers list the village's confirmed months, and the next refresh recomputes them."""
    session = factories.world_session(world, date=datetime.date(2026, 3, 7))
    logbook.session_log_save(
        session=session,
        user=world["admin"],
        version=session.version,
        data=logbook.LogInput(attendance={cast["members"]["cell"][0].pk: Decimal("1")}),
        submit=True,
        today=TODAY,
    )
    session.refresh_from_db()
    logbook.session_log_confirm(session=session, user=world["officer"], version=session.version)
    assert_rollups_right()
    assert CellMonthRollup.objects.get().place_id is None
    former = VillageName.objects.create(
        village=world["village"],
        name="Phiêng Luông cũ",
        commune=world["commune"],
        valid_until=datetime.date(2026, 5, 31),
    )
    assert RollupDirty.objects.filter(cell_id=world["cell"].pk).exists()
    rollups.rollup_refresh()
    assert_rollups_right()
    assert CellMonthRollup.objects.get().place_id == former.pk


# --- The triggers, the migration and the locks ----------------------------------------------


def _trigger_names() -> set[str]:
    sql = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'",
        "postgresql": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {name for (name,) in cursor.fetchall() if name.startswith("programs_rollup_")}


class Editor:
    """The two things the trigger helpers use of a schema editor."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_every_rollup_trigger_exists_after_migrate(db):
    """A later migration that rebuilds programs_laboursession, programs_attendance or
    programs_villagename on SQLite without dropping and recreating the triggers
    (``programs.rollup_triggers``) loses them or breaks: this fails then."""
    expected = set(rollup_triggers.trigger_names(connection.vendor))
    assert len(expected) == {"sqlite": 9, "postgresql": 12}[connection.vendor]
    assert _trigger_names() == expected


def test_triggers_drop_and_come_back(db):
    """The pair a future migration wraps its schema changes in."""

    rollup_triggers.drop_triggers(Editor())
    assert _trigger_names() == set()
    rollup_triggers.create_triggers(Editor())
    assert _trigger_names() == set(rollup_triggers.trigger_names(connection.vendor))


def _statements(queries) -> list[str]:
    """The SQL run, without the transaction's own BEGIN and savepoints."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(("BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_rebuild_locks_both_tables_first_on_postgresql(world, cast):
    with CaptureQueriesContext(connection) as queries:
        rollups.rollup_rebuild()
    first = _statements(queries)[0]
    if connection.vendor == "postgresql":
        assert first == (
            "LOCK TABLE programs_cellmonthrollup, programs_rollupdirty IN EXCLUSIVE MODE"
        )
    else:
        assert "LOCK" not in first


def test_refresh_locks_cells_without_blocking_foreign_keys(world):
    with CaptureQueriesContext(connection) as queries:
        rollups.rollup_refresh(keys=[(world["cell"].pk, datetime.date(2026, 3, 1))])
    if connection.vendor == "postgresql":
        assert any("FOR NO KEY UPDATE" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_report_reads_one_snapshot():
    """The roll-ups leave out the dirty months and the raw queries take them: both must see
    the same list, so a report runs in one transaction, REPEATABLE READ on PostgreSQL."""
    assert not connection.in_atomic_block
    with CaptureQueriesContext(connection) as queries, one_snapshot():
        assert connection.in_atomic_block
        RollupDirty.objects.count()
    if connection.vendor == "postgresql":
        assert _statements(queries)[0] == ("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    assert not connection.in_atomic_block
