"""Every "may this user…" question is answered by programs.permissions: named predicates for
views and selectors, the lazy ``may`` object for templates, and the log search's scope."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs import permissions
from programs.context_processors import UserPermissions
from programs.models import Role
from tests import factories
from tests.test_log_form import SESSION_DAY, browser_data

ROOT = Path(__file__).resolve().parent.parent

CAST = ["officer", "viewer", "secretary", "admin"]

# (predicate, who may): the answers the menus, the overview and the views rely on.
EXPECTED = {
    "can_see_dashboard": {"officer", "viewer", "admin"},
    "can_see_compliance": {"officer", "viewer", "admin"},
    "can_see_reviews": {"officer", "viewer", "admin"},
    "can_plan": {"officer", "admin"},
    "can_create_sessions": {"officer", "admin"},
    "is_cell_secretary": {"secretary"},
    "can_see_sessions": {"officer", "viewer", "secretary", "admin"},
    "can_see_reports": {"officer", "viewer", "secretary", "admin"},
    "can_open_admin": {"admin"},
    "is_host": set(),
}


@pytest.mark.parametrize("predicate", sorted(EXPECTED))
def test_predicates_answer_for_the_cast(world, predicate):
    answers = {who for who in CAST if getattr(permissions, predicate)(world[who])}
    assert answers == EXPECTED[predicate]


def test_a_user_without_a_role_may_nothing(world):
    nobody = factories.user("nobody")
    assert not any(getattr(permissions, predicate)(nobody) for predicate in EXPECTED)
    assert not UserPermissions(AnonymousUser()).see_sessions


def test_inactive_staff_may_not_open_the_admin(world):
    world["admin"].is_active = False
    assert not permissions.can_open_admin(world["admin"])


# --- templates ask ``may``, lazily, from the cached scope --------------------------------------


def _role_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "programs_role" in q["sql"]]


@pytest.mark.parametrize("who", CAST)
def test_the_menu_adds_no_query_once_the_scope_is_known(world, who, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = world[who]
    permissions.scope_for(request.user)  # what every view already does
    with django_assert_num_queries(0):
        html = render_to_string("includes/nav.html", request=request)
    assert (reverse("admin:index") in html) == (who == "admin")
    assert (reverse("programs:reviews") in html) == (who != "secretary")


def test_may_computes_nothing_until_asked(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        may = UserPermissions(world["officer"])
    with django_assert_num_queries(0):
        assert not may.open_admin  # a user field: no scope needed
    with django_assert_num_queries(2):  # the officer's roles, then the committee tree
        assert may.see_sessions
    with django_assert_num_queries(0):
        assert may.see_reviews and may.plan and may.see_compliance and may.see_reports


@pytest.mark.parametrize("who", ["officer", "viewer", "secretary"])
@pytest.mark.parametrize("page", ["home", "session-list", "session-calendar"])
def test_each_page_reads_the_roles_once(client, world, who, page):
    client.force_login(world[who])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(f"programs:{page}"))
    assert response.status_code == 200
    assert len(_role_queries(queries)) == 1
    assert "EXISTS" not in " ".join(_role_queries(queries)).upper()


def test_no_template_or_view_tests_a_role_itself():
    """Roles are tested only in programs/permissions.py; templates ask ``may``."""
    role_words = re.compile(r"is_staff|is_superuser|civic_roles|scope_for|Role\.Kind")
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if "admin" in path.relative_to(ROOT / "templates").parts:
            continue  # Django's admin templates ask the admin site, not us
        if role_words.search(path.read_text()):
            offenders.append(path)
    for folder in ("views", "templatetags", "selectors", "reports"):
        for path in (ROOT / "programs" / folder).glob("*.py"):
            if role_words.search(path.read_text()):
                offenders.append(path)
    assert offenders == []


# --- the log form's "find people" ---------------------------------------------------------------


@pytest.fixture
def log_page(client, world):
    session = factories.world_session(world, date=SESSION_DAY)
    client.force_login(world["secretary"])
    url = reverse("programs:session-log", args=[session.pk])
    return client, url, browser_data(client.get(url))


def test_find_people_stays_within_the_sessions_committee(world, log_page):
    client, url, data = log_page
    sibling = factories.member(cell=world["other_cell"], full_name="Đặng Thị Nguyệt")
    cadre = factories.member(cell=None, full_name="Đặng Văn Nguyên")
    stranger_cell = factories.cell(committee=world["outsider_committee"])
    stranger = factories.member(cell=stranger_cell, full_name="Đặng Văn Ngoại")
    data.update(action="find", search="dang")
    response = client.post(url, data)
    found = {m.pk for m in response.context["found"]}
    assert found == {sibling.pk, cadre.pk}
    assert stranger.pk not in found
    assert "Đặng Văn Ngoại" not in response.content.decode()


def test_a_forged_listed_id_lists_nobody_from_another_committee(world, log_page):
    client, url, data = log_page
    stranger = factories.member(
        cell=factories.cell(committee=world["outsider_committee"]), full_name="Đặng Văn Ngoại"
    )
    data.update(action="add_output", listed=[str(stranger.pk)])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Đặng Văn Ngoại" not in response.content.decode()
    data.update(action="draft", **{f"came_{stranger.pk}": "on"})
    client.post(url, data)
    assert not stranger.attendances.exists()


def test_members_for_session_log_is_the_committees_cells_and_cell_less_people(world):
    session = factories.session(cell=world["cell"], village=world["village"])
    own = factories.member(cell=world["cell"])
    sibling = factories.member(cell=world["other_cell"])
    cadre = factories.member(cell=None)
    factories.member(cell=world["other_cell"], active=False)
    factories.member(cell=factories.cell(committee=world["outsider_committee"]))
    found = set(permissions.members_for_session_log(session).values_list("pk", flat=True))
    assert found == {own.pk, sibling.pk, cadre.pk}


def test_role_kind_choices_include_every_kind_scope_for_reads():
    assert set(Role.Kind.values) == {"officer", "viewer", "secretary", "host"}
