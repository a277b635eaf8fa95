"""The hostile-values sweep: every URL of the application, as every user of the cast, with each
query parameter and each form field set in turn to values nobody expects (empty, huge, not a
number, impossible dates, markup, SQL, NUL, a 10,000-character string, decomposed Vietnamese,
a repeated parameter). Whatever the answer — a page with a message, 400, 403, 404, a redirect —
it is never a server error.

URLs are read from the URL configuration, so a new page is swept without editing this file
(its parameters then want a line in ``QUERY``). The values are shared out deterministically
between the users (``SHARE``) so that the sweep stays well under a minute; the forms get every
value on every field, except the large log form, which gets a rotation.
"""

import datetime
import re
import unicodedata
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template import Template
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from programs.models import LabourSession, Photo, WorkOutput, WorkType
from programs.planning import Month
from tests import factories
from tests.http import consume

HOSTILE = [
    "",
    "0",
    "-1",
    "99999999999999999999",
    "1e309",
    "NaN",
    "2027-02-30",
    "0001-01-01",
    "9999-12-31",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\x00",  # what %00 in a query string decodes to
    "9" * 10_000,
    unicodedata.normalize("NFD", "Nà Coóc"),
    ["1", "2"],  # a=1&a=2
]
# The int converter lets only digits through; these are the odd ids it does let through. They
# take turns: on each address every user tries one of them, the next user the other.
HOSTILE_IDS = ["0", "999999999999999999999"]
CAST = ["anonymous", "officer", "viewer", "secretary", "secretary2", "admin"]
# The values are shared out in consecutive runs: per parameter, each signed-in user tries a run
# of them, and between them they try all of them (4 + 3 + 3 + 3 + 2 = 15). Anonymous users are
# sent to the login page before any parameter is read, so they try a short run only.
SHARE = {
    "officer": (0, 4),
    "secretary": (4, 3),
    "admin": (7, 3),
    "viewer": (10, 3),
    "secretary2": (13, 2),
    "anonymous": (0, 2),
}
ALL_AT_ONCE = 2  # values per user for "every parameter at once"


def _spread(index: int, start: int, count: int) -> list:
    """``count`` consecutive hostile values from ``start``, shifted by ``index`` (the position
    of the parameter or field), so a value does not always meet the same user or button."""
    return [HOSTILE[(index + start + k) % len(HOSTILE)] for k in range(count)]


REPORT = ["committee", "cell", "commune", "village", "directive", "period", "month", "year"]
# Per URL name: the query strings to start from (valid values, so a hostile value replaces a
# good one and reaches the code behind it) and the parameters to replace, one at a time.
# ``{cell}`` and friends are filled with the cast's ids.
QUERY = {
    "session-list": [({}, ["month", "committee", "cell", "village", "status", "page"])],
    "session-calendar": [({}, ["month"])],
    "calendar-feed": [({}, ["token"])],
    "session-create": [({}, ["cell", "directive", "village", "date", "start_time"])],
    "session-plan": [
        (
            {
                "committee": "{committee}",
                "directive": "{directive}",
                "month": "{next_month}",
                "preferred_week": "1",
                "start_time": "07:30",
            },
            [
                "committee",
                "directive",
                "month",
                "preferred_week",
                "start_time",
                "planned_work",
                "date_{cell}",
                "work_{cell}",
            ],
        )
    ],
    "session-photo": [({}, ["size"])],
    "reviews": [({}, ["page"])],
    "opinion-list": [({}, ["status", "field", "village", "page"])],
    "compliance": [({"committee": "{committee}"}, ["committee", "from", "to", "page"])],
    # The four report addresses read the same parameters with the same code: the page gets
    # each of them; the print view, the CSV and the workbook their own (format, list) and the
    # period, which they turn into a document, a 400 or a file.
    "reports": [
        ({"committee": "{committee}"}, [*REPORT, "format"]),
        ({"period": "custom", "from": "2026-01-01", "to": "2026-03-31"}, ["from", "to"]),
    ],
    "report-print": [({"committee": "{committee}"}, ["format", "period", "month", "year"])],
    "report-raw-csv": [({"committee": "{committee}"}, ["list", "period", "month", "cell"])],
    "issued-reports": [({}, ["page"])],
    "report-raw-xlsx": [({"period": "custom", "from": "2026-01-01", "to": "2026-03-31"}, ["to"])],
    "session-news": [
        ({"sessions": "{confirmed}", "language": "vi"}, ["sessions", "photos", "language"]),
        ({}, ["format"]),
    ],
    "cell-detail": [({}, ["page"])],
    "village-detail": [({}, ["page"])],
}


