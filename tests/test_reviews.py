"""Officers confirm, return and reopen session logs; the list of logs waiting for confirmation."""

import datetime
import uuid

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from programs.models import FormSubmission, LabourSession, SessionChange, WorkOutput
from tests import factories
from tests.queries import pinned_queries
from tests.test_session_page import attend

LogStatus = LabourSession.LogStatus
SATURDAY = datetime.date(2026, 3, 7)


pytestmark = pytest.mark.usefixtures("english")


def _session(world, *, cell=None, village=None, day=SATURDAY, log_status=LogStatus.SUBMITTED):
    session = factories.session(
        cell=cell or world["cell"],
        village=village or world["village"],
        directive=world["directive"],
        date=day,
        status=LabourSession.Status.HELD,
    )
    session.log_status = log_status
    if log_status in (LogStatus.SUBMITTED, LogStatus.CONFIRMED):
        session.log_submitted_at = timezone.now()
        session.log_submitted_by = world["secretary"]
    if log_status == LogStatus.CONFIRMED:
        session.log_confirmed_at = timezone.now()
        session.log_confirmed_by = world["officer"]
    session.save()
    return session


@pytest.fixture
def waiting(world):
    return _session(world)


def _url(name, session):
    return reverse(f"programs:session-log-{name}", args=[session.pk])


def _post(client, name, session, **data):
    data.setdefault("version", session.version)
    data.setdefault("token", str(uuid.uuid4()))
    return client.post(_url(name, session), data)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- confirm ------------------------------------------------------------------------------------


def test_officer_confirms(client, world, waiting):
    client.force_login(world["officer"])

    response = _post(client, "confirm", waiting)

    assert response.status_code == 302
    assert response["Location"] == waiting.get_absolute_url()
    waiting.refresh_from_db()
    assert waiting.log_status == LogStatus.CONFIRMED
    assert waiting.log_confirmed_by == world["officer"]
    assert waiting.log_confirmed_at is not None
    assert waiting.version == 2
    assert waiting.changes.get().action == SessionChange.Action.LOG_CONFIRMED
    assert "The log was confirmed. It now counts in the reports." in _messages(response)


def test_confirm_is_post_only(client, world, waiting):
    client.force_login(world["officer"])
    assert client.get(_url("confirm", waiting)).status_code == 405


@pytest.mark.parametrize(
    ("who", "status"), [("viewer", 403), ("secretary", 403), ("secretary2", 404)]
)
@pytest.mark.parametrize("action", ["confirm", "return", "reopen"])
def test_only_officers_of_the_cell_review(client, world, who, status, action):
    session = _session(
        world, log_status=LogStatus.CONFIRMED if action == "reopen" else LogStatus.SUBMITTED
    )
    before = session.log_status
    client.force_login(world[who])

    assert client.get(_url(action, session)).status_code in (status, 405)
    response = _post(client, action, session, reason="Lý do")

    assert response.status_code == status
    session.refresh_from_db()
    assert (session.log_status, session.version) == (before, 1)
    assert not session.changes.exists()


def test_officer_of_another_committee_gets_404(client, world):
    session = _session(world)
    stranger = factories.user(role="officer", target=world["outsider_committee"])
    client.force_login(stranger)

    assert _post(client, "confirm", session).status_code == 404
    session.refresh_from_db()
    assert session.log_status == LogStatus.SUBMITTED


def test_anonymous_is_sent_to_sign_in(client, waiting):
    response = _post(client, "confirm", waiting)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("state", [LogStatus.NONE, LogStatus.DRAFT, LogStatus.RETURNED])
def test_confirm_refuses_a_log_not_waiting(client, world, state):
    session = _session(world, log_status=state)
    client.force_login(world["officer"])

    response = _post(client, "confirm", session)

    assert response.status_code == 302
    assert "Only a log waiting for confirmation can be confirmed." in _messages(response)
    session.refresh_from_db()
    assert (session.log_status, session.version) == (state, 1)


def test_confirm_with_a_stale_version_changes_nothing(client, world, waiting):
    """The secretary corrected the log after the officer opened the page: the officer must see
    the new log before confirming it."""
    client.force_login(world["officer"])
    LabourSession.objects.filter(pk=waiting.pk).update(version=2)

    response = _post(client, "confirm", waiting, version=1)

    assert response.status_code == 302
    assert any("The log changed after you opened this page" in m for m in _messages(response))
    waiting.refresh_from_db()
    assert (waiting.log_status, waiting.version) == (LogStatus.SUBMITTED, 2)


