import contextlib
import copy
import datetime
import itertools
import random
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone, translation

from programs.models import Attendance, Household, Member, WorkOutput, WorkType
from programs.planning import Month
from tests import demo as demo_world
from tests import factories


@pytest.fixture(autouse=True)
def _seeded_work_types(request):
    """The work types the migrations seed, present in every database test.

    A transactional test ends by emptying every table, seed rows included. pytest-django runs
    those after the others, but pytest-xdist's work stealing can hand a worker an ordinary test
    after one of them, which would then find no work types: put them back first."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction")
    if transactional or (marker is None and "db" not in request.fixturenames):
        return
    request.getfixturevalue("db")
    _seed_work_types()


def _seed_work_types():
    """The migrations' work types, put back if a flush removed them."""
    if not WorkType.objects.exists():
        from importlib import import_module

        from django.apps import apps

        import_module("programs.migrations.0002_seed_work_types").seed(apps, None)


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request leaves its language active in the thread (LocaleMiddleware activates it and
    nothing deactivates it): after an English page, the next test on the worker would build
    spreadsheets and messages in English. Each test ends back in the default language."""
    yield
    translation.deactivate()


@pytest.fixture
def world(request, db):
    """The fixed cast: a committee with two cells, each assigned a village, and its users —
    an officer and a viewer of the committee, the first cell's secretary and the second cell's
    secretary (the outsider to the first cell's sessions).

    Made once per module, as Django's ``setUpTestData``, for the tests that run inside a
    transaction (most): see ``_world_in_a_transaction``. Each test gets its own copy of the
    objects, so what one test changes in them (saved or not) never reaches the next. A test
    whose writes are committed (``transaction=True``, the live server) makes its own."""
    if WORLD_ONCE_PER_MODULE in request.fixturenames:
        shared = request.getfixturevalue(WORLD_ONCE_PER_MODULE)
        if shared.is_open:
            # The copies by original, for the report dataset's copy to share them.
            memo = request.node.stash.setdefault(_COPIES, {})
            return copy.deepcopy(shared.made, memo)
    return _make_world()


WORLD_ONCE_PER_MODULE = "_world_in_a_transaction"
REPORT_DATASET_ONCE_PER_MODULE = "_report_dataset_in_a_transaction"
# What a module's tests can share, outermost first: the dataset is made in the world's
# transaction, from its objects.
SHARED = (WORLD_ONCE_PER_MODULE, REPORT_DATASET_ONCE_PER_MODULE)
_COPIES = pytest.StashKey[dict]()


class _Shared:
    """Rows made in a transaction left open while a module's tests run, each in a savepoint of
    its own inside it, and rolled back after the last one (or before a test of the module
    that must not see them: ``pytest_runtest_setup``). ``name`` is the module fixture's."""

    # Innermost last: the report dataset's transaction is inside the world's.
    open_now: list["_Shared"] = []

    def __init__(self, name, blocker, make):
        self.name = name
        self.blocker = blocker
        self.atomic = transaction.atomic()
        with blocker.unblock():
            self.atomic.__enter__()
            self.made = make()
        self.open_now.append(self)

    @property
    def is_open(self) -> bool:
        return self in self.open_now

    def close(self) -> None:
        """Roll back, with whatever was made inside (the shared things opened after it)."""
        if not self.is_open:
            return
        while self.open_now[-1] is not self:
            self.open_now[-1].close()
        self.open_now.pop()
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def _world_in_a_transaction(django_db_setup, django_db_blocker):
    """The world of a module's tests (``world``): some ten milliseconds saved per test, a
    thousand times. pytest sets a module's fixtures up before a test's own, so the transaction
    is open before the test's savepoint; ``pytest_collection_modifyitems`` adds this fixture
    to the tests that share the world."""

    def make():
        _seed_work_types()  # after a transactional test's flush, as in the demo's fixture
        return _make_world()

    shared = _Shared(WORLD_ONCE_PER_MODULE, django_db_blocker, make)
    yield shared
    shared.close()


@pytest.fixture(scope="module")
def _report_dataset_in_a_transaction(_world_in_a_transaction, django_db_blocker):
    """The report dataset of a module's tests (``report_dataset``), made once in the world's
    transaction: a quarter of a second saved per test on PostgreSQL."""
    world = _world_in_a_transaction
    if not world.is_open:
        yield None  # closed already: each test makes its own
        return
    shared = _Shared(
        REPORT_DATASET_ONCE_PER_MODULE, django_db_blocker, lambda: _report_rows(world.made)
    )
    yield shared
    shared.close()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A test that uses the database must not see what the module's tests share and it does
    not (it commits, or asks for neither the world nor the report dataset): those
    transactions end first, innermost first. The module's later tests that would have shared
    them make their own."""
    if not _uses_the_database(item):
        return
    while _Shared.open_now and _Shared.open_now[-1].name not in item.fixturenames:
        _Shared.open_now[-1].close()


# pytest-django's fixtures for tests whose writes are committed.
COMMITTING = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _uses_the_database(item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool({"db", *COMMITTING} & names)


def _commits(item) -> bool:
    """Whether the test's writes are committed (a transactional test, the live server's): it
    cannot run inside a module's transaction."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    ):
        return True
    return bool(COMMITTING & set(getattr(item, "fixturenames", ())))


