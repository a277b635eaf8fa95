"""The same form arriving more than once: a double tap, or a phone re-sending on a bad connection.

Three identical copies of each state-changing form are sent at the same moment, from threads,
to the live server (each thread its own database connection, as under gunicorn): exactly one
change is made, and no copy gets a server error; each answers like the first. Then, without
threads, every form sent twice with the same one-time token changes nothing the second time.
"""

import datetime
import http.client
import threading
import uuid
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from programs.models import (
    Attendance,
    CalendarFeed,
    FormSubmission,
    IssuedReport,
    LabourSession,
    ReportSettings,
    SessionChange,
)
from programs.services import sessions as session_services
from programs.services.tokens import FormAlreadyDone, claim_session_form
from tests import factories

LogStatus = LabourSession.LogStatus
Action = SessionChange.Action

PAST_SATURDAY = datetime.date(2026, 3, 7)
SATURDAY = datetime.date(2031, 3, 8)
SUNDAY = datetime.date(2031, 3, 9)
NEXT_SATURDAY = datetime.date(2031, 3, 15)
COPIES = 3
# Answers a client may get for one of the copies; never a 500.
FINE = {200, 302, 303, 409}


# --- a browser without JavaScript, by http.client ----------------------------------------------


class PostForms(HTMLParser):
    """Every POST form of a page: its action and what a browser would send (ticked boxes only,
    the selected option or the first one, no files)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._fields = None
        self._select = self._selected = self._first = None
        self._textarea, self._text = None, ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._fields = []
            self.forms.append((attrs.get("action") or "", self._fields))
            return
        if self._fields is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._fields.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._selected, self._first = name, None, None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first is None:
                self._first = value
            if "selected" in attrs:
                self._selected = value
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select" and self._select:
            chosen = self._selected if self._selected is not None else self._first
            self._fields.append((self._select, chosen or ""))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self._fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


class Browser:
    """One signed-in user's browser: the session and CSRF cookies, pages read as HTML."""

    def __init__(self, live_server, client, user):
        client.force_login(user)
        address = urlsplit(live_server.url)
        self.host, self.port = address.hostname, address.port
        self.cookies = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
            settings.LANGUAGE_COOKIE_NAME: "en",
        }

    def _connection(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=60)

    def _headers(self, body: bool) -> dict:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return headers

    def form(
        self, path: str, action: str | None = None, having: str | None = None
    ) -> list[tuple[str, str]]:
        """The fields of the page's POST form that posts to ``action`` (to the page itself
        when None) or that has a field named ``having``, as the page shows them, hidden
        version and one-time token included."""
        connection = self._connection()
        connection.request("GET", path, headers=self._headers(body=False))
        response = connection.getresponse()
        page = response.read().decode()
        connection.close()
        assert response.status == 200, (path, response.status)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        reader = PostForms()
        reader.feed(page)
        wanted = {action} if action else {"", path, path.split("?", 1)[0]}
        for form_action, fields in reader.forms:
            found = having in dict(fields) if having else form_action in wanted
            if found:
                return list(fields)
        raise AssertionError(f"no form posting to {action or path} on {path}")

    def post_at_once(self, path: str, fields, copies: int = COPIES) -> list[tuple[int, str]]:
        """Send ``copies`` identical posts, released together, each on its own connection;
        the status and redirect address of each answer (redirects are not followed)."""
        body = urlencode(fields, doseq=True)
        headers = self._headers(body=True)
        barrier = threading.Barrier(copies)
        statuses: list[tuple[int, str]] = []
        errors: list[BaseException] = []

        def send():
            connection = self._connection()
            try:
                connection.connect()
                barrier.wait(timeout=30)
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                statuses.append((response.status, response.getheader("Location", "")))
            except BaseException as error:  # reported below, in the test's thread
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=send) for _ in range(copies)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors
        assert len(statuses) == copies
        return statuses


def _answered_alike(answers):
    """No server error, and every copy answered as the first: the same redirect."""
    assert {status for status, _location in answers} <= FINE, answers
    assert len(set(answers)) == 1, answers
    assert answers[0][0] == 302, answers


def _set(fields, **values):
    """The form's fields with some replaced (or added), as a user would type them."""
    kept = [(name, value) for name, value in fields if name not in values]
    return kept + list(values.items())


def _token(fields) -> str:
    return dict(fields)["token"]


