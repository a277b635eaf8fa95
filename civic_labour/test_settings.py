"""Settings for the test suite: production settings with cheap, deterministic overrides."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The test client and the live server speak plain HTTP.
for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
    os.environ.setdefault(name, "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from .settings import *  # noqa: E402, F403
from .settings import BASE_DIR, STORAGES  # noqa: E402

# Django's test client logs in without a request, which django-axes refuses; the lockout test
# turns axes back on with override_settings.
AXES_ENABLED = False
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

# Hashing with MD5 keeps the suite fast; never used outside tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No manifest in tests: templates can render {% static %} without running collectstatic.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"
# Serve static files from static/ as in development: tests do not run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Two test runs against one PostgreSQL server (say, two checkouts) each need their own test
# database, or one run drops the other's. Under pytest-xdist each worker adds its suffix (_gw0,
# _gw1…) to this name.
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}  # noqa: F405
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: with an in-memory database Django hands every thread of the live
    # server the test's one connection, so requests sent at the same moment would not meet as
    # they do in production (tests/test_concurrent_posts.py). One file per run.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"civic-labour-test-{os.getpid()}.sqlite3")
    }
    # A throwaway file need not survive a power cut: no waiting for the disk on each commit.
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous = OFF;"  # noqa: F405

# Messages go to Django's in-memory outbox unless a test points EMAIL_* at its own server.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "http://testserver"
VAPID_PUBLIC_KEY = ""
VAPID_PRIVATE_KEY = ""

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # As SQLite's synchronous = OFF above: a test database need not survive a crash, so a
    # commit (transactional tests, browser tests, the flush after each) does not wait for
    # the write-ahead log to reach the disk.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
    # Django's backend, with a faster flush after each transactional test and a drop of the
    # test database that does not wait for the live server's last connections (see there).
    DATABASES["default"]["ENGINE"] = "civic_labour.test_postgresql"  # noqa: F405
    # The live server's request threads keep their connection between requests, as production
    # does (CONN_MAX_AGE). Closing it after each request made every browser request start a
    # server process whose caches were cold: the browser tests took 10 % longer.
