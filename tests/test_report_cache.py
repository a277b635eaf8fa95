"""Reports kept in the cache until their data changes (``programs.reports.cache``): a page read
again is not built again; any write to the data a report reads — by any path — gives the next
read the new figures; what differs between users, languages and pages is never shared."""

import datetime
import hashlib

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import reverse

from programs.models import DataVersion, LabourSession, ReportSettings
from programs.reports import cache as report_cache
from programs.reports import figures
from tests import factories
from tests.queries import pinned_queries
from tests.test_report_page import _dd, _held

URL = reverse("programs:reports")
D = datetime.date

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def builds(monkeypatch):
    """How many times a report was built (summed from the database) during the test."""
    calls = []
    real = figures.build_report

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(figures, "build_report", counting)
    return calls


@pytest.fixture
def params(world):
    _held(world["cell"], world["village"], world["directive"], D(2026, 3, 7))
    return {"committee": world["committee"].pk, "period": "year", "year": "2026"}


def _held_count(client, params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return _dd(response.content.decode(), "Held (confirmed)")


def test_every_table_of_the_domain_is_classified():
    """A new model is either read by reports (its writes change the version) or not."""
    tables = {model._meta.db_table for model in apps.get_app_config("programs").get_models()}
    assert tables == report_cache.REPORT_TABLES | report_cache.OTHER_TABLES
    assert not report_cache.REPORT_TABLES & report_cache.OTHER_TABLES


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ('INSERT INTO "programs_attendance" ("session_id") VALUES (%s)', True),
        ('UPDATE "programs_laboursession" SET "status" = %s', True),
        ('DELETE FROM "programs_workoutput" WHERE "id" = %s', True),
        ('TRUNCATE "programs_photo", "programs_village" RESTART IDENTITY', True),
        ("  update programs_assignment set ends_on = null", True),
        ('SELECT * FROM "programs_laboursession"', False),
        ('INSERT INTO "programs_notification" ("kind") VALUES (%s)', False),
        ('UPDATE "programs_cache" SET "value" = %s', False),
        ('TRUNCATE "programs_photo"', False),
    ],
)
def test_which_statements_change_the_data_version(sql, expected):
    assert report_cache.writes_report_table(sql) is expected


def test_a_page_read_again_is_not_built_again(client, world, params, builds):
    client.force_login(world["officer"])
    assert _held_count(client, params) == "1"
    assert len(builds) == 1
    # Read back: the session, the user, the roles, the committees' tree, the scope, the
    # version, the filters' choices and HTML, the body and the header's unread count — no
    # figure is summed again.
    with pinned_queries(11):
        assert _held_count(client, params) == "1"
    assert len(builds) == 1


def test_the_next_table_page_reuses_the_report(client, world, params, builds):
    client.force_login(world["officer"])
    client.get(URL, params)
    client.get(URL, {**params, "villages_page": "2"})
    assert len(builds) == 1  # a second body, the same report


def test_a_write_through_any_path_gives_the_new_figures(client, world, params, builds):
    client.force_login(world["officer"])
    assert _held_count(client, params) == "1"
    # A queryset update: no model signal, no service — the connection sees it.
    LabourSession.objects.filter(cell=world["cell"]).update(log_status="submitted")
    assert _held_count(client, params) == "0"
    _held(world["cell"], world["village"], world["directive"], D(2026, 4, 4))
    assert _held_count(client, params) == "1"
    assert len(builds) == 3


def test_a_rolled_back_savepoint_does_not_hide_a_later_write(client, world, params):
    client.force_login(world["officer"])
    assert _held_count(client, params) == "1"
    session = LabourSession.objects.get()
    try:
        with transaction.atomic():
            LabourSession.objects.filter(pk=session.pk).update(notes="bỏ")
            raise RuntimeError
    except RuntimeError:
        pass
    # The savepoint took its token back with it; the next write replaces it again.
    LabourSession.objects.filter(pk=session.pk).update(log_status="submitted")
    assert _held_count(client, params) == "0"


