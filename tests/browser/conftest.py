"""Browser tests: the system Chromium driven by Playwright against pytest-django's live server.

Chromium is not downloaded by Playwright; the distribution's package is used, or the binary named
by CHROMIUM_PATH. Its headless shell (Debian's ``chromium-headless-shell``, the same Blink without
the browser's window code) is preferred where installed: the walks take about a fifth less time
than in the full ``chromium``, which is used otherwise. Without either these tests are skipped,
except where CIVIC_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

import datetime
import io
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM would otherwise refuse
# to run there (SynchronousOnlyOperation) when a test creates data around page actions.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# Service workers' requests go through the same emulation and routing as pages' (Chromium):
# without it an "offline" phone's service worker may still reach the test server.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# axe-core's WCAG 2.1 A/AA rules. Only violations are read: axe then lists no nodes for the
# passed and inapplicable rules (the library's default, which passing options replaces), and
# each run takes about half the time. Violations are reported in full.
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
MISSING_BROWSER = (
    "Chromium not found: install the 'chromium-headless-shell' or 'chromium' package or set "
    "CHROMIUM_PATH; CI sets CIVIC_REQUIRE_BROWSER=1"
)


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.path.exists(configured) else None
    return (
        shutil.which("chromium-headless-shell")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def _browser_required() -> bool:
    return os.environ.get("CIVIC_REQUIRE_BROWSER", "").strip().lower() in {"1", "true"}


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        if _browser_required():
            pytest.fail(MISSING_BROWSER)
        pytest.skip(MISSING_BROWSER)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Opens a page in a browser of its own (a context: its own cookies, storage and service
    worker), as another person's computer or phone: ``new_page()`` at 1280x800, or
    ``new_page(PHONE)``. The browsers are closed after the test."""
    contexts = []

    def open_page(viewport=None):
        # Vietnamese browsers, as the users have: the pages then open in the working language.
        context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 800}, locale="vi-VN"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def page(new_page):
    """A fresh browser context (no cookies) and page per test, 1280x800; a test that needs a
    phone screen calls ``page.set_viewport_size(...)``."""
    return new_page()


@pytest.fixture
def log_in(live_server):
    """Sign in through the login form, as a person would: ``log_in(page, "officer", "demo")``."""

    def sign_in(page, username: str, password: str):
        page.goto(live_server.url + "/accounts/login/")
        form = page.locator("#login-form")
        form.locator("#id_username").fill(username)
        form.locator("#id_password").fill(password)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()

    return sign_in


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Put back the rows the migrations seed (work types).

    Browser tests commit their data so the live server can see it, and the database is flushed
    after each; ``serialized_rollback`` would restore migration data, but pytest-django only
    serializes the test database in some runs (not when ordinary tests are collected first), so
    the seed is re-applied explicitly.
    """
    from importlib import import_module

    from django.apps import apps

    import_module("programs.migrations.0002_seed_work_types").seed(apps, None)


class _RequestsInFlight:
    """Counts the live server's requests still being answered. A page's scripts keep asking
    after a test's last step (offline.js fetches /offline/state/ and the pages a phone keeps);
    the database flush that ends each browser test (TRUNCATE) deadlocks on PostgreSQL with a
    request still inside its transaction, so the flush waits until none is left."""

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            self.count += 1
        answer = None
        try:
            # Read the whole answer and close it here (WSGI's close() ends the request: files
            # closed, request_finished sent), so its database work is over when it is counted
            # out. Test responses are small; a photo is read at once.
            answer = self.app(environ, start_response)
            return list(answer)
        finally:
            if hasattr(answer, "close"):
                answer.close()
            with self.lock:
                self.count -= 1

    def wait_until_idle(self, seconds: float = 15) -> None:
        deadline = time.monotonic() + seconds
        while self.count and time.monotonic() < deadline:
            time.sleep(0.05)


@pytest.fixture(autouse=True)
def _no_request_in_flight_at_the_flush(transactional_db, live_server):
    """Set up after ``transactional_db``, so torn down before its flush: every browser context a
    test opened is closed by then (``page`` closes its own), and here the server's last answers
    are waited for."""
    server = live_server.thread.httpd
    app = server.get_app()
    if not isinstance(app, _RequestsInFlight):
        app = _RequestsInFlight(app)
        server.set_app(app)
    yield
    app.wait_until_idle()


@dataclass
class _DemoCopy:
    """A worker's copy of the committed demo: the rows of every table the flush empties, and
    the files the load wrote to MEDIA_ROOT."""

    made_on: datetime.date
    rows: dict[str, object] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def take(cls, made_on, media_root: Path) -> "_DemoCopy":
        from django.db import connection

        copy = cls(made_on)
        with connection.cursor() as cursor:
            for table in _flushed_tables():
                copy.rows[table] = _read_table(cursor, table)
        if media_root.exists():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    copy.files[str(path.relative_to(media_root))] = path.read_bytes()
        return copy

    def put_back(self, media_root: Path):
        """Every flushed table as it was right after the load, in one transaction: the rows
        the flush's post_migrate made (content types, permissions) and the seeded work types
        give way to the copy's own, ids and all."""
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType
        from django.core.management.color import no_style
        from django.db import connection, transaction

        from programs.models import RollupDirty

        dirty = RollupDirty._meta.db_table
        with transaction.atomic(), connection.cursor() as cursor:
            # Foreign keys are checked at the commit (Django makes them deferrable), so the
            # tables can go in any order.
            for table in self.rows:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
            for table, rows in self.rows.items():
                if table != dirty:
                    _write_table(cursor, table, rows)
            # The roll-up triggers listed the months of the confirmed sessions put back.
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(dirty)}")
            _write_table(cursor, dirty, self.rows[dirty])
            models = [
                model
                for model in apps.get_models(include_auto_created=True)
                if model._meta.db_table in self.rows
            ]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
        ContentType.objects.clear_cache()
        for name, content in self.files.items():
            path = media_root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)