def test_a_resent_confirm_changes_nothing_twice(client, world, waiting):
    client.force_login(world["officer"])
    token = str(uuid.uuid4())
    _post(client, "confirm", waiting, token=token)

    again = _post(client, "confirm", waiting, token=token)

    assert again.status_code == 302
    assert again["Location"] == waiting.get_absolute_url()
    assert not any(m.startswith("Only a log") for m in _messages(again))
    waiting.refresh_from_db()
    assert (waiting.log_status, waiting.version) == (LogStatus.CONFIRMED, 2)
    assert waiting.changes.count() == 1
    assert FormSubmission.objects.filter(token=token).count() == 1


# --- return for correction -------------------------------------------------------------------


def test_return_form_then_return(client, world, waiting):
    client.force_login(world["officer"])

    page = client.get(_url("return", waiting))
    assert page.status_code == 200
    html = page.content.decode()
    assert "What needs correcting" in html
    assert f'name="version" value="{waiting.version}"' in html
    assert 'name="token"' in html

    response = _post(client, "return", waiting, reason="  Thiếu ảnh nhà ông Thính  ")

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.log_status == LogStatus.RETURNED
    assert waiting.review_comment == "Thiếu ảnh nhà ông Thính"
    change = waiting.changes.get()
    assert (change.action, change.reason) == ("log_returned", "Thiếu ảnh nhà ông Thính")
    assert "The log was returned to the cell secretary for correction." in _messages(response)


def test_return_needs_a_comment(client, world, waiting):
    client.force_login(world["officer"])

    response = _post(client, "return", waiting, reason="   ")

    assert response.status_code == 200
    assert "Say what needs correcting." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.log_status == LogStatus.SUBMITTED


def test_return_of_a_confirmed_log_is_refused(client, world):
    session = _session(world, log_status=LogStatus.CONFIRMED)
    client.force_login(world["officer"])

    for response in (
        client.get(_url("return", session)),
        _post(client, "return", session, reason="x"),
    ):
        assert response.status_code == 302
        assert "Only a log waiting for confirmation can be returned." in _messages(response)
    session.refresh_from_db()
    assert session.log_status == LogStatus.CONFIRMED


def test_stale_return_keeps_the_comment_and_takes_the_current_version(client, world, waiting):
    client.force_login(world["officer"])
    LabourSession.objects.filter(pk=waiting.pk).update(version=5)

    response = _post(client, "return", waiting, version=1, reason="Thiếu ảnh")

    assert response.status_code == 200
    html = response.content.decode()
    assert "The log changed after you opened this page" in html
    assert "Thiếu ảnh" in html
    assert 'name="version" value="5"' in html
    waiting.refresh_from_db()
    assert (waiting.log_status, waiting.version) == (LogStatus.SUBMITTED, 5)


def test_a_resent_return_changes_nothing_twice(client, world, waiting):
    client.force_login(world["officer"])
    token = str(uuid.uuid4())
    _post(client, "return", waiting, token=token, reason="Thiếu ảnh")

    again = _post(client, "return", waiting, token=token, reason="Thiếu ảnh")

    assert again.status_code == 302
    assert again["Location"] == waiting.get_absolute_url()
    assert waiting.changes.count() == 1


# --- reopen -----------------------------------------------------------------------------------


def test_officer_reopens_a_confirmed_log_with_a_reason(client, world):
    session = _session(world, log_status=LogStatus.CONFIRMED)
    client.force_login(world["officer"])
    assert client.get(_url("reopen", session)).status_code == 200

    response = _post(client, "reopen", session, reason="Sai số người tham gia")

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.log_status == LogStatus.RETURNED
    assert session.log_confirmed_at is None
    assert session.log_confirmed_by is None
    assert session.review_comment == "Sai số người tham gia"
    assert session.changes.get().action == "log_reopened"


def test_reopen_needs_a_reason(client, world):
    session = _session(world, log_status=LogStatus.CONFIRMED)
    client.force_login(world["officer"])

    response = _post(client, "reopen", session, reason="")

    assert response.status_code == 200
    assert "Give the reason for reopening." in response.content.decode()
    session.refresh_from_db()
    assert session.log_status == LogStatus.CONFIRMED


