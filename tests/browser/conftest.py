"""Browser tests: the system Chromium driven by Playwright against pytest-django's live server.

Chromium is not downloaded by Playwright; the distribution's package is used, or the binary named
by CHROMIUM_PATH. Its headless shell (Debian's ``chromium-headless-shell``, the same Blink without
the browser's window code) is preferred where installed: the walks take about a fifth less time
than in the full ``chromium``, which is used otherwise. Without either these tests are skipped,
except where CIVIC_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
"""

import os
import shutil
import threading
import time

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
def page(browser, live_server):
    """A fresh browser context (no cookies) and page per test, 1280x800; a test that needs a
    phone screen calls ``page.set_viewport_size(...)``."""
    # Vietnamese browsers, as the users have: the pages then open in the working language.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


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
