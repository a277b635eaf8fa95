"""The shell every page shares (base template, login, logout, language) and the home page.

The dashboard itself is tested in test_dashboard.py."""

import datetime
import re

import pytest
from django.db import OperationalError, connection
from django.utils import timezone, translation
from django.utils.html import escape

from programs import selectors
from tests import factories
from tests.http import page_html
from tests.queries import pinned_queries

LOGIN_URL = "/accounts/login/"


def _upcoming(world, days, *, cell=None, village=None):
    """A planned session of the world's first cell, ``days`` from today."""
    return factories.session(
        cell=cell or world["cell"],
        village=village or world["village"],
        directive=world["directive"],
        date=timezone.localdate() + datetime.timedelta(days=days),
        start_time=datetime.time(7, 30),
    )


# --- home page -----------------------------------------------------------------------------


def test_home_redirects_anonymous_users_to_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/"


def test_home_is_the_dashboard_for_an_officer_with_the_next_weekend(client, world):
    saturday, sunday = selectors.next_weekend(timezone.localdate())
    first = _upcoming(world, (saturday - timezone.localdate()).days)
    second = _upcoming(
        world,
        (sunday - timezone.localdate()).days,
        cell=world["other_cell"],
        village=world["other_village"],
    )
    client.force_login(world["officer"])

    response = client.get("/")

    assert response.status_code == 200
    assert response.context["mode"] == "dashboard"
    assert response.context["weekend_sessions"] == [first, second]
    html = page_html(response)
    assert "Chi bộ Văn phòng" in html
    assert "Phiêng Luông" in html
    assert "Chi bộ Tư pháp" in html
    assert "Nà Coóc" in html
    # Dates in the office format dd/mm/yyyy, times as HH:MM.
    assert saturday.strftime("%d/%m/%Y") in html
    assert "07:30" in html
    assert 'class="badge badge--planned"' in html


def test_home_shows_a_secretary_only_their_own_cell(client, world):
    _upcoming(world, 3)
    _upcoming(world, 4, cell=world["other_cell"], village=world["other_village"])
    client.force_login(world["secretary"])

    response = client.get("/")

    assert response.context["mode"] == "secretary"
    assert response.context["cells"] == [world["cell"]]
    html = page_html(response)
    assert "Chi bộ Văn phòng" in html
    assert "Chi bộ Tư pháp" not in html
    assert "Nà Coóc" not in html


def test_home_shows_an_empty_state_without_weekend_sessions(client, world):
    client.force_login(world["viewer"])

    response = client.get("/")

    assert response.context["weekend_sessions"] == []
    assert 'class="empty-state"' in page_html(response)


def test_home_runs_the_same_queries_for_one_and_twenty_sessions(client, world):
    client.force_login(world["officer"])
    _upcoming(world, 1)
    client.get("/")  # warm up: session and user loading are the same on every later request

    with pinned_queries(12):
        client.get("/")

    for days in range(2, 21):
        _upcoming(world, days)
    with pinned_queries(12):
        client.get("/")


def test_home_page_has_language_title_and_landmarks(client, world):
    client.force_login(world["officer"])

    html = page_html(client.get("/"))

    assert re.search(r'<html lang="vi" data-copy="live">', html)
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
    with translation.override("vi"):
        expected = f"{translation.gettext('Overview')} · {translation.gettext('Civic Labour')}"
    assert title and " ".join(title.group(1).split()) == expected
    assert '<main id="main"' in html
    assert 'href="#main"' in html  # the skip link
    assert "<nav " in html and 'aria-current="page"' in html
    assert 'role="status"' in html
    # Ready for a strict CSP: no inline styles, and every script is a file of ours (or data).
    assert "style=" not in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    for tag in scripts:
        assert re.search(r'src="/static/', tag) or 'type="application/json"' in tag, tag


def test_header_menu_folds_into_one_disclosure_that_needs_no_script(client, world):
    """On a phone the header is one bar (app.css); the menu is a <details>, so it opens
    without JavaScript, and it holds everything the header offers a signed-in user."""
    client.force_login(world["officer"])

    html = page_html(client.get("/"))

    menu = html.split('<details class="site-menu">', 1)[1].split("</details>", 1)[0]
    summary = re.search(r'<summary class="site-menu__toggle">(.*?)</summary>', menu, re.DOTALL)
    assert summary and re.sub(r"<[^>]+>", "", summary.group(1)).strip() == "Trình đơn"
    assert '<nav class="site-nav"' in menu and 'href="/sessions/"' in menu
    assert 'action="/i18n/setlang/"' in menu
    assert 'action="/accounts/logout/"' in menu
    # One navigation, one language switch: nothing is repeated for the other screen size.
    assert html.count('<nav class="site-nav"') == 1
    assert html.count('action="/i18n/setlang/"') == 1


def test_header_without_sign_in_has_no_menu_but_the_language_switch(client, db):
    html = page_html(client.get(LOGIN_URL))

    header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert "site-menu" not in header
    assert 'action="/i18n/setlang/"' in header


def test_admin_link_only_for_staff(client, world):
    client.force_login(world["secretary"])
    assert 'href="/admin/"' not in page_html(client.get("/"))

    client.force_login(world["admin"])
    assert 'href="/admin/"' in page_html(client.get("/"))


# --- health check --------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_ok_without_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("could not connect to server")

    # Patch the backend class, so the real connection object is left untouched afterwards.
    monkeypatch.setattr(type(connection._connections["default"]), "cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert b"ok" not in response.content


# --- sign in / sign out --------------------------------------------------------------------


def test_login_page_has_labelled_fields_with_autocomplete(client, db):
    html = page_html(client.get(f"{LOGIN_URL}?next=/"))

    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert '<input type="hidden" name="next" value="/">' in html
    assert "<title>" in html


def test_login_with_a_wrong_password_shows_an_error_and_stays_logged_out(client, world):
    response = client.post(LOGIN_URL, {"username": "officer", "password": "wrong"})

    assert response.status_code == 200
    error = response.context["form"].non_field_errors()[0]
    assert escape(error) in page_html(response)
    assert 'role="alert"' in page_html(response)
    assert "_auth_user_id" not in client.session


def test_login_with_the_right_password_goes_home(client, world):
    response = client.post(LOGIN_URL, {"username": "officer", "password": "pw", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(world["officer"].pk)


def test_logout_by_post_signs_out_and_returns_to_login(client, world):
    client.force_login(world["officer"])
    html = page_html(client.get("/"))
    assert re.search(r'action="/accounts/logout/"\s+method="post"', html)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert "_auth_user_id" not in client.session
    assert client.get("/")["Location"] == f"{LOGIN_URL}?next=/"


# --- language ------------------------------------------------------------------------------


def test_language_switch_changes_the_page_language(client, world):
    client.force_login(world["officer"])
    html = page_html(client.get("/"))
    assert 'action="/i18n/setlang/"' in html
    assert "Tiếng Việt" in html and "English" in html

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    english = page_html(client.get("/"))
    assert '<html lang="en" data-copy="live">' in english
    assert "Overview" in english

    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert '<html lang="vi" data-copy="live">' in page_html(client.get("/"))


def test_language_switch_works_before_signing_in(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": LOGIN_URL})

    assert '<html lang="en" data-copy="live">' in page_html(client.get(LOGIN_URL))