def test_reopen_of_a_log_not_confirmed_is_refused(client, world, waiting):
    client.force_login(world["officer"])

    response = _post(client, "reopen", waiting, reason="x")

    assert response.status_code == 302
    assert "Only a confirmed log can be reopened." in _messages(response)
    waiting.refresh_from_db()
    assert waiting.log_status == LogStatus.SUBMITTED


# --- the list ------------------------------------------------------------------------------------


def test_list_shows_waiting_logs_oldest_first_with_counts(client, world):
    newer = _session(world, day=datetime.date(2026, 3, 14))
    older = _session(world, cell=world["other_cell"], village=world["other_village"])
    LabourSession.objects.filter(pk=older.pk).update(
        log_submitted_at=timezone.now() - datetime.timedelta(days=3)
    )
    LabourSession.objects.filter(pk=newer.pk).update(unlisted_villagers=20)
    for _ in range(3):
        attend(newer, factories.member(cell=world["cell"]))
    WorkOutput.objects.create(session=newer, work_type=factories.work_type(), quantity=5, unit="m")
    _session(world, day=datetime.date(2026, 3, 21), log_status=LogStatus.DRAFT)
    _session(world, day=datetime.date(2026, 3, 28), log_status=LogStatus.CONFIRMED)
    client.force_login(world["officer"])

    response = client.get(reverse("programs:reviews"))

    assert response.status_code == 200
    sessions = response.context["sessions"]
    assert sessions == [older, newer]
    assert (sessions[1].person_visits, sessions[1].output_count) == (23, 1)
    assert (sessions[0].person_visits, sessions[0].output_count) == (0, 0)
    html = response.content.decode()
    assert html.index(older.get_absolute_url()) < html.index(newer.get_absolute_url())
    assert "2 session logs are waiting for confirmation" in html


def test_viewer_sees_the_list_read_only(client, world, waiting):
    client.force_login(world["viewer"])

    response = client.get(reverse("programs:reviews"))

    assert response.status_code == 200
    assert response.context["sessions"] == [waiting]


@pytest.mark.parametrize("who", ["secretary", "secretary2"])
def test_secretaries_get_403(client, world, waiting, who):
    client.force_login(world[who])
    assert client.get(reverse("programs:reviews")).status_code == 403


def test_list_keeps_to_the_users_scope(client, world, waiting):
    foreign_cell = factories.cell(committee=world["outsider_committee"])
    foreign = _session(world, cell=foreign_cell, village=factories.village())
    client.force_login(world["officer"])

    response = client.get(reverse("programs:reviews"))

    assert response.context["sessions"] == [waiting]
    assert foreign.get_absolute_url() not in response.content.decode()

    client.force_login(world["admin"])
    assert set(client.get(reverse("programs:reviews")).context["sessions"]) == {waiting, foreign}


def test_nav_link_for_officers_and_viewers_only(client, world, waiting):
    url = reverse("programs:reviews")
    for who in ("officer", "viewer"):
        client.force_login(world[who])
        assert f'href="{url}"' in client.get("/").content.decode()
    client.force_login(world["secretary"])
    assert f'href="{url}"' not in client.get("/").content.decode()


def test_list_queries_do_not_grow_with_the_logs(client, world):
    _session(world)
    client.force_login(world["officer"])
    url = reverse("programs:reviews")
    client.get(url)

    with pinned_queries(7):
        assert len(client.get(url).context["sessions"]) == 1

    for n in range(49):
        cell = factories.cell(committee=world["committee"])
        session = _session(world, cell=cell, day=SATURDAY + datetime.timedelta(days=7 * n))
        attend(session, factories.member(cell=cell))

    with pinned_queries(7):
        assert len(client.get(url).context["sessions"]) == 50


def test_list_is_paginated_by_50(client, world):
    for n in range(51):
        _session(world, day=SATURDAY + datetime.timedelta(days=7 * n))
    client.force_login(world["officer"])

    first = client.get(reverse("programs:reviews"))
    second = client.get(reverse("programs:reviews"), {"page": 2})

    assert len(first.context["sessions"]) == 50
    assert len(second.context["sessions"]) == 1
    assert 'rel="next"' in first.content.decode()
