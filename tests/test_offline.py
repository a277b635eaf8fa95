"""The installable app and the log form's script, seen from the server (issue 10): the manifest,
the service worker at /sw.js, the offline page, the state the scripts ask for, the pages a
phone keeps, and the log view's JSON answers to the script (saved, refused with the form's
body, both versions after a stale save, closed, sign in first), with the one-time token and
the version check the plain form has."""

import datetime
import json
import uuid

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from programs import offline
from programs.models import Attendance, FormSubmission, LabourSession, Photo
from programs.selectors import logs_to_keep_offline
from programs.services import logbook
from tests import factories
from tests.http import signed_in
from tests.queries import pinned_queries
from tests.test_log_form import _fill, browser_data, jpeg

SYNC = {"HTTP_X_CIVIC_SYNC": "1"}
TODAY = datetime.date(2026, 12, 3)
NOW = datetime.datetime(2026, 12, 3, 9, tzinfo=datetime.UTC)


@pytest.fixture
def members(world):
    return [
        factories.member(cell=world["cell"], full_name=name)
        for name in ("Hoàng Văn Thắng", "Ma Thị Hoa", "Quan Văn Bình")
    ]


@pytest.fixture
def canal():
    return factories.work_type(name="Thủy lợi (kênh mương) thử", default_unit="m")


@pytest.fixture
def url(session):
    return reverse("programs:session-log", args=[session.pk])


def _sync_post(client, url, data):
    response = client.post(url, data, **SYNC)
    return response, json.loads(response.content)


# --- the manifest, the service worker, the offline page ----------------------------------------


@pytest.mark.parametrize(
    ("lang", "name", "short"),
    [("vi", "Lao động cùng Nhân dân", "Cùng Nhân dân"), ("en", "Civic Labour", "Civic Labour")],
)
def test_manifest_names_the_app_in_the_language_asked(client, db, lang, name, short):
    response = client.get(f"/manifest.webmanifest?lang={lang}")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["short_name"], manifest["lang"]) == (name, short, lang)
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#9b1c1c"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        # Every icon is one of our static files (no CDN).
        assert icon["src"].startswith("/static/")
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_manifest_with_an_unknown_language_falls_back(client, db):
    manifest = json.loads(client.get("/manifest.webmanifest?lang=xx").content)
    assert manifest["lang"] == "vi"


def test_every_page_links_the_manifest_in_its_language(client, world, english):
    signed_in(client, world["officer"])
    page = client.get("/").content.decode()
    assert 'href="/manifest.webmanifest?lang=en"' in page
    assert '<meta name="theme-color" content="#9b1c1c">' in page


def test_service_worker_is_served_from_the_root_uncached(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    script = response.content.decode()
    for url in offline.precached_urls():
        assert url in script
    assert "/offline/?lang=vi" in script and "/offline/?lang=en" in script
    assert '"civic-static-" + VERSION' in script
    assert f'var VERSION = "{offline.static_version()[:16]}"' in script


def test_every_precached_file_exists_with_its_licence(db):
    for name in offline.PRECACHED_STATIC:
        assert finders.find(name), name
    assert finders.find("vendor/idb-keyval/LICENCE")


def test_the_service_worker_version_follows_the_static_files(db, settings, tmp_path):
    before = offline._static_digest()
    extra = tmp_path / "js"
    extra.mkdir()
    (extra / "offline.js").write_text("/* changed */")
    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]
    finders.get_finder.cache_clear()
    try:
        assert offline._static_digest() != before
    finally:
        finders.get_finder.cache_clear()


@pytest.mark.parametrize(("lang", "heading"), [("vi", "Không có mạng"), ("en", "No connection")])
def test_offline_page_in_each_language_names_nobody(client, world, lang, heading):
    signed_in(client, world["secretary"])
    page = client.get(f"/offline/?lang={lang}").content.decode()
    assert f"<h1>{heading}</h1>" in page
    # The service worker fetches it without cookies; even signed in, it is the same page.
    anonymous = client.__class__().get(f"/offline/?lang={lang}").content.decode()
    assert "data-user" not in anonymous
    assert world["secretary"].username not in anonymous


