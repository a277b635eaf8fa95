"""The admin site speaks proper Vietnamese: Django's and django-axes' words come from our
catalogue (programs/admin/vocabulary.py), no English is left on the pages people see, and the
pages wear the app's colours."""

import html
import json
import re
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import reverse

from programs.models import Household, WorkType
from tests.test_admin_scope import two_committees

VI = {"HTTP_ACCEPT_LANGUAGE": "vi"}

# What Django's own Vietnamese catalogue, or no catalogue at all, would show.
FOREIGN = [
    "Tăng/giảm",
    "Thêm vào",
    "Bản ghi nhớ",
    "Thoát",
    "Bởi ",
    "Change",
    "Add ",
    "Delete",
    "History",
    "Save",
    "Show counts",
    "Hide counts",
    "Please correct",
    "Access attempt",
    "Access failure",
    "Access log",
    "Axes",
    "Recent actions",
    "Log out",
    "View site",
    "Welcome",
    "Select ",
    "Toggle",
    "Skip to main content",
    "Filter",
    "Search",
    "Run the selected action",
    "Model name",
    "Breadcrumbs",
]


def _visible_texts(content: str) -> list[str]:
    """Text nodes and the attributes a person sees or hears (titles, alt, labels, buttons)."""
    content = re.sub(r"(?s)<script.*?</script>|<style.*?</style>|<!--.*?-->", "", content)
    texts = [html.unescape(t).strip() for t in re.findall(r">([^<>]+)<", content)]
    texts += [
        html.unescape(t)
        for t in re.findall(r'\s(?:title|alt|aria-label|placeholder)="([^"]*)"', content)
    ]
    texts += [
        html.unescape(t)
        for t in re.findall(r'<input type="(?:submit|button)"[^>]*\svalue="([^"]*)"', content)
    ]
    return [t for t in texts if t]


def _english_on(content: str, allowed: set[str]) -> list[str]:
    found = []
    for text in _visible_texts(content):
        if text in allowed:
            continue
        # Plain ASCII with words in it is English (Vietnamese words carry diacritics).
        ascii_words = text.isascii() and re.search(r"[A-Za-z]{3,}\s+[A-Za-z]{3,}", text)
        if ascii_words or any(phrase in text for phrase in FOREIGN):
            found.append(text)
    return found


@pytest.fixture
def two(world):
    return two_committees(world)


@pytest.fixture
def records(two):
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        fields = {"username": "officer", "ip_address": "10.0.0.1", "user_agent": "Firefox"}
        if model is AccessAttempt:
            fields |= {"get_data": "", "post_data": "", "failures_since_start": 2}
        model.objects.create(path_info="/accounts/login/", **fields)
    return two


