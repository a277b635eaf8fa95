"""Security settings and defences: lockout after password guessing, CSP, HTTPS switches."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
AXES_ON = {
    "AXES_ENABLED": True,
    "AUTHENTICATION_BACKENDS": [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
    ],
    "AXES_FAILURE_LIMIT": 3,
}


@override_settings(**AXES_ON)
def test_repeated_wrong_passwords_lock_the_account_with_a_clear_message(client, world):
    url = reverse("login")
    for _ in range(3):
        client.post(url, {"username": "officer", "password": "wrong"})
    response = client.post(
        url, {"username": "officer", "password": "pw"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429
    assert "locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(**AXES_ON)
def test_a_right_password_before_the_limit_resets_the_count(client, world):
    url = reverse("login")
    for _ in range(2):
        client.post(url, {"username": "officer", "password": "wrong"})
    assert client.post(url, {"username": "officer", "password": "pw"}).status_code == 302
    client.post(reverse("logout"))
    for _ in range(2):
        client.post(url, {"username": "officer", "password": "wrong"})
    assert client.post(url, {"username": "officer", "password": "pw"}).status_code == 302


def test_content_security_policy_forbids_inline_code(client, world):
    client.force_login(world["officer"])
    policy = client.get(reverse("programs:home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_have_no_inline_scripts_or_styles(client, world):
    import re

    client.force_login(world["officer"])
    for url in ("/", "/sessions/", "/sessions/calendar/", "/compliance/", "/sessions/plan/"):
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", html), url
        assert " style=" not in html, url
        assert "<style" not in html, url


def _deploy_check(extra: dict) -> subprocess.CompletedProcess:
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; production
    # never has it (check --deploy says so), so the subprocess must not inherit it.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "SESSION_", "CSRF_", "DJANGO_ALLOW_ASYNC"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "civic_labour.settings",
            "DEBUG": "false",
            "SECRET_KEY": "k" * 30 + "-production-like-secret-key-" + "x" * 30,
            "ALLOWED_HOSTS": "civic.example.vn",
            **extra,
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _deploy_check({})
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_complains_when_https_is_turned_off():
    result = _deploy_check({"SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false"})
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr


@pytest.fixture
def moved_admin(settings):
    """Load the URLs again with the admin moved, and put them back afterwards."""
    import importlib

    from django.urls import clear_url_caches

    import civic_labour.urls

    settings.ADMIN_URL = "office-admin/"
    clear_url_caches()
    importlib.reload(civic_labour.urls)
    yield
    settings.ADMIN_URL = "admin/"
    clear_url_caches()
    importlib.reload(civic_labour.urls)


def test_admin_can_move_to_another_path(client, world, moved_admin):
    client.force_login(world["admin"])
    assert client.get("/office-admin/").status_code == 200
    assert client.get("/admin/").status_code == 404