def _flushed_tables() -> list[str]:
    """The tables the flush empties, but the report cache's data versions: any write to the
    others gives its connection a new version in that table (programs.reports.cache), as the
    writes of ``put_back`` do, which is all a cached report needs to know."""
    from django.db import connection

    from programs.models import DataVersion

    tables = connection.introspection.django_table_names(only_existing=True)
    return sorted(set(tables) - {DataVersion._meta.db_table})


def _read_table(cursor, table):
    from django.db import connection

    name = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        # COPY keeps every type as PostgreSQL writes it (JSON, dates, decimals).
        with cursor.cursor.copy(f"COPY {name} TO STDOUT") as copy:
            return b"".join(bytes(block) for block in copy)
    columns = [row[1] for row in cursor.execute(f"PRAGMA table_info({name})").fetchall()]
    # As stored: ``+column`` is the same value without the column's declared type, which
    # the connection would otherwise turn into Python dates, times and decimals.
    shown = ", ".join(f"+{connection.ops.quote_name(column)}" for column in columns)
    cursor.execute(f"SELECT {shown} FROM {name}")
    return columns, cursor.fetchall()


def _write_table(cursor, table, rows):
    from django.db import connection

    name = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        if rows:
            with cursor.cursor.copy(f"COPY {name} FROM STDIN") as copy:
                copy.write(rows)
        return
    columns, values = rows
    if values:
        listed = ", ".join(connection.ops.quote_name(column) for column in columns)
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {name} ({listed}) VALUES ({marks})", values)


_demo_copy: _DemoCopy | None = None


@pytest.fixture
def demo_site(_reference_data, settings):
    """The demo as ``load_demo --password demo --force`` leaves it, committed for the live
    server, with its photos in the test's MEDIA_ROOT.

    A worker's first browser test that asks for it runs the load; the others get a copy of
    that load put back after the flush (``_DemoCopy``), in a tenth of the time. On a new day
    in Asia/Ho_Chi_Minh the demo is loaded again: its sessions' dates follow today."""
    from django.core.management import call_command
    from django.utils import timezone

    global _demo_copy
    today = timezone.localdate()
    media_root = Path(settings.MEDIA_ROOT)
    if _demo_copy is None or _demo_copy.made_on != today:
        call_command("load_demo", password="demo", force=True, stdout=io.StringIO())
        _demo_copy = _DemoCopy.take(today, media_root)
    else:
        _demo_copy.put_back(media_root)
