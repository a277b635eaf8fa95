"""Start-up refuses unsafe production settings with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _start(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "civic_labour.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("debug", ["false", ""])
def test_debug_off_without_secret_key_refuses_to_start(debug, tmp_path):
    env = {"ALLOWED_HOSTS": "civic.example.vn"}
    if debug:
        env["DEBUG"] = debug
    result = _start(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_off_without_allowed_hosts_refuses_to_start():
    result = _start({"DEBUG": "false", "SECRET_KEY": "x" * 50})
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
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DEBUG": "true",
            "S3_BUCKET": "civic-photos",
            "DJANGO_SETTINGS_MODULE": "civic_labour.settings",
        }
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "d = settings.STORAGES['default']; "
            "print(d['BACKEND'], d['OPTIONS']['bucket_name'], d['OPTIONS']['default_acl'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["storages.backends.s3.S3Storage", "civic-photos", "private"], (
        result.stderr
    )


def _mail_settings(overrides: dict[str, str]) -> list[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE"}
        and not key.startswith("EMAIL_")
        and key != "SITE_URL"
    }
    env.update({"DJANGO_SETTINGS_MODULE": "civic_labour.settings", **overrides})
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.SITE_URL)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
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