# --- the state the scripts ask for ----------------------------------------------------------


def test_state_without_a_sign_in_is_401(client, db):
    response = client.get("/offline/state/")
    assert response.status_code == 401
    assert json.loads(response.content) == {"user": None}


def test_state_gives_the_user_a_csrf_token_and_the_pages_to_keep(client, world, session):
    signed_in(client, world["secretary"])
    response = client.get("/offline/state/")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    state = json.loads(response.content)
    assert state["user"] == str(world["secretary"].pk)
    assert state["csrf"]
    assert state["pages"] == ["/", reverse("programs:session-log", args=[session.pk])]


def test_state_does_not_send_back_the_csrf_cookie_the_browser_has(world):
    """An answer to a page's script can arrive after the person signed out and another signed
    in: re-sending the cookie then would put the old one back under the new sign-in form."""
    client = Client(enforce_csrf_checks=True)
    signed_in(client, world["secretary"])
    client.get("/")  # the first page gives the browser its CSRF cookie
    cookie = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.get("/offline/state/")
    assert settings.CSRF_COOKIE_NAME not in response.cookies
    assert json.loads(response.content)["csrf"]
    # The token it gives still passes the check against the browser's cookie.
    assert client.cookies[settings.CSRF_COOKIE_NAME].value == cookie
    token = json.loads(response.content)["csrf"]
    assert client.post("/accounts/logout/", HTTP_X_CSRFTOKEN=token).status_code == 302


def test_state_gives_a_cookie_to_a_browser_without_one(client, world):
    signed_in(client, world["secretary"])
    client.cookies.pop(settings.CSRF_COOKIE_NAME, None)
    response = client.get("/offline/state/")
    assert settings.CSRF_COOKIE_NAME in response.cookies


def test_a_phone_keeps_only_its_own_cells_open_logs(world, session):
    today = TODAY
    own = {
        "late": factories.world_session(world, date=datetime.date(2026, 11, 7)),
        "coming": factories.world_session(world, date=datetime.date(2026, 12, 12)),
    }
    confirmed = factories.world_session(world, date=datetime.date(2026, 10, 3))
    LabourSession.objects.filter(pk=confirmed.pk).update(
        status="held", log_status=LabourSession.LogStatus.CONFIRMED, log_confirmed_at=NOW
    )
    cancelled = factories.world_session(world, date=datetime.date(2026, 10, 10))
    LabourSession.objects.filter(pk=cancelled.pk).update(
        status="cancelled", status_reason="Mưa lớn"
    )
    far = factories.world_session(world, date=today + datetime.timedelta(days=90))
    other_cell = factories.session(
        cell=world["other_cell"], village=world["other_village"], date=datetime.date(2026, 11, 7)
    )

    kept = logs_to_keep_offline(world["secretary"], today)

    # The coming one first, then the late ones from the most recent back.
    assert kept == [own["coming"], own["late"], session]
    assert not {confirmed, cancelled, far, other_cell} & set(kept)
    # An officer's phone keeps none: their scope is whole committees.
    assert logs_to_keep_offline(world["officer"], today) == []


def test_a_phone_keeps_at_most_a_dozen_logs(world):
    for day in range(20):
        factories.world_session(world, date=datetime.date(2025, 1, 4) + datetime.timedelta(7 * day))
    assert len(logs_to_keep_offline(world["secretary"], TODAY)) == 12


def test_state_costs_the_same_for_one_log_or_twelve(client, world, session):
    signed_in(client, world["secretary"])
    client.get("/offline/state/")  # warm up
    with pinned_queries(5):
        assert len(json.loads(client.get("/offline/state/").content)["pages"]) == 2
    for day in range(20):
        factories.world_session(world, date=datetime.date(2025, 1, 4) + datetime.timedelta(7 * day))
    with pinned_queries(5):
        assert len(json.loads(client.get("/offline/state/").content)["pages"]) == 13