# --- data ----------------------------------------------------------------------------------------


def _held(world, log_status, day=PAST_SATURDAY):
    confirmed = log_status == LogStatus.CONFIRMED
    return factories.world_session(
        world,
        date=day,
        status=LabourSession.Status.HELD,
        log_status=log_status,
        log_submitted_at=timezone.now(),
        log_submitted_by=world["secretary"],
        log_confirmed_at=timezone.now() if confirmed else None,
        log_confirmed_by=world["officer"] if confirmed else None,
    )


@pytest.fixture
def planned(world):
    return factories.world_session(world, date=SATURDAY)


def _changes(session, action) -> int:
    return SessionChange.objects.filter(session=session, action=action).count()


# --- three copies at once, against the live server ----------------------------------------------

live = pytest.mark.django_db(transaction=True)


@live
def test_log_submitted_three_times_at_once_is_saved_once(live_server, client, world):
    session = factories.world_session(
        world,
        date=PAST_SATURDAY,
    )
    member = factories.member(cell=world["cell"], full_name="Ma Thị Hoa")
    browser = Browser(live_server, client, world["secretary"])
    path = reverse("programs:session-log", args=[session.pk])
    fields = browser.form(path)
    fields = _set(
        fields, **{f"came_{member.pk}": "on", "notes": "Làm 40 m kênh", "action": "submit"}
    )

    answers = browser.post_at_once(path, fields)

    _answered_alike(answers)
    session.refresh_from_db()
    assert (session.status, session.log_status, session.version) == ("held", "submitted", 2)
    assert _changes(session, Action.LOG_SUBMITTED) == 1
    assert Attendance.objects.filter(session=session).count() == 1
    assert FormSubmission.objects.filter(token=_token(fields)).count() == 1


@live
def test_confirm_three_times_at_once_confirms_once(live_server, client, world):
    session = _held(world, LogStatus.SUBMITTED)
    browser = Browser(live_server, client, world["officer"])
    confirm = reverse("programs:session-log-confirm", args=[session.pk])
    fields = browser.form(session.get_absolute_url(), action=confirm)

    answers = browser.post_at_once(confirm, fields)

    _answered_alike(answers)
    session.refresh_from_db()
    assert (session.log_status, session.version) == ("confirmed", 2)
    assert _changes(session, Action.LOG_CONFIRMED) == 1


@live
@pytest.mark.parametrize(
    ("view", "log_status", "action", "after"),
    [
        ("session-log-return", LogStatus.SUBMITTED, Action.LOG_RETURNED, "returned"),
        ("session-log-reopen", LogStatus.CONFIRMED, Action.LOG_REOPENED, "returned"),
    ],
)
def test_return_or_reopen_three_times_at_once_acts_once(
    live_server, client, world, view, log_status, action, after
):
    session = _held(world, log_status)
    browser = Browser(live_server, client, world["officer"])
    path = reverse(f"programs:{view}", args=[session.pk])
    fields = _set(browser.form(path), reason="Thiếu ảnh đoạn kênh")

    answers = browser.post_at_once(path, fields)

    _answered_alike(answers)
    session.refresh_from_db()
    assert (session.log_status, session.version) == (after, 2)
    assert _changes(session, action) == 1


@live
def test_cancel_three_times_at_once_cancels_once(live_server, client, world, planned):
    browser = Browser(live_server, client, world["officer"])
    path = reverse("programs:session-cancel", args=[planned.pk])
    fields = _set(browser.form(path), reason="Mưa lũ")

    answers = browser.post_at_once(path, fields)

    _answered_alike(answers)
    planned.refresh_from_db()
    assert (planned.status, planned.version) == ("cancelled", 2)
    assert _changes(planned, Action.CANCELLED) == 1


@live
def test_postpone_three_times_at_once_makes_one_new_session(live_server, client, world, planned):
    browser = Browser(live_server, client, world["officer"])
    path = reverse("programs:session-postpone", args=[planned.pk])
    fields = _set(browser.form(path), reason="Mưa lũ", new_date=NEXT_SATURDAY.isoformat())

    answers = browser.post_at_once(path, fields)

    _answered_alike(answers)
    planned.refresh_from_db()
    assert (planned.status, planned.version) == ("postponed", 2)
    assert _changes(planned, Action.POSTPONED) == 1
    replacement = LabourSession.objects.get(rescheduled_from=planned)
    assert replacement.date == NEXT_SATURDAY
    assert LabourSession.objects.count() == 2