def _make_world():
    province = factories.province(name="Tuyên Quang")
    district = factories.district(province=province, name="Lâm Bình")
    commune = factories.commune(district=district, name="Bình An")
    village = factories.village(commune=commune, name="Phiêng Luông")
    other_village = factories.village(commune=commune, name="Nà Coóc")
    directive = factories.directive(symbol="54-KH/HU", number="54")
    committee = factories.committee(name="Đảng ủy Cơ quan Chính quyền huyện")
    cell = factories.cell(committee=committee, name="Chi bộ Văn phòng")
    other_cell = factories.cell(committee=committee, name="Chi bộ Tư pháp")
    factories.assignment(cell=cell, village=village, directive=directive)
    factories.assignment(cell=other_cell, village=other_village, directive=directive)
    outsider_committee = factories.committee(name="Đảng ủy xã khác")
    return {
        "province": province,
        "district": district,
        "commune": commune,
        "village": village,
        "other_village": other_village,
        "directive": directive,
        "committee": committee,
        "cell": cell,
        "other_cell": other_cell,
        "outsider_committee": outsider_committee,
        "officer": factories.user("officer", role="officer", target=committee),
        "viewer": factories.user("viewer", role="viewer", target=committee),
        "secretary": factories.user("secretary", role="secretary", target=cell),
        "secretary2": factories.user("secretary2", role="secretary", target=other_cell),
        "admin": factories.user("admin", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def session(world):
    """A planned session of the world's first cell, in its village, on Saturday 7/3/2026."""
    return factories.world_session(world, date=datetime.date(2026, 3, 7))


@pytest.fixture
def english(client, settings):
    """Pages in English, the source language, so the assertions read the strings as written
    (the language cookie, as the language menu sets it)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def client_en(client):
    """The test client of a browser that asks for English (Accept-Language)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def next_month():
    return Month.of(timezone.localdate()).next()


@contextlib.contextmanager
def demo_loaded_in_a_transaction(django_db_blocker, media_root, *args, debug=False, **options):
    """``load_demo`` run with ``args`` and ``options`` (and DEBUG on, if ``debug``) in a
    transaction left open while the block runs and rolled back after it; yields what the
    command printed. For module-scoped fixtures (see ``demo``)."""
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        # Module fixtures are set up before the function-scoped seeding above: after a
        # transactional test's flush, the demo would find no work types.
        _seed_work_types()
        with override_settings(MEDIA_ROOT=media_root, DEBUG=debug):
            output = demo_world.load(*args, **options)
    try:
        yield output
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def _demo_in_a_transaction(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once per module in a transaction rolled back after the module."""
    media_root = tmp_path_factory.mktemp("demo-media")
    with demo_loaded_in_a_transaction(django_db_blocker, media_root, force=True):
        yield


@pytest.fixture
def demo(_demo_in_a_transaction, db):
    """The demo world (``load_demo``) for tests that only read it: loaded once per module.

    As Django's ``setUpTestData``: the load runs in a transaction left open while the module's
    tests run, each in a savepoint of its own inside it, and rolled back after the last one,
    so what a test changes is undone with its savepoint. A test of the loader itself loads
    its own demo (``tests.demo.load``)."""


@pytest.fixture(scope="session", autouse=True)
def _no_stray_connections_at_the_end(django_db_setup, django_db_blocker):
    """Before the test database is dropped, end the PostgreSQL sessions still connected to it.

    Under pytest-xdist a worker's run sometimes ends with one idle connection left (its last
    statement a ROLLBACK, its thread gone: a live-server request thread is the suspect), and
    PostgreSQL refuses to drop a database in use, which fails the run at teardown."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files (photos, attachments) go to a fresh folder for every test."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _weekend_days(year):
    day = datetime.date(year, 1, 1)
    while day.year == year:
        if day.weekday() in (5, 6):
            yield day
        day += datetime.timedelta(days=1)


@pytest.fixture
def report_dataset(request, world):
    """Many cells, months, categories, levels, statuses, units and funding sources.

    Made once per module where the world is (``world``): the test's copy shares the world's
    copied objects (``world["cell"]`` is ``report_dataset["cell"]``)."""
    if REPORT_DATASET_ONCE_PER_MODULE in request.fixturenames:
        shared = request.getfixturevalue(REPORT_DATASET_ONCE_PER_MODULE)
        if shared is not None and shared.is_open:
            memo = request.node.stash.setdefault(_COPIES, {})
            return copy.deepcopy(shared.made, memo)
    return _report_rows(world)


def _report_rows(world) -> dict:
    rng = random.Random(20261127)
    committee, directive = world["committee"], world["directive"]
    sub = factories.committee(name="Đảng ủy cấp dưới", parent=committee)
    work_types = list(WorkType.objects.all()[:4])
    cells = [world["cell"], world["other_cell"]] + [
        factories.cell(committee=rng.choice([committee, sub])) for _ in range(6)
    ]
    villages = [world["village"], world["other_village"]] + [
        factories.village(commune=world["commune"]) for _ in range(3)
    ]
    households = [
        factories.household(village=v, status=rng.choice(Household.Status.values)) for v in villages
    ]
    members = {
        cell.pk: [
            factories.member(
                cell=cell,
                category=rng.choice(Member.Category.values),
                level=rng.choice(Member.Level.values),
                is_party_member=rng.random() < 0.7,
            )
            for _ in range(5)
        ]
        for cell in cells
    }
    days = list(_weekend_days(2025)) + list(_weekend_days(2026))
    statuses = ["planned", "held", "held", "held", "postponed", "cancelled"]
    for cell in cells:
        for day in rng.sample(days, 18):
            status = rng.choice(statuses)
            log_status = ""
            if status == "held":
                log_status = rng.choice(["confirmed", "confirmed", "submitted"])
            village = rng.choice(villages)
            session = factories.session(
                cell=cell,
                village=village,
                directive=directive,
                date=day,
                status=status,
                status_reason="Mưa" if status in ("postponed", "cancelled") else "",
                other_village_reason="x",
                log_status=log_status,
                log_confirmed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
                if log_status == "confirmed"
                else None,
                unlisted_commune_cadres=rng.randint(0, 4),
                unlisted_armed_forces=rng.randint(0, 3),
                unlisted_villagers=rng.randint(0, 20),
            )
            for member in rng.sample(members[cell.pk], rng.randint(0, 5)):
                row = Attendance(
                    session=session,
                    member=member,
                    workdays=Decimal(rng.choice(["0.5", "1", "1.5", "2"])),
                )
                row.copy_from_member()
                row.save()
            for _ in range(rng.randint(0, 3)):
                work_type = rng.choice(work_types)
                value = rng.choice([None, 500_000, 1_250_000])
                WorkOutput.objects.create(
                    session=session,
                    work_type=work_type,
                    quantity=Decimal(rng.randint(1, 400)) / 2,
                    unit=rng.choice(["m", "m2", work_type.default_unit]),
                    household=rng.choice(
                        [None, *[h for h in households if h.village_id == village.pk]]
                    ),
                    value_vnd=value,
                    funding_source=rng.choice(["state", "cadres", "villagers", "donors"])
                    if value
                    else "",
                )
    return {**world, "cells": cells, "sub": sub}


# Tests that take longest (some 10-30 s each on two busy cores), longest first. pytest-xdist
# hands each worker a block of the collected tests and lets an idle worker take queued tests
# from a busy one, but not a test already running: a long test started near the end leaves
# the other core idle until it is done. They all use the ordinary database, so moving them
# to the front keeps pytest-django's order (ordinary tests, then transactional ones).
LONGEST_FIRST = [
    "tests/test_hostile_inputs.py::test_no_log_post_gives_a_server_error_for_any_field_value",
    "tests/test_hostile_inputs.py::test_no_planner_post_gives_a_server_error_for_any_field_value",
    "tests/test_hostile_inputs.py::test_admin_change_lists_give_no_server_error",
    "tests/test_hostile_inputs.py::test_no_report_settings_post_gives_a_server_error",
    "tests/test_hostile_inputs.py::test_no_page_gives_a_server_error_for_any_query_value",
    "tests/test_demo.py::",
    "tests/test_hostile_inputs.py::test_no_session_form_gives_a_server_error",
]


def pytest_collection_modifyitems(config, items):
    def rank(item):
        return next(
            (i for i, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)),
            len(LONGEST_FIRST),
        )

    items.sort(key=rank)  # stable: the other tests keep their order
    for item in items:
        # Parametrized tests share one list of fixture names: add the names once.
        names = getattr(item, "fixturenames", None)
        if names and WORLD_ONCE_PER_MODULE not in names and _shares_the_world(item):
            if "report_dataset" in names and _is_ours(item, "report_dataset"):
                names.insert(0, REPORT_DATASET_ONCE_PER_MODULE)
            names.insert(0, WORLD_ONCE_PER_MODULE)
    # Within each run of one module's tests, those that share less first: the world (and the
    # report dataset in it) is made once, at the first test that shares it, and kept to the
    # end of the run. Tests that commit stay after the others (pytest-django's order).
    items[:] = [
        item
        for _file, run in itertools.groupby(items, key=lambda item: item.nodeid.split("::")[0])
        for item in sorted(
            run,
            key=lambda item: (_commits(item), *(name in item.fixturenames for name in SHARED)),
        )
    ]


def _shares_the_world(item) -> bool:
    """Whether the test asks for this file's ``world`` (not a module's own) and runs inside a
    transaction, so it can read the module's world."""
    return _is_ours(item, "world") and not _commits(item)


def _is_ours(item, fixture: str) -> bool:
    definitions = item._fixtureinfo.name2fixturedefs.get(fixture)
    return bool(definitions) and definitions[-1].func.__module__ == __name__