def test_a_page_kept_for_the_phone_leaves_the_messages_for_the_next(client, world, session, url):
    signed_in(client, world["secretary"])
    client.cookies.load({"django_language": "en"})
    data = {**browser_data(client.get(url)), "action": "draft", "notes": "Đã làm kênh"}
    assert client.post(url, data).status_code == 302  # saved: a message waits for the next page
    kept = client.get("/", HTTP_X_CIVIC_PREFETCH="1").content.decode()
    assert "The log was saved as a draft." not in kept
    assert "The log was saved as a draft." in client.get("/").content.decode()


# --- the log view's JSON answers -----------------------------------------------------------------


def test_sync_save_answers_saved_once_and_a_resend_counts_once(
    client, world, session, url, members, canal
):
    signed_in(client, world["secretary"])
    data = _fill(browser_data(client.get(url)), members, canal, action="submit")
    data["photos-0-image"] = jpeg()
    response, answer = _sync_post(client, url, data)
    assert response.status_code == 200
    assert answer == {
        "outcome": "saved",
        "already": False,
        "url": session.get_absolute_url(),
        "version": 2,
    }
    # The same send again (its answer was lost on the way): saved, not saved twice.
    data["photos-0-image"] = jpeg()
    _response, again = _sync_post(client, url, data)
    assert again["outcome"] == "saved" and again["already"] is True
    session.refresh_from_db()
    assert (session.version, session.log_status) == (2, "submitted")
    assert Attendance.objects.filter(session=session).count() == 3
    assert Photo.objects.filter(session=session).count() == 1
    assert FormSubmission.objects.filter(session=session).count() == 1


def test_sync_refusal_sends_the_form_body_with_its_errors(
    client, world, session, url, members, canal, english
):
    signed_in(client, world["secretary"])
    data = _fill(browser_data(client.get(url)), members, canal, action="draft")
    data["outputs-0-quantity"] = "-1"
    response, answer = _sync_post(client, url, data)
    assert response.status_code == 200
    assert answer["outcome"] == "invalid"
    body = answer["form_html"]
    assert "The quantity must be greater than zero." in body
    assert "Bà con đề nghị làm tiếp đoạn kênh còn lại." in body  # what was typed stays
    assert "<form" not in body and 'name="token"' in body
    # The script puts the photos back itself: no "choose them again".
    assert "choose them again" not in body
    session.refresh_from_db()
    assert session.version == 1
    assert not Attendance.objects.exists()


def test_sync_stale_save_shows_both_versions_and_writes_nothing(
    client, world, session, url, members, canal, english
):
    signed_in(client, world["secretary"])
    data = _fill(browser_data(client.get(url)), members, canal, action="submit")
    logbook.session_log_save(
        session=session,
        user=world["officer"],
        version=1,
        data=logbook.LogInput(notes="Ghi chú của cán bộ", unlisted_villagers=4),
    )
    _response, answer = _sync_post(client, url, data)
    assert answer["outcome"] == "stale"
    body = answer["form_html"]
    assert "Two versions of this log" in body
    assert "Ghi chú của cán bộ" in body and "Bà con đề nghị làm tiếp đoạn kênh còn lại." in body
    assert "Quan Văn Bình: 0,5 workdays" in body  # the version sent
    assert "villagers 4" in body  # the version saved
    assert 'value="2"' in body  # the form now carries the saved version: keeping mine is a choice
    session.refresh_from_db()
    assert (session.notes, session.version) == ("Ghi chú của cán bộ", 2)
    assert not Attendance.objects.exists()