@live
def test_edit_three_times_at_once_saves_once(live_server, client, world, planned):
    browser = Browser(live_server, client, world["officer"])
    path = reverse("programs:session-edit", args=[planned.pk])
    fields = _set(browser.form(path), planned_work="Phát quang đường thôn")

    answers = browser.post_at_once(path, fields)

    _answered_alike(answers)
    planned.refresh_from_db()
    assert (planned.planned_work, planned.version) == ("Phát quang đường thôn", 2)
    assert _changes(planned, Action.UPDATED) == 1


def _new_session_fields(browser, world):
    return _set(
        browser.form(reverse("programs:session-create")),
        cell=str(world["cell"].pk),
        directive=str(world["directive"].pk),
        village=str(world["village"].pk),
        date=SUNDAY.isoformat(),
        start_time="07:30",
    )


@live
def test_new_session_three_times_at_once_creates_one(live_server, client, world):
    browser = Browser(live_server, client, world["officer"])
    fields = _new_session_fields(browser, world)

    answers = browser.post_at_once(reverse("programs:session-create"), fields)

    _answered_alike(answers)
    session = LabourSession.objects.get()
    assert session.date == SUNDAY
    assert _changes(session, Action.CREATED) == 1
    assert FormSubmission.objects.get(token=_token(fields)).session == session


@live
def test_three_different_new_session_forms_for_one_day_create_one(live_server, client, world):
    """Three tabs, three tokens, the same cell and day: the database's rule decides, and the
    others get the form's message, not a server error."""
    browser = Browser(live_server, client, world["officer"])
    fields = _new_session_fields(browser, world)
    barrier = threading.Barrier(COPIES)
    statuses, errors = [], []

    def send():
        try:
            barrier.wait(timeout=30)
            statuses.extend(
                browser.post_at_once(
                    reverse("programs:session-create"),
                    _set(fields, token=str(uuid.uuid4())),
                    copies=1,
                )
            )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=send) for _ in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert len(statuses) == COPIES
    codes = sorted(status for status, _location in statuses)
    assert codes == [200, 200, 302], statuses  # the others show the form with its message
    assert LabourSession.objects.count() == 1


@live
def test_month_plan_three_times_at_once_plans_once(live_server, client, world, next_month):
    browser = Browser(live_server, client, world["officer"])
    plan = reverse("programs:session-plan")
    query = urlencode(
        {
            "committee": world["committee"].pk,
            "directive": world["directive"].pk,
            "month": str(next_month),
            "preferred_week": 1,
            "start_time": "07:30",
        }
    )
    # The preview page: its first form previews again (GET), the second creates (POST).
    fields = browser.form(f"{plan}?{query}")

    answers = browser.post_at_once(plan, fields)

    _answered_alike(answers)
    assert LabourSession.objects.count() == 2  # one for each of the committee's two cells
    assert SessionChange.objects.filter(action=Action.CREATED).count() == 2
    submission = FormSubmission.objects.get(token=_token(fields))
    assert sorted(submission.result["sessions"]) == sorted(
        LabourSession.objects.values_list("pk", flat=True)
    )


@live
def test_calendar_address_reset_three_times_at_once_resets_once(live_server, client, world):
    browser = Browser(live_server, client, world["officer"])
    fields = browser.form(
        reverse("programs:calendar-feed-settings"), action=reverse("programs:calendar-feed-reset")
    )
    first_address = CalendarFeed.objects.get(user=world["officer"]).token

    answers = browser.post_at_once(reverse("programs:calendar-feed-reset"), fields)

    _answered_alike(answers)
    assert CalendarFeed.objects.get(user=world["officer"]).token != first_address
    assert FormSubmission.objects.filter(token=_token(fields)).count() == 1


@live
def test_report_header_saved_three_times_at_once_makes_one_row(live_server, client, world):
    browser = Browser(live_server, client, world["officer"])
    path = f"{reverse('programs:report-print')}?committee={world['committee'].pk}"
    fields = _set(
        browser.form(path, having="signer_name"), place="Bình An", signer_name="Hoàng Văn A"
    )

    answers = browser.post_at_once(path, fields)

    _answered_alike(answers)
    saved = ReportSettings.objects.get(committee=world["committee"])
    assert (saved.place, saved.signer_name) == ("Bình An", "Hoàng Văn A")
    assert FormSubmission.objects.filter(token=_token(fields)).count() == 1