def _pages(two):
    """Every kind of admin page, for every model registered."""
    urls = [reverse("admin:index"), reverse("admin:app_list", args=["programs"])]
    request = RequestFactory().get("/")
    request.user = two["admin"]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_changelist") + "?_facets=1"]
        # Records nobody adds by hand (login records, notifications) have no add page.
        if model not in (AccessAttempt, AccessLog, AccessFailureLog) and (
            model_admin.has_add_permission(request)
        ):
            urls.append(reverse(f"{prefix}_add"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None and model._meta.app_label != "auth":
            urls += [reverse(f"{prefix}_{view}", args=[obj.pk]) for view in ("change", "history")]
            if model not in (WorkType,):
                urls.append(reverse(f"{prefix}_delete", args=[obj.pk]))
    return urls


def _data(two):
    """English that is data, not interface: the work types' English names, user names."""
    allowed = set(WorkType.objects.values_list("name_en", flat=True))
    allowed |= {"officer", "viewer", "secretary", "secretary2", "admin", "Firefox"}
    return allowed


def test_every_admin_page_is_in_vietnamese(client, records):
    client.force_login(records["admin"])
    allowed = _data(records)
    problems = {}
    for url in _pages(records):
        response = client.get(url, **VI)
        assert response.status_code == 200, url
        english = _english_on(response.content.decode(), allowed)
        if english:
            problems[url] = english
    assert not problems


def test_the_officers_admin_pages_are_in_vietnamese(client, two):
    client.force_login(two["officer"])
    allowed = _data(two)
    village = two["a"]["village"]
    for url in [
        reverse("admin:index"),
        reverse("admin:programs_village_changelist") + "?_facets=1",
        reverse("admin:programs_village_change", args=[village.pk]),
        reverse("admin:programs_commune_change", args=[two["commune"].pk]),
        reverse("admin:programs_laboursession_changelist"),
        reverse("admin:programs_laboursession_change", args=[two["a"]["session"].pk]),
        reverse("admin:programs_member_add"),
    ]:
        response = client.get(url, **VI)
        assert response.status_code == 200, url
        assert _english_on(response.content.decode(), allowed) == [], url


def test_index_uses_the_apps_words(client, records):
    client.force_login(records["admin"])
    page = client.get(reverse("admin:index"), **VI).content.decode()
    for phrase in [
        "Sửa",
        "Thêm",
        "Đăng xuất",
        "Về trang ứng dụng",
        "Thao tác gần đây",
        "Thôn",
        "Buổi lao động",
        "Nhật ký đăng nhập",
        "Lượt đăng nhập sai",
        "Lần đăng nhập sai",
        "Lần đăng nhập",
    ]:
        assert phrase in page, phrase


def test_add_page_says_them_and_the_model(client, two):
    client.force_login(two["admin"])
    page = client.get(reverse("admin:programs_village_add"), **VI).content.decode()
    assert "Thêm thôn" in page
    assert "Thêm vào" not in page
    assert "Lưu và thêm mới" in page


def test_form_errors_and_filters_are_in_vietnamese(client, two):
    client.force_login(two["admin"])
    response = client.post(
        reverse("admin:programs_village_add"),
        {"name": "", "names-TOTAL_FORMS": "0", "names-INITIAL_FORMS": "0"},
        **VI,
    )
    page = response.content.decode()
    assert "Vui lòng sửa các lỗi dưới đây." in page
    assert "Please correct" not in page
    page = client.get(reverse("admin:programs_household_changelist"), **VI).content.decode()
    assert "Hiện số lượng" in page
    assert " Theo " in page
    page = client.get(
        reverse("admin:programs_household_changelist") + "?_facets=1", **VI
    ).content.decode()
    assert "Ẩn số lượng" in page


def test_delete_confirmation_is_in_vietnamese(client, two):
    client.force_login(two["admin"])
    household = Household.objects.create(village=two["a"]["village"], head_name="Hộ Xóa")
    response = client.post(
        reverse("admin:programs_household_changelist"),
        {"action": "delete_selected", "_selected_action": [household.pk]},
        **VI,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Đồng ý xóa" in page and "Không, quay lại" in page
    assert _english_on(page, _data(two)) == []


def test_admin_wears_the_apps_colours(client, two):
    client.force_login(two["admin"])
    page = client.get(reverse("admin:programs_village_changelist"), **VI).content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/css/admin\.css', page)
    assert "style=" not in re.sub(r"(?s)<script.*?</script>", "", page).split("<body")[0]
    css = Path(finders.find("css/admin.css")).read_text(encoding="utf-8")
    for variable in ("--primary: #9b1c1c", "--header-bg: #9b1c1c", "--accent: #ffd84d"):
        assert variable in css


def test_admin_javascript_words_are_in_vietnamese(client, two):
    """The calendar and the collapsible sections read their words from the JavaScript
    catalogue, which locale/vi/LC_MESSAGES/djangojs.po overrides."""
    client.force_login(two["admin"])
    page = client.get(reverse("admin:jsi18n"), **VI).content.decode()
    # The catalogue is a JSON object inside the script.
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", page, re.S).group(1))
    words = json.dumps(catalogue, ensure_ascii=False)
    assert catalogue["Hide"] == "Ẩn"
    assert catalogue["Sunday"] == "Chủ nhật"
    assert catalogue["abbrev. day Saturday\x04Sat"] == "T7"
    assert catalogue["Choose a Date"] == "Chọn ngày"
    assert "Dấu đi" not in words