@pytest.fixture
def cast(world):
    """The world, with a session in every state the pages branch on: planned (in the future),
    held with a submitted log, a photo and an output, and held with a confirmed log."""
    common = {"cell": world["cell"], "village": world["village"], "directive": world["directive"]}
    planned = factories.session(date=datetime.date(2027, 2, 13), **common)
    submitted = factories.session(status="held", log_status="submitted", **common)
    confirmed = factories.session(
        date=datetime.date(2026, 3, 14),
        status="held",
        log_status="confirmed",
        log_confirmed_at=datetime.datetime(2026, 3, 15, tzinfo=datetime.UTC),
        **common,
    )
    photo = Photo(session=submitted, caption="Ảnh")
    photo.image.save("p.jpg", ContentFile(factories.jpeg(colour="red")), save=False)
    photo.save()
    work_type = WorkType.objects.first() or factories.work_type()
    WorkOutput.objects.create(session=submitted, work_type=work_type, quantity=40, unit="m")
    factories.member(cell=world["cell"], full_name="Hoàng Văn Thắng")
    opinion = factories.opinion(confirmed, text="Đề nghị sửa đường")
    return {
        **world,
        "sessions": [planned, submitted, confirmed],
        "planned": planned,
        "submitted": submitted,
        "confirmed": confirmed,
        "photo": photo,
        "opinion": opinion,
    }


@pytest.fixture
def fast_client(client, monkeypatch):
    """The test client, without the copy of every template context it keeps for assertions
    (the sweep reads status codes only): the log page renders some hundred templates, and
    copying their contexts took most of the sweep's time."""
    monkeypatch.setattr(Template, "_render", lambda self, context: self.nodelist.render(context))
    return client


def _ids(cast) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "committee": str(cast["committee"].pk),
        "directive": str(cast["directive"].pk),
        "cell": str(cast["cell"].pk),
        "confirmed": str(cast["confirmed"].pk),
        "next_month": str(Month.of(today).next()),
    }


# --- Reading the URL configuration ----------------------------------------------------------