def test_plain_stale_save_shows_both_versions_too(
    client, world, session, url, members, canal, english
):
    signed_in(client, world["secretary"])
    data = _fill(browser_data(client.get(url)), members, canal, action="draft")
    logbook.session_log_save(
        session=session, user=world["officer"], version=1, data=logbook.LogInput(notes="Theirs")
    )
    page = client.post(url, data).content.decode()
    assert 'id="log-conflict"' in page
    assert "Keep my version" in page and "Use the saved version" in page
    kept = browser_data(client.post(url, data))
    kept["action"] = "draft"
    assert client.post(url, kept).status_code == 302  # "Keep my version"
    session.refresh_from_db()
    assert session.notes == "Bà con đề nghị làm tiếp đoạn kênh còn lại."


def test_sync_to_a_confirmed_log_is_closed_403(client, world, session, url, members, canal):
    signed_in(client, world["secretary"])
    data = _fill(browser_data(client.get(url)), members, canal, action="draft")
    LabourSession.objects.filter(pk=session.pk).update(
        log_status="confirmed", status="held", log_confirmed_at=NOW
    )
    response, answer = _sync_post(client, url, data)
    assert response.status_code == 403
    assert answer["outcome"] == "closed" and answer["message"]
    assert not Attendance.objects.exists()


def test_sync_without_a_sign_in_is_401_not_a_login_page(client, world, session, url):
    response = client.post(url, {"action": "draft", "token": str(uuid.uuid4())}, **SYNC)
    assert response.status_code == 401
    assert json.loads(response.content) == {"outcome": "login"}
    # A plain post is still sent to the login page.
    assert client.post(url, {"action": "draft"})["Location"].startswith("/accounts/login/")


def test_sync_from_an_outsider_is_404(client, world, session, url, members, canal):
    signed_in(client, world["secretary2"])
    response = client.post(url, {"action": "draft", "version": "1"}, **SYNC)
    assert response.status_code == 404
    assert not FormSubmission.objects.exists()


# --- finding people in place ------------------------------------------------------------------


def test_people_search_returns_rows_in_the_pages_markup(client, world, session, members):
    other = factories.member(cell=world["other_cell"], full_name="Nông Thị Duyên")
    signed_in(client, world["secretary"])
    people = reverse("programs:session-log-people", args=[session.pk])
    page = client.get(people, {"search": "nong thi"}).content.decode()
    assert f'data-member="{other.pk}"' in page
    assert f'name="came_{other.pk}"' in page and f'name="workdays_{other.pk}"' in page
    assert f'name="listed" value="{other.pk}"' in page  # the server lists them on the next post
    listed = client.get(people, {"search": "nong thi", "listed": [str(other.pk)]})
    assert f'data-member="{other.pk}"' not in listed.content.decode()


def test_people_search_is_scoped_like_the_log(client, world, session):
    signed_in(client, world["secretary2"])
    people = reverse("programs:session-log-people", args=[session.pk])
    assert client.get(people, {"search": "a"}).status_code == 404
    client.logout()
    assert client.get(people, {"search": "a"})["Location"].startswith("/accounts/login/")


def test_people_search_shrugs_off_forged_input(client, world, session):
    signed_in(client, world["secretary"])
    people = reverse("programs:session-log-people", args=[session.pk])
    for query in ({"search": "a\x00b"}, {"search": "x" * 5000}, {"listed": ["²", "-1", "9" * 40]}):
        assert client.get(people, query).status_code == 200


def test_people_search_costs_the_same_for_one_or_twenty_found(client, world, session):
    signed_in(client, world["secretary"])
    people = reverse("programs:session-log-people", args=[session.pk])
    factories.member(cell=world["other_cell"], full_name="Nông Văn Một")
    client.get(people, {"search": "nong"})  # warm up
    with pinned_queries(5):
        assert client.get(people, {"search": "nong"}).content.decode().count("data-member=") == 1
    for n in range(25):
        factories.member(cell=world["other_cell"], full_name=f"Nông Văn {n}")
    with pinned_queries(5):
        assert client.get(people, {"search": "nong"}).content.decode().count("data-member=") == 20
