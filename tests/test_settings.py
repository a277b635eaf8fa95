"""Start-up refuses unsafe production settings with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _environment(overrides: dict[str, str], *, drop=lambda key: False) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE"}
        and not drop(key)
    }
    return {**env, "DJANGO_SETTINGS_MODULE": "civic_labour.settings", **overrides}


def _run(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _start(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    """Django set up with the production settings and these variables: the apps loaded."""
    return _run(_environment(env_overrides), "import django; django.setup(); print('started')")


def _settings(env_overrides: dict[str, str], code: str, **options) -> subprocess.CompletedProcess:
    """The settings alone, read with these variables on first use (a refusal is raised
    there): ``code`` prints from them as ``s``. A tenth of a second, where setting Django up
    loads every app."""
    env = _environment(env_overrides, **options)
    return _run(env, f"from django.conf import settings as s; {code}")


@pytest.mark.parametrize("debug", ["false", ""])
def test_debug_off_without_secret_key_refuses_to_start(debug, tmp_path):
    env = {"ALLOWED_HOSTS": "civic.example.vn"}
    if debug:
        env["DEBUG"] = debug
    result = _settings(env, "print(s.DEBUG)")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_off_without_allowed_hosts_refuses_to_start():
    result = _settings({"DEBUG": "false", "SECRET_KEY": "x" * 50}, "print(s.DEBUG)")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_production_settings_start():
    result = _start({"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "civic.example.vn"})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_debug_on_starts_with_development_key():
    result = _start({"DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def test_settings_are_vietnamese_first(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE


def test_object_storage_is_used_when_a_bucket_is_set():
    result = _settings(
        {"DEBUG": "true", "S3_BUCKET": "civic-photos"},
        "d = s.STORAGES['default']; "
        "print(d['BACKEND'], d['OPTIONS']['bucket_name'], d['OPTIONS']['default_acl'])",
    )
    assert result.stdout.split() == ["storages.backends.s3.S3Storage", "civic-photos", "private"], (
        result.stderr
    )


def _mail_settings(overrides: dict[str, str]) -> list[str]:
    result = _settings(
        overrides,
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.SITE_URL)",
        drop=lambda key: key.startswith("EMAIL_") or key == "SITE_URL",
    )
    return result.stdout.split() or [result.stderr]


def test_mail_goes_to_the_console_in_development_unless_email_url_is_set():
    assert _mail_settings({"DEBUG": "true"}) == [
        "django.core.mail.backends.console.EmailBackend",
        "localhost",
        "25",
        "False",
        "http://127.0.0.1:8000",
    ]
    assert _mail_settings(
        {"DEBUG": "true", "EMAIL_URL": "smtp+tls://civic:secret@mail.example.vn:587"}
    ) == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.vn",
        "587",
        "True",
        "http://127.0.0.1:8000",
    ]
    # Production: Django's SMTP default, links to the first host name.
    assert _mail_settings(
        {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "civic.example.vn"}
    ) == [
        "django.core.mail.backends.smtp.EmailBackend",
        "localhost",
        "25",
        "False",
        "https://civic.example.vn",
    ]