@live
def test_report_issued_three_times_at_once_gets_one_number(live_server, client, world):
    browser = Browser(live_server, client, world["officer"])
    path = f"{reverse('programs:report-print')}?committee={world['committee'].pk}"
    fields = _set(browser.form(path, having="proposals"), proposals="- Đề nghị A.", action="issue")

    answers = browser.post_at_once(path, fields)

    _answered_alike(answers)
    issued = IssuedReport.objects.get()
    assert (issued.number, issued.proposals) == (1, "- Đề nghị A.")
    assert answers[0][1].endswith(f"/reports/issued/{world['committee'].pk}/{issued.pk}/")
    assert FormSubmission.objects.filter(token=_token(fields)).count() == 1


# --- the same token twice, one after the other (test client) ------------------------------------


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _twice(client, url, data):
    """Post the same form twice, following the redirect as a browser does: both copies must
    lead to the same page with the same message. Returns the first answer."""
    first = client.post(url, data, follow=True)
    second = client.post(url, data, follow=True)
    assert first.redirect_chain, "the first copy is carried out and redirects"
    assert first.redirect_chain == second.redirect_chain
    assert _messages(first) == _messages(second)
    assert _messages(second), "the second copy answers with the first one's message"
    return first


def _form_token() -> str:
    return str(uuid.uuid4())


@pytest.mark.usefixtures("english")
def test_resent_new_session_form_answers_with_the_same_session(client, world):
    client.force_login(world["officer"])
    data = {
        "cell": world["cell"].pk,
        "directive": world["directive"].pk,
        "village": world["village"].pk,
        "date": SUNDAY.isoformat(),
        "start_time": "07:30",
        "token": _form_token(),
    }
    first = _twice(client, reverse("programs:session-create"), data)
    session = LabourSession.objects.get()
    assert first.redirect_chain[0][0] == session.get_absolute_url()
    assert _changes(session, Action.CREATED) == 1


@pytest.mark.usefixtures("english")
def test_resent_edit_form_saves_once(client, world, planned):
    client.force_login(world["officer"])
    data = {
        "cell": world["cell"].pk,
        "directive": world["directive"].pk,
        "village": world["village"].pk,
        "date": SATURDAY.isoformat(),
        "start_time": "07:30",
        "planned_work": "Phát quang",
        "version": 1,
        "token": _form_token(),
    }
    _twice(client, reverse("programs:session-edit", args=[planned.pk]), data)
    planned.refresh_from_db()
    assert (planned.planned_work, planned.version) == ("Phát quang", 2)
    assert _changes(planned, Action.UPDATED) == 1


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("view", "extra", "status", "action"),
    [
        ("session-cancel", {}, "cancelled", Action.CANCELLED),
        (
            "session-postpone",
            {"new_date": NEXT_SATURDAY.isoformat()},
            "postponed",
            Action.POSTPONED,
        ),
    ],
)
def test_resent_cancel_or_postpone_form_acts_once(
    client, world, planned, view, extra, status, action
):
    client.force_login(world["officer"])
    data = {"reason": "Mưa lũ", "version": 1, "token": _form_token(), **extra}
    _twice(client, reverse(f"programs:{view}", args=[planned.pk]), data)
    planned.refresh_from_db()
    assert (planned.status, planned.version) == (status, 2)
    assert _changes(planned, action) == 1
    assert LabourSession.objects.count() == (2 if extra else 1)


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("action", ["draft", "submit"])
def test_resent_log_form_saves_once(client, world, action):
    session = factories.world_session(
        world,
        date=PAST_SATURDAY,
    )
    member = factories.member(cell=world["cell"])
    client.force_login(world["secretary"])
    data = {
        "version": 1,
        "token": _form_token(),
        "action": action,
        "notes": "Làm 40 m kênh",
        "listed": [member.pk],
        f"came_{member.pk}": "on",
        f"workdays_{member.pk}": "1",
        "outputs-TOTAL_FORMS": "0",
        "outputs-INITIAL_FORMS": "0",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }
    _twice(client, reverse("programs:session-log", args=[session.pk]), data)
    session.refresh_from_db()
    assert session.version == 2
    assert session.changes.count() == 1
    assert Attendance.objects.filter(session=session).count() == 1


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("view", "log_status", "extra", "after"),
    [
        ("session-log-confirm", LogStatus.SUBMITTED, {}, "confirmed"),
        ("session-log-return", LogStatus.SUBMITTED, {"reason": "Thiếu ảnh"}, "returned"),
        ("session-log-reopen", LogStatus.CONFIRMED, {"reason": "Sai số liệu"}, "returned"),
    ],
)
def test_resent_sign_off_form_acts_once(client, world, view, log_status, extra, after):
    session = _held(world, log_status)
    client.force_login(world["officer"])
    data = {"version": 1, "token": _form_token(), **extra}
    _twice(client, reverse(f"programs:{view}", args=[session.pk]), data)
    session.refresh_from_db()
    assert (session.log_status, session.version) == (after, 2)
    assert session.changes.count() == 1