def test_the_version_changes_with_the_write_and_is_undone_with_it(world):
    before = report_cache.data_version()
    try:
        with transaction.atomic():
            factories.village(commune=world["commune"])
            inside = report_cache.data_version()
            raise RuntimeError
    except RuntimeError:
        pass
    assert inside != before
    assert report_cache.data_version() == before
    # One row per connection: writers never wait for each other on a shared row.
    assert DataVersion.objects.count() == 1


def test_writes_elsewhere_leave_the_version_alone(world):
    before = report_cache.data_version()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    world["officer"].save()  # auth_user: not a report table
    ReportSettings.objects.create(committee=world["committee"], place="Lâm Bình")
    assert report_cache.data_version() == before


def test_languages_are_not_shared(client, world, params, settings):
    client.force_login(world["officer"])
    english = client.get(URL, params).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    vietnamese = client.get(URL, params).content.decode()
    assert "Held (confirmed)" in english
    assert "Held (confirmed)" not in vietnamese
    assert "Đã tổ chức" in vietnamese


def test_users_who_see_different_rows_get_different_reports(client, world, params):
    """The secretary's report on their own cell and the officer's on the same cell: the same
    rows, one report; the commune report of an officer and of a superuser select by the
    same SQL only if they may see the same cells."""
    other = factories.cell(committee=world["outsider_committee"], name="Chi bộ khác")
    _held(other, world["village"], world["directive"], D(2026, 3, 14))
    admin = world["admin"]
    commune = {"commune": world["commune"].pk, "period": "year", "year": "2026"}
    client.force_login(world["officer"])
    officer_held = _held_count(client, commune)
    client.force_login(admin)
    admin_held = _held_count(client, commune)
    assert (officer_held, admin_held) == ("1", "2")


def test_turned_off_it_builds_every_time(client, world, params, builds, settings):
    settings.REPORT_CACHE_SECONDS = 0
    client.force_login(world["officer"])
    client.get(URL, params)
    client.get(URL, params)
    assert len(builds) == 2


def test_a_new_release_does_not_read_what_an_older_one_stored(world, monkeypatch):
    before = report_cache.key("report", 1)
    monkeypatch.setattr(report_cache, "code_version", lambda: "another release")
    assert report_cache.key("report", 1) != before


def test_the_calendar_is_read_back_until_a_session_changes(client, world):
    first = factories.world_session(world, date=D(2031, 3, 8))
    client.force_login(world["officer"])
    calendar = reverse("programs:session-calendar")
    assert first.get_absolute_url() in client.get(calendar, {"month": "2031-03"}).content.decode()
    # Read back: session, user, roles, the committees' tree, version, the days' HTML, the
    # header's unread count.
    with pinned_queries(7):
        client.get(calendar, {"month": "2031-03"})
    second = factories.world_session(world, date=D(2031, 3, 15))
    page = client.get(calendar, {"month": "2031-03"}).content.decode()
    assert first.get_absolute_url() in page and second.get_absolute_url() in page
    # The other cell's secretary sees other sessions: not this calendar.
    client.force_login(world["secretary2"])
    assert (
        first.get_absolute_url() not in client.get(calendar, {"month": "2031-03"}).content.decode()
    )


def test_emptying_the_versions_never_gives_back_the_first_version(world):
    """A flush empties every table, the versions too: an empty table is how the database
    began, a version pages may already be cached under. The watcher sets a token of its own."""
    first = hashlib.sha256(repr([]).encode()).hexdigest()
    DataVersion.objects.all().delete()
    assert DataVersion.objects.count() == 1
    assert report_cache.data_version() != first
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {report_cache.VERSION_TABLE}")
    assert report_cache.data_version() != first


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ('DELETE FROM "programs_dataversion"', True),
        ('TRUNCATE "programs_village", "programs_dataversion"', True),
        ('INSERT INTO "programs_dataversion" VALUES (%s)', False),
        ('DELETE FROM "programs_village"', False),
    ],
)
def test_which_statements_erase_the_versions(sql, expected):
    assert report_cache.erases_versions(sql) is expected
