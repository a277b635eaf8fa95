"""Decomposed (NFD) Vietnamese, as some phone keyboards send it, is stored composed (NFC).

``programs.middleware.NormalizeTextMiddleware`` normalises request data once, for every form of
the site and the admin; these tests send NFD through real forms and read the stored rows.
"""

import unicodedata
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from programs.middleware import NormalizeTextMiddleware
from programs.models import Household, LabourSession
from programs.text import nfc
from tests import factories
from tests.test_log_form import SESSION_DAY, browser_data

SUNDAY = "2031-03-09"


def nfd(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text  # the test really sends something to normalise
    return decomposed


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


class HiddenInputs(HTMLParser):
    """The hidden inputs (CSRF token, one-time token, version…) of a page's POST forms, except
    the sign-out form."""

    def __init__(self):
        super().__init__()
        self.data, self._in_form = {}, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method") == "post":
            self._in_form = "logout" not in (attrs.get("action") or "")
        elif tag == "input" and self._in_form and attrs.get("type") == "hidden":
            self.data.setdefault(attrs.get("name"), attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False


def hidden_inputs(response) -> dict:
    reader = HiddenInputs()
    reader.feed(response.content.decode())
    return reader.data


def test_nfc_composes_and_leaves_ascii_alone():
    assert nfc(nfd("Đặng Thị Nguyệt")) == "Đặng Thị Nguyệt"
    assert nfc("Phieng Luong") == "Phieng Luong"
    assert nfc("") == ""


def test_session_form_stores_partner_and_work_as_nfc(world):
    client = Client(enforce_csrf_checks=True)  # the CSRF check still reads the token
    client.force_login(world["officer"])
    url = reverse("programs:session-create")
    data = hidden_inputs(client.get(url))
    assert "csrfmiddlewaretoken" in data
    data.update(
        {
            "cell": world["cell"].pk,
            "directive": world["directive"].pk,
            "village": world["village"].pk,
            "date": SUNDAY,
            "start_time": "07:30",
            "partner": nfd("Chi bộ thôn Phiêng Luông"),
            "planned_work": nfd("Lắp đặt kênh mương bê tông"),
            "other_village_reason": "",
            "notes": "",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    session = LabourSession.objects.get()
    assert session.partner == "Chi bộ thôn Phiêng Luông"
    assert session.planned_work == "Lắp đặt kênh mương bê tông"
    assert is_nfc(session.partner) and is_nfc(session.planned_work)


def test_log_notes_are_stored_nfc(client, world):
    session = factories.world_session(world, date=SESSION_DAY)
    client.force_login(world["secretary"])
    url = reverse("programs:session-log", args=[session.pk])
    data = browser_data(client.get(url))
    data.update(action="draft", notes=nfd("Bà con đề nghị làm tiếp đoạn kênh còn lại."))
    assert client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert session.notes == "Bà con đề nghị làm tiếp đoạn kênh còn lại."
    assert is_nfc(session.notes)


def test_admin_add_stores_nfc(client, world):
    client.force_login(world["admin"])
    url = reverse("admin:programs_household_add")
    data = hidden_inputs(client.get(url))
    data.update(
        {
            "village": world["village"].pk,
            "head_name": nfd("Quan Văn Thính"),
            "status": Household.Status.POOR,
            "note": nfd("Hỗ trợ làm nền nhà"),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    household = Household.objects.get()
    assert (household.head_name, household.note) == ("Quan Văn Thính", "Hỗ trợ làm nền nhà")
    assert is_nfc(household.search_name)


def test_nfd_admin_search_finds_nfc_text(client, world):
    # The note is searched as typed (no folded copy): an NFD term found nothing before.
    found = factories.household(village=world["village"], note="Hỗ trợ làm nền nhà")
    factories.household(village=world["village"], note="Tặng quà")
    client.force_login(world["admin"])
    response = client.get(reverse("admin:programs_household_changelist"), {"q": nfd("nền nhà")})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [found]


def test_nfd_name_in_the_log_search_finds_the_nfc_member(client, world):
    """The log form's "find people" with an NFD name finds the NFC one."""
    session = factories.world_session(world, date=SESSION_DAY)
    other = factories.member(cell=world["other_cell"], full_name="Đặng Thị Nguyệt")
    client.force_login(world["secretary"])
    url = reverse("programs:session-log", args=[session.pk])
    data = browser_data(client.get(url))
    data.update(action="find", search=nfd("Nguyệt"))
    response = client.post(url, data)
    assert [m.pk for m in response.context["found"]] == [other.pk]
    assert response.context["request"].POST["search"] == "Nguyệt"


@pytest.fixture
def seen():
    """The request as the view behind the middleware sees it."""
    requests = []

    def view(request):
        requests.append(request)
        return HttpResponse("ok")

    return NormalizeTextMiddleware(view), requests


def test_middleware_normalises_keys_and_values_of_get_and_post(seen):
    middleware, requests = seen
    factory = RequestFactory()
    middleware(factory.get("/", {nfd("tên"): nfd("Nà Coóc")}))
    middleware(factory.post("/", {"q": [nfd("Ấp Mới"), "plain"]}))
    get, post = requests
    assert dict(get.GET) == {"tên": ["Nà Coóc"]}
    assert post.POST.getlist("q") == ["Ấp Mới", "plain"]
    assert not post.POST._mutable  # as immutable as Django's own


def test_middleware_leaves_uploads_alone(seen):
    middleware, requests = seen
    content = nfd("Chẩu Quân").encode()
    upload = SimpleUploadedFile(nfd("ảnh.txt"), content, content_type="text/plain")
    middleware(RequestFactory().post("/", {"caption": nfd("Chẩu Quân"), "file": upload}))
    (request,) = requests
    assert request.POST["caption"] == "Chẩu Quân"
    assert request.FILES["file"].read() == content


def test_middleware_keeps_the_same_data_when_nothing_changes(seen):
    middleware, requests = seen
    original = RequestFactory().post("/", {"name": "Nà Coóc", "id": "12"})
    posted = original.POST
    middleware(original)
    assert requests[0].POST is posted


def test_a_broken_multipart_body_is_a_400_not_a_500(client, world):
    client.force_login(world["officer"])
    client.raise_request_exception = False
    response = client.generic(
        "POST",
        reverse("programs:session-create"),
        b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end',
        content_type="multipart/form-data; boundary=",
    )
    assert response.status_code == 400


def test_middleware_drops_nul_characters(seen):
    """No text holds a NUL, and PostgreSQL refuses one in a query (an admin autocomplete term
    with %00 was a 500 there)."""
    middleware, requests = seen
    middleware(RequestFactory().get("/", {"term": "Nà\x00 Coóc"}))
    middleware(RequestFactory().post("/", {"name": "a\x00b"}))
    get, post = requests
    assert get.GET["term"] == "Nà Coóc"
    assert post.POST["name"] == "ab"


def test_admin_autocomplete_with_a_nul_is_answered(client, world):
    client.force_login(world["admin"])
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "programs",
            "model_name": "laboursession",
            "field_name": "village",
            "term": "a\x00",
        },
    )
    assert response.status_code == 200


def test_a_declared_charset_does_not_change_how_the_query_is_read(client, world):
    """A client may declare another charset (UTF-7 turns "+2D0-" into half a character, which
    the page could not write back); the query is read as UTF-8 like every page."""
    client.force_login(world["officer"])
    client.raise_request_exception = False
    response = client.get(
        reverse("programs:session-create") + "?planned_work=%2B2D0-",
        CONTENT_TYPE="text/plain; charset=utf-7",
    )
    assert response.status_code == 200


def test_the_content_type_is_read_whatever_its_letter_case(client, world):
    client.force_login(world["officer"])
    session = factories.world_session(world)
    url = reverse("programs:session-edit", args=[session.pk])
    body = (
        f"cell={world['cell'].pk}&directive={world['directive'].pk}"
        f"&village={world['village'].pk}&date={session.date.isoformat()}&start_time=07:30"
        f"&version=1&planned_work={nfd('Lắp kênh mương')}"
    ).encode()
    response = client.generic("POST", url, body, content_type="Application/X-WWW-Form-Urlencoded")
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.planned_work == "Lắp kênh mương" and is_nfc(session.planned_work)