@pytest.mark.usefixtures("english")
def test_resent_month_plan_answers_with_the_same_count(client, world, next_month):
    client.force_login(world["officer"])
    data = {
        "committee": world["committee"].pk,
        "directive": world["directive"].pk,
        "month": str(next_month),
        "preferred_week": 1,
        "start_time": "07:30",
        "token": _form_token(),
    }
    first = _twice(client, reverse("programs:session-plan"), data)
    assert LabourSession.objects.count() == 2
    assert _messages(first) == [f"2 sessions were planned for {next_month.label}."]


@pytest.mark.usefixtures("english")
def test_resent_calendar_address_reset_keeps_the_new_address(client, world):
    client.force_login(world["officer"])
    url = reverse("programs:calendar-feed-reset")
    data = {"token": _form_token()}
    client.post(url, data)
    new_address = CalendarFeed.objects.get(user=world["officer"]).token

    again = client.post(url, data)

    assert again.status_code == 302
    assert CalendarFeed.objects.get(user=world["officer"]).token == new_address


@pytest.mark.usefixtures("english")
def test_calendar_address_reset_without_token_still_works(client, world):
    client.force_login(world["officer"])
    url = reverse("programs:calendar-feed-reset")
    client.post(url)
    first = CalendarFeed.objects.get(user=world["officer"]).token
    client.post(url)
    assert CalendarFeed.objects.get(user=world["officer"]).token != first


def test_every_changing_form_carries_a_token(client, world, planned, next_month):
    """The pages' forms, as a browser gets them: each POST form that changes something has a
    fresh one-time token."""
    submitted = _held(world, LogStatus.SUBMITTED)
    client.force_login(world["officer"])
    pages = [
        reverse("programs:session-create"),
        reverse("programs:session-edit", args=[planned.pk]),
        reverse("programs:session-postpone", args=[planned.pk]),
        reverse("programs:session-cancel", args=[planned.pk]),
        reverse("programs:session-log", args=[planned.pk]),
        submitted.get_absolute_url(),
        reverse("programs:session-log-return", args=[submitted.pk]),
        reverse("programs:calendar-feed-settings"),
        reverse("programs:session-plan")
        + "?"
        + urlencode(
            {
                "committee": world["committee"].pk,
                "directive": world["directive"].pk,
                "month": str(next_month),
                "preferred_week": 1,
                "start_time": "07:30",
            }
        ),
    ]
    # Sign-out and the language switch change no data; the login form is not a user's yet.
    harmless = {reverse("logout"), reverse("set_language")}
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        reader = PostForms()
        reader.feed(response.content.decode())
        changing = [fields for action, fields in reader.forms if action not in harmless]
        assert changing, page
        for fields in changing:
            token = dict(fields).get("token")
            assert token, page
            uuid.UUID(token)
    # A fresh token each time a form is shown.
    assert _page_tokens(client, pages[0]) != _page_tokens(client, pages[0])


def _page_tokens(client, page) -> list[str]:
    reader = PostForms()
    reader.feed(client.get(page).content.decode())
    return [dict(fields).get("token") for _action, fields in reader.forms]


def test_resent_report_header_changes_nothing_the_second_time(client, world):
    client.force_login(world["officer"])
    url = f"{reverse('programs:report-print')}?committee={world['committee'].pk}"
    data = {"place": "Lâm Bình", "signer_name": "Hoàng Văn A"}
    data["token"] = _form_token()
    assert client.post(url, data).status_code == 302
    # Someone else saves a new place after that...
    ReportSettings.objects.filter(committee=world["committee"]).update(place="Thổ Bình")

    again = client.post(url, data)  # ...and then the phone re-sends the first form

    assert again.status_code == 302
    assert ReportSettings.objects.get(committee=world["committee"]).place == "Thổ Bình"