def _routes():
    """(route, url name) of every page outside the admin site, e.g. ("sessions/<int:pk>/",
    "session-detail")."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route.startswith(settings.ADMIN_URL):
                    continue
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route, pattern.name

    return list(walk(get_resolver().url_patterns, ""))


_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _real_ids(route: str, cast) -> list[dict[str, str]]:
    if route.startswith("sessions/") and "<int:photo_id>" in route:
        return [{"pk": str(cast["submitted"].pk), "photo_id": str(cast["photo"].pk)}]
    if route.startswith("sessions/"):
        return [{"pk": str(s.pk)} for s in cast["sessions"]]
    if route.startswith("share/"):
        # No card is published in the sweep: every address is a 404, never an error.
        return [{"token": "x" * 32, "number": "1"}, {"token": "x" * 65, "number": "0"}]
    if route.startswith("opinions/"):
        return [{"pk": str(cast["opinion"].pk)}]
    if route.startswith("cells/"):
        return [{"pk": str(cast["cell"].pk)}, {"pk": str(cast["other_cell"].pk)}]
    if route.startswith("villages/"):
        return [{"pk": str(cast["village"].pk)}, {"pk": str(cast["other_village"].pk)}]
    if route.startswith("accounts/password/reset/<"):
        # A reset link for user 1 with a token that is not one, and the form it leads to.
        return [{"uidb64": "MQ", "token": "abc-123"}, {"uidb64": "MQ", "token": "set-password"}]
    if route.startswith("notifications/unsubscribe/"):
        return [{"token": "WyJtIiwxLCJ4IiwieSJd:1abc:forged"}]
    if route.startswith("notifications/rules/"):
        return [{"committee": str(cast["committee"].pk)}]
    if route.startswith("reports/issued/"):
        committee = str(cast["committee"].pk)
        return [{"committee": committee, "pk": "1"}, {"committee": committee, "pk": "0"}]
    return [{}]


def _urls(route: str, cast, hostile_ids: list[str]) -> list[str]:
    """The route with the cast's real ids, then with ``hostile_ids`` (as the converter
    allows)."""
    names = _CONVERTER.findall(route)
    if not names:
        return ["/" + route]
    if any(kind == "path" for kind, _ in names):
        return []  # the media view: swept by its own test below
    fillings = _real_ids(route, cast)
    for hostile in hostile_ids:
        fillings.append({name: hostile for _, name in names})
    return [
        "/" + _CONVERTER.sub(lambda m, values=values: values[m.group(2)], route)
        for values in fillings
    ]


def _query_specs(name, ids):
    for baseline, params in QUERY.get(name, []):
        yield (
            {key: value.format(**ids) for key, value in baseline.items()},
            [param.format(**ids) for param in params],
        )


# --- Sending -----------------------------------------------------------------------------------


class Sweep:
    """Sends requests, never raising: a 500 is noted with what was sent and why it failed."""

    def __init__(self, client):
        self.client = client
        client.raise_request_exception = False
        self.failures: list[str] = []
        self.count = 0

    def send(self, method: str, url: str, data=None, *, rollback=False):
        self.count += 1
        if rollback:
            # A POST that succeeds would change the state the next one starts from.
            with transaction.atomic():
                response = getattr(self.client, method)(url, data or {})
                transaction.set_rollback(True)
        else:
            response = getattr(self.client, method)(url, data or {})
        consume(response)
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            reason = repr(error[1])[:300] if error else ""
            shown = {
                k: (v[:40] + "…" if isinstance(v, str) and len(v) > 40 else v)
                for k, v in (data or {}).items()
            }
            self.failures.append(
                f"{method.upper()} {url} {shown} → {response.status_code} {reason}"
            )
        return response

    def check(self):
        assert not self.failures, f"{len(self.failures)} server errors:\n" + "\n".join(
            self.failures[:40]
        )


def _login(client, cast, who):
    client.logout()
    if who != "anonymous":
        client.force_login(cast[who])


# --- GET: every page, every parameter ---------------------------------------------------------


@pytest.mark.parametrize("who", CAST)
def test_no_page_gives_a_server_error_for_any_query_value(fast_client, cast, who):
    _login(fast_client, cast, who)
    sweep = Sweep(fast_client)
    ids = _ids(cast)
    every_param = sorted(
        {name.format(**ids) for specs in QUERY.values() for _, names in specs for name in names}
    )
    routes = _routes()
    assert len(routes) > 20  # the configuration was read
    start, count = SHARE[who]
    turn = CAST.index(who)
    index = 0
    for number, (route, name) in enumerate(routes):
        if name in ("logout", "set_language"):
            continue  # POST only: swept below
        urls = _urls(route, cast, [HOSTILE_IDS[(number + turn) % len(HOSTILE_IDS)]])
        for url in urls:
            sweep.send("get", url)
        if not urls:
            continue
        url = urls[0]
        # Every known parameter at once, in case a page reads one nobody listed for it.
        index += 1
        for value in _spread(index, start, ALL_AT_ONCE):
            sweep.send("get", url, dict.fromkeys(every_param, value))
        for baseline, params in _query_specs(name, ids):
            for param in params:
                index += 1
                for value in _spread(index, start, count):
                    sweep.send("get", url, {**baseline, param: value})
    sweep.check()


# --- POST: every form, every field ------------------------------------------------------------


class PostForms(HTMLParser):
    """The POST forms of a page as a browser would send them: per form, its action, every
    named input, select and textarea with its current value (ticked boxes only), and the names
    of the boxes left unticked."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict, list]] = []
        self._fields = None
        self._unticked: list[str] = []
        self._select = None
        self._options: list[tuple[str, bool]] = []
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._fields, self._unticked = {}, []
            self.forms.append((attrs.get("action") or "", self._fields, self._unticked))
            return
        if self._fields is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" not in attrs:
                    self._unticked.append(name)
                    return
                self._fields.setdefault(name, attrs.get("value", "on"))
            else:
                self._fields.setdefault(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea = name
            self._fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select" and self._select and self._fields is not None:
            chosen = [value for value, selected in self._options if selected]
            first_real = next((value for value, _ in self._options if value), "")
            self._fields[self._select] = chosen[0] if chosen else first_real
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._fields is not None:
            self._fields[self._textarea] += data


def _page_form(client, url) -> tuple[dict, list[str]]:
    """What the page's own form (the one posting back to the page) sends, and the names of
    its boxes left unticked."""
    response = client.get(url)
    consume(response)
    reader = PostForms()
    reader.feed(response.content.decode())
    path = url.split("?")[0]
    for action, fields, unticked in reader.forms:
        if re.split(r"[?#]", action)[0] in ("", path):
            return dict(fields), unticked
    raise AssertionError(f"no form posting back to {url}")


# Fields a page shows only in some states, or that a forged form may add.
EXTRA_FIELDS = ["token", "version", "confirm_holiday"]
# Not read by the application (Django ignores them, or the test client skips the check).
IGNORED = re.compile(r"^csrfmiddlewaretoken$|-(MIN|MAX)_NUM_FORMS$")


# The blank row of a formset, in a <template> for the script to copy: a browser never sends
# it (a template's content is not part of the form) and the formset never reads it (it reads
# rows 0 to TOTAL_FORMS - 1). Its fields are tried together, one request per value, instead
# of one field at a time: they reach no code but the request's parsing either way.
BLANK_ROW = re.compile(r"-__prefix__-")


def _fields_to_try(data: dict, unticked: list[str], extra=()) -> list[str]:
    names = {*data, *unticked, *EXTRA_FIELDS, *extra}
    # One row of a formset stands for the others: their fields are the same.
    return sorted(
        name for name in names if not IGNORED.search(name) and not re.search(r"-[1-9]\d*-", name)
    )


def _post_sweep(client, cast, who, url, *, start=0, count=None, base=None, fill=None, extra=None):
    """POST the page's form as a browser would (with ``fill`` typed in, so that it is valid),
    then with each field in turn set to a run of hostile values (``_spread``), then with every
    field set to one value at once. ``extra`` fields (the button pressed) stay as they are."""
    count = len(HOSTILE) if count is None else count
    _login(client, cast, who)
    sweep = Sweep(client)
    data, unticked = _page_form(client, url) if base is None else (dict(base), [])
    data.update(fill or {})
    data.update(extra or {})
    sweep.send("post", url, data, rollback=True)
    names = _fields_to_try(data, unticked, extra=[] if base is None else list(base))
    blank_row = [name for name in names if BLANK_ROW.search(name)]
    for index, name in enumerate(names):
        if name in (extra or {}) or name in blank_row:
            continue  # the button pressed: kept; the blank row: below
        for value in _spread(index, start, count):
            sweep.send("post", url, {**data, name: value}, rollback=True)
    for value in _spread(0, start, count) if blank_row else []:
        sweep.send("post", url, {**data, **dict.fromkeys(blank_row, value)}, rollback=True)
    for value in _spread(0, start, min(count, 3)):
        everything = dict.fromkeys(names, value) | (extra or {})
        sweep.send("post", url, everything, rollback=True)
    return sweep


def _session_url(cast, which, action=""):
    pk = cast[which].pk
    return f"/sessions/{pk}/{action + '/' if action else ''}"


# (user, session, page, first value, how many): two pages sharing a form share the values out.
SESSION_FORMS = [
    ("officer", None, "/sessions/new/", 0, 8),
    ("officer", "planned", "edit", 8, 7),
    ("officer", "planned", "postpone", 0, 15),
    ("officer", "planned", "cancel", 0, 5),
    ("officer", "submitted", "confirm", 0, 15),
    ("officer", "submitted", "return", 0, 8),
    ("officer", "confirmed", "reopen", 8, 7),
]


@pytest.mark.parametrize(("who", "which", "page", "start", "count"), SESSION_FORMS)
def test_no_session_form_gives_a_server_error_for_any_field_value(
    fast_client, cast, who, which, page, start, count
):
    url = page if which is None else _session_url(cast, which, page)
    base = None
    if page == "confirm":
        # The confirm button sits on the session's page, which has several forms.
        base = {"version": str(cast[which].version)}
    elif which is None:
        # A blank new-session form stops at its empty choices: start from a valid one, so each
        # hostile value reaches the checks behind the field it is in.
        base = {
            "cell": str(cast["cell"].pk),
            "directive": str(cast["directive"].pk),
            "village": str(cast["village"].pk),
            "date": "2027-02-20",
            "start_time": "07:30",
            "partner": "Chi bộ thôn",
            "planned_work": "Lắp kênh mương",
            "other_village_reason": "",
            "notes": "",
        }
    # What a person types, so the form is valid and each hostile value reaches the service.
    fill = None
    if base is None:
        fill = {"reason": "Mưa lớn, đường trơn"}
        if page == "postpone":
            fill["new_date"] = "2027-02-27"
    sweep = _post_sweep(fast_client, cast, who, url, start=start, count=count, base=base, fill=fill)
    sweep.check()


# The log's buttons share its forty-odd fields: the values are shared out between them, each
# value once per field (4 + 4 + 3 + 2 + 1 + 1 = 15).
LOG_ACTIONS = {"draft": (0, 4), "submit": (4, 4), "find": (8, 3), "add_output": (11, 2)}
LOG_ACTIONS["add_photo"] = (13, 1)
LOG_ACTIONS["add_opinion"] = (14, 1)


@pytest.mark.parametrize("action", LOG_ACTIONS)
def test_no_log_post_gives_a_server_error_for_any_field_value(fast_client, cast, action):
    start, count = LOG_ACTIONS[action]
    sweep = _post_sweep(
        fast_client,
        cast,
        "secretary",
        _session_url(cast, "submitted", "log"),
        start=start,
        count=count,
        extra={"action": action},
    )
    sweep.check()


def test_no_opinion_follow_up_post_gives_a_server_error_for_any_field_value(fast_client, cast):
    url = f"/opinions/{cast['opinion'].pk}/"
    fill = {"status": "resolved", "resolver": "UBND xã", "resolved_on": "2026-04-01"}
    sweep = _post_sweep(fast_client, cast, "officer", url, count=8, fill=fill)
    sweep.check()


def test_no_planner_post_gives_a_server_error_for_any_field_value(fast_client, cast):
    ids = _ids(cast)
    base = {
        "committee": ids["committee"],
        "directive": ids["directive"],
        "month": ids["next_month"],
        "preferred_week": "1",
        "start_time": "07:30",
        "planned_work": "Làm đường",
        f"date_{ids['cell']}": "",
        f"work_{ids['cell']}": "",
    }
    sweep = _post_sweep(fast_client, cast, "officer", "/sessions/plan/", base=base)
    sweep.check()


def test_no_report_settings_post_gives_a_server_error_for_any_field_value(fast_client, cast):
    url = f"/reports/print/?committee={cast['committee'].pk}&period=quarter&month=2026-02"
    sweep = _post_sweep(fast_client, cast, "officer", url, count=6)
    sweep.check()


@pytest.mark.parametrize("who", ["anonymous", "viewer", "secretary2"])
def test_forms_posted_by_those_who_may_not_give_no_server_error(fast_client, cast, who):
    _login(fast_client, cast, who)
    sweep = Sweep(fast_client)
    start, count = SHARE[who]
    urls = ["/sessions/new/", "/sessions/plan/", "/calendar/feed/reset/", "/reports/print/"]
    urls.append(f"/opinions/{cast['opinion'].pk}/")
    for which in ("planned", "submitted", "confirmed"):
        for action in ("edit", "postpone", "cancel", "log", "confirm", "return", "reopen"):
            urls.append(_session_url(cast, which, action))
    for index, url in enumerate(urls):
        for value in _spread(index, start, min(count, 2)):
            data = dict.fromkeys(
                ["reason", "version", "token", "date", "new_date", "action"], value
            )
            sweep.send("post", url, data, rollback=True)
    sweep.check()


def test_login_language_and_logout_give_no_server_error(fast_client, cast):
    sweep = Sweep(fast_client)
    for index, value in enumerate(HOSTILE):
        sweep.send(
            "post", "/accounts/login/", {"username": value, "password": value, "next": value}
        )
        sweep.send("get", "/accounts/login/", {"next": value})
        sweep.send("post", "/i18n/setlang/", {"language": value, "next": value})
        if index % 5 == 0:
            fast_client.force_login(cast["officer"])
            sweep.send("post", "/accounts/logout/", {"next": value})
    sweep.check()


def test_odd_media_paths_give_no_server_error(fast_client, cast):
    names = [
        "../../etc/passwd",
        "photos/\x00.jpg",
        "photos/" + "a" * 5000 + ".jpg",
        unicodedata.normalize("NFD", "ảnh/Nà Coóc.jpg"),
        "photos/<script>.jpg",
        cast["photo"].image.name + "/../x",
    ]
    for who in ("anonymous", "officer", "secretary2"):
        _login(fast_client, cast, who)
        sweep = Sweep(fast_client)
        for name in names:
            sweep.send("get", f"{settings.MEDIA_URL}{name}")
        sweep.check()


# --- The admin site: its change lists' parameters (best effort) ------------------------------

ADMIN_PARAMS = ["q", "o", "p", "e", "all", "date__gte", "date__lte", "status", "_popup"]


@pytest.mark.parametrize("who", ["officer", "admin"])
def test_admin_change_lists_give_no_server_error_for_any_query_value(fast_client, cast, who):
    """Best effort while the admin site is being reworked: each change list, then (for the
    superuser, who sees them all) each parameter with one value, a different one each time."""
    from django.contrib import admin

    cast[who].is_staff = True
    cast[who].save(update_fields=["is_staff"])
    _login(fast_client, cast, who)
    sweep = Sweep(fast_client)
    index = 0
    for model in admin.site._registry:
        url = f"/{settings.ADMIN_URL}{model._meta.app_label}/{model._meta.model_name}/"
        sweep.send("get", url)
        if who != "admin":
            continue
        for param in ADMIN_PARAMS:
            index += 1
            sweep.send("get", url, {param: HOSTILE[index % len(HOSTILE)]})
    sweep.check()


# --- What the sweep found: one focused test each ---------------------------------------------


def test_a_feed_token_with_a_nul_byte_is_a_404(client, cast):
    # PostgreSQL refused the query (DataError) and the feed answered 500.
    assert client.get("/calendar.ics", {"token": "abc\x00"}).status_code == 404
    assert client.get("/calendar.ics", {"token": "x" * 65}).status_code == 404


def test_a_planner_work_text_with_a_nul_byte_loses_the_nul(client, cast):
    """The text middleware drops NUL characters from every request (PostgreSQL refuses them):
    the plan is made, with the text as typed around it."""
    ids = _ids(cast)
    client.force_login(cast["officer"])
    data = {
        "committee": ids["committee"],
        "directive": ids["directive"],
        "month": ids["next_month"],
        "preferred_week": "1",
        "start_time": "07:30",
        f"work_{ids['cell']}": "Làm\x00đường",
    }
    response = client.post("/sessions/plan/", data)
    assert response.status_code == 302
    planned = LabourSession.objects.filter(cell=cast["cell"], planned_work="Làmđường")
    assert planned.exists()


def test_a_name_search_with_a_nul_byte_finds_by_the_rest(client, cast):
    client.force_login(cast["secretary"])
    url = _session_url(cast, "submitted", "log")
    data, _unticked = _page_form(client, url)
    other = factories.member(cell=cast["other_cell"], full_name="Ma Thị Hoa")
    response = client.post(url, {**data, "action": "find", "search": "Ma Thị\x00 Hoa"})
    assert response.status_code == 200
    assert [m.pk for m in response.context["found"]] == [other.pk]


@pytest.mark.parametrize("value", ["1e309", "9" * 40, "-1e309", "NaN"])
def test_huge_workdays_are_a_message_not_a_server_error(client, cast, value):
    # Django's step check turned 1e309 into float infinity: "math domain error".
    client.force_login(cast["secretary"])
    member = cast["cell"].members.get()
    url = _session_url(cast, "submitted", "log")
    data, _unticked = _page_form(client, url)
    data.update({"action": "draft", f"came_{member.pk}": "on", f"workdays_{member.pk}": value})
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["attendance_form"].errors[f"workdays_{member.pk}"]
    assert not cast["submitted"].attendances.exists()