@pytest.mark.usefixtures("english")
def test_form_changed_after_sending_is_not_taken_for_a_resend(client, world):
    """Back, change, send again: the page keeps the used token, but the content differs, so the
    change is saved rather than answered with "already done"."""
    client.force_login(world["officer"])
    url = f"{reverse('programs:report-print')}?committee={world['committee'].pk}"
    data = {"place": "Bình An", "signer_name": "Hoàng Văn A", "token": _form_token()}
    client.post(url, data)

    client.post(url, {**data, "place": "Thổ Bình"})

    assert ReportSettings.objects.get(committee=world["committee"]).place == "Thổ Bình"


@pytest.mark.usefixtures("english")
def test_log_changed_after_sending_keeps_what_was_typed(client, world):
    session = factories.world_session(
        world,
        date=PAST_SATURDAY,
    )
    client.force_login(world["secretary"])
    url = reverse("programs:session-log", args=[session.pk])
    data = {
        "version": 1,
        "token": _form_token(),
        "action": "draft",
        "notes": "Làm 40 m kênh",
        "outputs-TOTAL_FORMS": "0",
        "outputs-INITIAL_FORMS": "0",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }
    client.post(url, data)

    # The browser's Back button shows the sent page again, token and version included.
    response = client.post(url, {**data, "notes": "Làm 60 m kênh"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Làm 60 m kênh" in page  # nothing typed is lost
    assert "Someone else saved this log" in page
    session.refresh_from_db()
    assert (session.notes, session.version) == ("Làm 40 m kênh", 2)
    shown = response.context["log_form"]
    assert shown["version"].value() == 2
    assert shown["token"].value() not in ("", data["token"])  # a fresh one for the next save


@pytest.mark.usefixtures("english")
def test_token_used_on_another_session_is_no_resend_there(client, world, planned):
    other = factories.world_session(world, date=SUNDAY)
    client.force_login(world["officer"])
    data = {"reason": "Mưa lũ", "version": 1, "token": _form_token()}
    client.post(reverse("programs:session-cancel", args=[planned.pk]), data)

    response = client.post(reverse("programs:session-cancel", args=[other.pk]), data)

    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.status, other.version) == ("cancelled", 2)
    assert _changes(other, Action.CANCELLED) == 1


def test_token_from_another_session_given_to_a_service_is_refused(world, planned):
    """Without the posted content to compare, the token alone decides; a token used on another
    session is refused with a message rather than answered as done."""
    other = factories.world_session(world, date=SUNDAY)
    token = uuid.uuid4()
    session_services.session_cancel(
        session=planned, user=world["officer"], reason="Mưa", version=1, token=token
    )
    # Outside a request the message comes in the default language: read it in English.
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="already sent once for something else"),
    ):
        session_services.session_cancel(
            session=other, user=world["officer"], reason="Mưa", version=1, token=token
        )
    other.refresh_from_db()
    assert (other.status, other.version) == ("planned", 1)


def test_a_token_claimed_for_one_session_is_done_there_and_refused_for_another(world, planned):
    """``claim_session_form``, which the session, log, news and opinion services call under the
    session's lock: the same session again is "already done", another session a refusal."""
    other = factories.world_session(world, date=SUNDAY)
    token = uuid.uuid4()
    claim_session_form(token, user=world["officer"], session=planned)
    with pytest.raises(FormAlreadyDone):
        claim_session_form(token, user=world["officer"], session=planned)
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="already sent once for something else"),
    ):
        claim_session_form(token, user=world["officer"], session=other)


@live
def test_news_item_saved_three_times_at_once_is_saved_once(live_server, client, world):
    from programs.models import NewsDraft

    session = _held(world, LogStatus.CONFIRMED)
    browser = Browser(live_server, client, world["officer"])
    path = reverse("programs:session-news", args=[session.pk])
    fields = _set(browser.form(path, having="headline"), headline="Tin bài", action="save")

    answers = browser.post_at_once(path, fields)

    _answered_alike(answers)
    draft = NewsDraft.objects.get(session=session)
    assert (draft.headline, draft.version) == ("Tin bài", 1)
    assert FormSubmission.objects.filter(token=_token(fields)).count() == 1
