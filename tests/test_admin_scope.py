"""The admin site keeps the pages' scope: an officer of one committee finds nothing of another
committee there (404 pages, change lists, list filters, autocomplete, "delete selected"), may
only look at reference data, and changes only what they manage.

The officer here holds *every* model permission of the app, so the scope alone is tested."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from programs.admin.base import ScopedAdmin, ScopedInline
from programs.models import (
    Assignment,
    Attendance,
    Commune,
    Directive,
    District,
    Household,
    LabourSession,
    Member,
    PartyCell,
    PartyCommittee,
    Province,
    Role,
    Village,
    WorkOutput,
    WorkType,
)
from tests import factories


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _staff_with_every_permission(user):
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["programs", "auth", "axes"])
    )
    return user


@pytest.fixture
def two(world):
    return two_committees(world)


def two_committees(world):
    """Committee A (the world's, with a committee below it) and committee B (the outsider),
    each with a cell, a village only it uses, a household, a member, an assignment and a
    session with attendance and an output."""
    a, b = world["committee"], world["outsider_committee"]
    a_below = factories.committee(name="Đảng ủy Khối Dưới", parent=a)
    a_below_cell = factories.cell(committee=a_below, name="Chi bộ Khối Dưới")
    b_below = factories.committee(name="Đảng ủy Bên Kia Dưới", parent=b)
    b_province = factories.province(name="Hà Giang Khác")
    b_commune = factories.commune(province=b_province, name="Thượng Lâm Ngoài")
    b_village = factories.village(commune=b_commune, name="Khuổi Khít Ngoài")
    b_cell = factories.cell(committee=b, name="Chi bộ Bên Kia")
    b_directive = world["directive"]
    objects = {
        "a": {
            "committee": a,
            "below": a_below,
            "cell": world["cell"],
            "below_cell": a_below_cell,
            "village": world["village"],
            "household": factories.household(village=world["village"], head_name="Quan Văn A"),
            "member": factories.member(cell=world["cell"], full_name="Ma Văn An"),
            "assignment": Assignment.objects.get(cell=world["cell"]),
            "session": factories.world_session(world),
        },
        "b": {
            "committee": b,
            "below": b_below,
            "cell": b_cell,
            "village": b_village,
            "household": factories.household(village=b_village, head_name="Lý Văn Ngoài"),
            "member": factories.member(cell=b_cell, full_name="Hoàng Thị Ngoài"),
            "assignment": factories.assignment(
                cell=b_cell, village=b_village, directive=b_directive
            ),
            "session": factories.session(
                cell=b_cell,
                village=b_village,
                directive=b_directive,
                partner="Đảng ủy xã Ngoài",
            ),
        },
    }
    for side in ("a", "b"):
        session, member = objects[side]["session"], objects[side]["member"]
        row = Attendance(session=session, member=member)
        row.copy_from_member()
        row.save()
        WorkOutput.objects.create(
            session=session,
            work_type=WorkType.objects.first(),
            quantity=250,
            unit="m",
            household=objects[side]["household"],
        )
    _staff_with_every_permission(world["officer"])
    return {**world, **objects}


# Names of B's rows that must never appear on an officer of A's screen.
B_NAMES = [
    "Đảng ủy xã khác",
    "Đảng ủy Bên Kia Dưới",
    "Chi bộ Bên Kia",
    "Khuổi Khít Ngoài",
    "Lý Văn Ngoài",
    "Hoàng Thị Ngoài",
    "Đảng ủy xã Ngoài",
]

B_OBJECTS = ["committee", "below", "cell", "village", "household", "member", "assignment"]
B_OBJECTS += ["session"]


@pytest.fixture
def officer(client, two):
    client.force_login(two["officer"])
    return client


@pytest.mark.parametrize("key", B_OBJECTS)
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_another_committees_pages_are_404(officer, two, key, view):
    obj = two["b"][key]
    assert officer.get(_url(type(obj), view, obj.pk)).status_code == 404


@pytest.mark.parametrize("key", B_OBJECTS)
def test_another_committees_rows_cannot_be_changed_or_deleted(officer, two, key):
    obj = two["b"][key]
    before = str(obj)
    response = officer.post(_url(type(obj), "change", obj.pk), {"name": "Đổi", "_save": "Lưu"})
    assert response.status_code == 404
    response = officer.post(_url(type(obj), "delete", obj.pk), {"post": "yes"})
    assert response.status_code == 404
    obj.refresh_from_db()
    assert str(obj) == before


def test_missing_object_is_404_not_a_redirect(officer, two):
    assert officer.get(_url(Village, "change", 987654)).status_code == 404
    assert officer.get(_url(Village, "change", "not-a-number")).status_code == 404


def test_the_officers_own_rows_open(officer, two):
    for key in B_OBJECTS:
        obj = two["a"][key]
        response = officer.get(_url(type(obj), "change", obj.pk))
        assert response.status_code == 200, key
        assert response.context["original"] == obj


SCOPED_MODELS = [PartyCommittee, PartyCell, Village, Household, Member, Assignment, LabourSession]


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m._meta.model_name)
def test_change_lists_and_their_filters_show_nothing_of_another_committee(officer, two, model):
    response = officer.get(_url(model, "changelist"))
    assert response.status_code == 200
    rows = set(response.context["cl"].result_list)
    a_rows = {obj for obj in two["a"].values() if isinstance(obj, model)}
    b_rows = {obj for obj in two["b"].values() if isinstance(obj, model)}
    assert a_rows and b_rows
    assert a_rows <= rows
    assert not rows & b_rows
    # Every list filter's choices, and the page as a whole (facet counts included).
    for spec in response.context["cl"].filter_specs:
        for choice in getattr(spec, "lookup_choices", []):
            assert str(choice[-1]) not in B_NAMES, (spec.title, choice)
    response = officer.get(_url(model, "changelist"), {"_facets": "1"})
    html = response.content.decode()
    for name in B_NAMES:
        assert name not in html, name


def test_committee_filter_lists_only_the_officers_committees(officer, two):
    factories.member(cell=two["a"]["below_cell"])
    response = officer.get(_url(Member, "changelist"))
    (spec,) = [s for s in response.context["cl"].filter_specs if s.field_path == "cell__committee"]
    assert {label for _pk, label in spec.lookup_choices} == {
        two["committee"].name,
        two["a"]["below"].name,
    }


def test_filtering_by_another_committee_finds_nothing(officer, two):
    response = officer.get(
        _url(LabourSession, "changelist"), {"cell__committee__id__exact": two["b"]["committee"].pk}
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def _autocomplete(client, model_name, field_name, term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "programs", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200, response.content
    return {int(row["id"]) for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("model_name", "field_name", "key"),
    [
        ("laboursession", "cell", "cell"),
        ("laboursession", "village", "village"),
        ("assignment", "cell", "cell"),
        ("assignment", "village", "village"),
        ("member", "cell", "cell"),
        ("partycell", "committee", "committee"),
        ("partycell", "home_village", "village"),
        ("partycommittee", "parent", "committee"),
        ("household", "village", "village"),
        ("attendance", "member", "member"),
        ("workoutput", "household", "household"),
    ],
)
def test_autocomplete_offers_nothing_of_another_committee(
    officer, two, model_name, field_name, key
):
    found = _autocomplete(officer, model_name, field_name)
    assert two["a"][key].pk in found
    assert two["b"][key].pk not in found
    # A search for the other committee's name finds nothing either.
    assert not _autocomplete(officer, model_name, field_name, str(two["b"][key])[-6:]) & {
        two["b"][key].pk
    }


def test_autocomplete_offers_every_commune_and_directive(officer, two):
    assert two["commune"].pk in _autocomplete(officer, "village", "commune")
    assert two["directive"].pk in _autocomplete(officer, "assignment", "directive")


def test_delete_selected_skips_another_committees_rows(officer, two):
    mine, theirs = two["a"]["household"], two["b"]["household"]
    WorkOutput.objects.filter(household__in=[mine, theirs]).update(household=None)
    response = officer.post(
        _url(Household, "changelist"),
        {"action": "delete_selected", "_selected_action": [mine.pk, theirs.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Household.objects.filter(pk=mine.pk).exists()
    assert Household.objects.filter(pk=theirs.pk).exists()


def test_delete_selected_confirmation_lists_only_the_officers_rows(officer, two):
    mine, theirs = two["a"]["household"], two["b"]["household"]
    response = officer.post(
        _url(Household, "changelist"),
        {"action": "delete_selected", "_selected_action": [mine.pk, theirs.pk]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lý Văn Ngoài" not in html
    assert list(response.context["queryset"]) == [mine]


# --- Geography above the village, roles, reference data and accounts ---------------------


@pytest.mark.parametrize("model", [Province, District, Role], ids=lambda m: m._meta.model_name)
def test_superuser_only_models_are_403_for_officers(officer, two, model):
    obj = {Province: two["province"], District: two["district"]}.get(model) or Role.objects.first()
    before = Role.objects.count(), Province.objects.count(), District.objects.count()
    assert officer.get(_url(model, "changelist")).status_code == 403
    assert officer.get(_url(model, "add")).status_code == 403
    assert officer.post(_url(model, "add"), {"name": "Mới"}).status_code == 403
    assert officer.get(_url(model, "change", obj.pk)).status_code == 403
    assert officer.post(_url(model, "change", obj.pk), {"name": "Đổi"}).status_code == 403
    assert officer.get(_url(model, "delete", obj.pk)).status_code == 403
    assert (Role.objects.count(), Province.objects.count(), District.objects.count()) == before


@pytest.mark.parametrize("model", [Commune, Directive, WorkType], ids=lambda m: m._meta.model_name)
def test_reference_data_is_read_only_for_officers(officer, two, model):
    obj = {Commune: two["commune"], Directive: two["directive"]}.get(model) or (
        WorkType.objects.first()
    )
    before = str(obj)
    response = officer.get(_url(model, "changelist"))
    assert response.status_code == 200
    assert obj in response.context["cl"].result_list
    response = officer.get(_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert officer.post(_url(model, "change", obj.pk), {"name": "Đổi"}).status_code == 403
    assert officer.get(_url(model, "add")).status_code == 403
    assert officer.get(_url(model, "delete", obj.pk)).status_code == 403
    obj.refresh_from_db()
    assert str(obj) == before


def test_commune_page_lists_only_the_officers_villages(officer, two):
    shared = two["commune"]
    outsider = factories.village(commune=shared, name="Bản Ngoài Chung")
    factories.assignment(cell=two["b"]["cell"], village=outsider, directive=factories.directive())
    response = officer.get(_url(Commune, "change", shared.pk))
    html = response.content.decode()
    assert "Phiêng Luông" in html
    assert "Bản Ngoài Chung" not in html


def test_index_lists_only_what_the_officer_may_open(officer, two):
    response = officer.get(reverse("admin:index"))
    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert {"Village", "LabourSession", "Commune", "Directive"} <= models
    assert not models & {"Province", "District", "Role", "User", "Group", "AccessAttempt"}


@pytest.mark.parametrize(
    "path",
    [
        "/admin/auth/user/",
        "/admin/auth/group/",
        "/admin/axes/accessattempt/",
        "/admin/axes/accesslog/",
        "/admin/axes/accessfailurelog/",
    ],
)
def test_accounts_and_login_records_are_for_superusers(officer, client, two, path):
    assert officer.get(path).status_code == 403
    client.force_login(two["admin"])
    assert client.get(path).status_code == 200


# --- What an officer may change -----------------------------------------------------------


def test_officer_renames_a_village_of_their_cells(officer, two):
    village = two["a"]["village"]
    response = officer.post(
        _url(Village, "change", village.pk),
        {
            "commune": village.commune_id,
            "name": "Phiêng Luông Mới",
            "kind": village.kind,
            "active": "on",
            "names-TOTAL_FORMS": "0",
            "names-INITIAL_FORMS": "0",
            "_save": "Lưu",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    village.refresh_from_db()
    assert village.name == "Phiêng Luông Mới"


def test_a_village_the_officer_adds_stays_theirs(officer, two):
    response = officer.post(
        _url(Village, "add"),
        {
            "commune": two["commune"].pk,
            "name": "Nà Khà",
            "kind": Village.Kind.THON,
            "active": "on",
            "names-TOTAL_FORMS": "0",
            "names-INITIAL_FORMS": "0",
            "_continue": "1",
        },
    )
    assert response.status_code == 302
    village = Village.objects.get(name="Nà Khà")
    assert officer.get(response["Location"]).status_code == 200
    assert village in officer.get(_url(Village, "changelist")).context["cl"].result_list
    assert village.pk in _autocomplete(officer, "assignment", "village")


def test_officer_adds_a_member_only_to_their_cells(officer, two):
    data = {"full_name": "Vi Văn Mới", "category": "official", "level": "district", "_save": "1"}
    response = officer.post(_url(Member, "add"), {**data, "cell": two["b"]["cell"].pk})
    assert response.status_code == 200
    assert "cell" in response.context["adminform"].form.errors
    response = officer.post(_url(Member, "add"), data)
    assert "cell" in response.context["adminform"].form.errors
    assert not Member.objects.filter(full_name="Vi Văn Mới").exists()
    response = officer.post(_url(Member, "add"), {**data, "cell": two["cell"].pk})
    assert response.status_code == 302
    assert Member.objects.get(full_name="Vi Văn Mới").cell == two["cell"]


def test_officer_cannot_move_a_cell_to_another_committee(officer, two):
    cell = two["a"]["below_cell"]
    response = officer.post(
        _url(PartyCell, "change", cell.pk),
        {
            "committee": two["b"]["committee"].pk,
            "name": cell.name,
            "kind": cell.kind,
            "active": "on",
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
            "_save": "1",
        },
    )
    assert response.status_code == 200
    assert "committee" in response.context["adminform"].form.errors
    cell.refresh_from_db()
    assert cell.committee == two["a"]["below"]


def _committee_data(committee, **overrides):
    data = {
        "name": committee.name,
        "kind": committee.kind,
        "abbreviation": committee.abbreviation,
        "parent": committee.parent_id or "",
        "active": "on",
        "cells-TOTAL_FORMS": "0",
        "cells-INITIAL_FORMS": "0",
        "_save": "1",
    }
    return data | overrides


def test_officer_changes_committees_below_their_own_but_not_their_own(officer, two):
    below, own = two["a"]["below"], two["committee"]
    response = officer.post(
        _url(PartyCommittee, "change", below.pk), _committee_data(below, name="Đảng ủy Khối Mới")
    )
    assert response.status_code == 302
    below.refresh_from_db()
    assert below.name == "Đảng ủy Khối Mới"

    response = officer.get(_url(PartyCommittee, "change", own.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    response = officer.post(
        _url(PartyCommittee, "change", own.pk), _committee_data(own, name="Đổi tên")
    )
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.name == "Đảng ủy Cơ quan Chính quyền huyện"


def test_officer_cannot_move_a_committee_out_of_their_tree(officer, two):
    below = two["a"]["below"]
    for parent in (two["b"]["committee"].pk, ""):
        response = officer.post(
            _url(PartyCommittee, "change", below.pk), _committee_data(below, parent=parent)
        )
        assert response.status_code == 200
        assert "parent" in response.context["adminform"].form.errors
    below.refresh_from_db()
    assert below.parent == two["committee"]


def test_officer_cannot_point_a_session_at_another_committees_cell(officer, two):
    session = two["a"]["session"]
    response = officer.get(_url(LabourSession, "change", session.pk))
    form = response.context["adminform"].form
    assert set(form.fields["cell"].queryset) == {
        two["cell"],
        two["other_cell"],
        two["a"]["below_cell"],
    }
    assert two["b"]["village"] not in form.fields["village"].queryset


def test_staff_viewer_reads_their_scope_and_changes_nothing(client, two):
    viewer = _staff_with_every_permission(two["viewer"])
    client.force_login(viewer)
    village = two["a"]["village"]
    response = client.get(_url(Village, "change", village.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert client.post(_url(Village, "change", village.pk), {"name": "x"}).status_code == 403
    assert client.get(_url(Village, "add")).status_code == 403
    assert client.get(_url(Village, "change", two["b"]["village"].pk)).status_code == 404
    rows = set(client.get(_url(LabourSession, "changelist")).context["cl"].result_list)
    assert rows == {two["a"]["session"]}
    village.refresh_from_db()
    assert village.name == "Phiêng Luông"


def test_staff_secretary_sees_only_their_cell(client, two):
    secretary = _staff_with_every_permission(two["secretary2"])
    client.force_login(secretary)
    rows = set(client.get(_url(PartyCell, "changelist")).context["cl"].result_list)
    assert rows == {two["other_cell"]}
    assert client.get(_url(LabourSession, "change", two["a"]["session"].pk)).status_code == 404


def test_superuser_sees_everything(client, two):
    client.force_login(two["admin"])
    for key in B_OBJECTS:
        obj = two["b"][key]
        rows = client.get(_url(type(obj), "changelist")).context["cl"].result_list
        assert obj in rows, key
        assert two["a"][key] in rows, key
        assert client.get(_url(type(obj), "change", obj.pk)).status_code == 200
    assert two["b"]["cell"].pk in _autocomplete(client, "laboursession", "cell")


def test_every_admin_of_the_app_is_scoped():
    """A model admin or inline added later without the scope would be a back door."""
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "programs":
            continue
        assert isinstance(model_admin, ScopedAdmin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, ScopedInline), inline


# --- Query counts ------------------------------------------------------------------------


def _more_rows(two, n):
    a_cell = two["cell"]
    for i in range(n):
        village = factories.village(commune=two["commune"])
        factories.session(
            cell=a_cell,
            village=village,
            directive=two["directive"],
            date=datetime.date(2026, 4, 4) + datetime.timedelta(days=7 * i),
        )
        factories.member(cell=a_cell)
        factories.household(village=village)


@pytest.mark.parametrize(
    "model", [LabourSession, Member, Village, Household], ids=lambda m: m._meta.model_name
)
def test_officer_change_lists_keep_their_query_count(
    officer, two, model, django_assert_num_queries
):
    url = _url(model, "changelist")
    officer.get(url)  # warm the content types cache
    expected = {LabourSession: 13, Member: 10, Village: 10, Household: 10}[model]
    with django_assert_num_queries(expected):
        response = officer.get(url)
    few = response.context["cl"].result_count
    _more_rows(two, 12)
    with django_assert_num_queries(expected):
        response = officer.get(url)
    assert response.context["cl"].result_count > few


def test_officer_who_also_views_another_committee_reads_it_but_changes_nothing(officer, two):
    """Seeing more than one manages (viewer of B, officer of A): B's rows are read-only, never
    offered in a form, and skipped by "delete selected"."""
    Role.objects.create(user=two["officer"], kind=Role.Kind.VIEWER, committee=two["b"]["committee"])
    session, household = two["b"]["session"], two["b"]["household"]
    response = officer.get(_url(LabourSession, "change", session.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    response = officer.post(_url(LabourSession, "change", session.pk), {"partner": "x"})
    assert response.status_code == 403
    assert officer.get(_url(LabourSession, "delete", session.pk)).status_code == 403

    assert two["b"]["cell"].pk not in _autocomplete(officer, "laboursession", "cell")
    assert two["b"]["village"].pk not in _autocomplete(officer, "laboursession", "village")
    assert two["b"]["cell"].pk in {
        c.pk for c in officer.get(_url(PartyCell, "changelist")).context["cl"].result_list
    }

    WorkOutput.objects.filter(household=household).update(household=None)
    response = officer.post(
        _url(Household, "changelist"),
        {"action": "delete_selected", "_selected_action": [household.pk], "post": "yes"},
    )
    assert Household.objects.filter(pk=household.pk).exists()
    session.refresh_from_db()
    assert session.partner == "Đảng ủy xã Ngoài"


def test_delete_page_names_nothing_of_another_committee(officer, two):
    """A's member attended B's session: the attendance protects the member, and the
    confirmation page would name B's session. It names nothing and deletes nothing."""
    member = two["a"]["member"]
    row = Attendance(session=two["b"]["session"], member=member)
    row.copy_from_member()
    row.save()
    url = _url(Member, "delete", member.pk)
    response = officer.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chi bộ Bên Kia" not in page and "Khuổi Khít Ngoài" not in page
    assert "Dữ liệu của chi bộ hoặc Đảng ủy khác đang dùng đến mục này." in page
    officer.post(url, {"post": "yes"})
    assert Member.objects.filter(pk=member.pk).exists()

    # The same through "delete selected".
    response = officer.post(
        _url(Member, "changelist"),
        {"action": "delete_selected", "_selected_action": [member.pk], "post": "yes"},
    )
    assert "Chi bộ Bên Kia" not in response.content.decode()
    assert Member.objects.filter(pk=member.pk).exists()


def test_delete_page_of_a_village_shared_with_another_committee(officer, two):
    shared = two["a"]["village"]
    factories.assignment(cell=two["b"]["cell"], village=shared, directive=factories.directive())
    page = officer.get(_url(Village, "delete", shared.pk)).content.decode()
    assert "Chi bộ Bên Kia" not in page
    officer.post(_url(Village, "delete", shared.pk), {"post": "yes"})
    assert Village.objects.filter(pk=shared.pk).exists()


def test_delete_of_the_officers_own_row_still_works(officer, two):
    household = factories.household(village=two["a"]["village"], head_name="Hộ Mới")
    response = officer.post(_url(Household, "delete", household.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Household.objects.filter(pk=household.pk).exists()


def test_deleting_a_committee_would_take_roles_along_so_it_is_refused(officer, two):
    """Roles are for superusers: a delete that would cascade to a user's role is refused (the
    role admin gives nobody else the delete permission Django's delete page asks for)."""
    below = factories.committee(name="Đảng ủy Mới Lập", parent=two["a"]["committee"])
    host = factories.user("below-viewer", role="viewer", target=below)
    officer.post(_url(PartyCommittee, "delete", below.pk), {"post": "yes"})
    assert PartyCommittee.objects.filter(pk=below.pk).exists()
    assert Role.objects.filter(user=host, committee=below).exists()


def test_only_a_superuser_sets_a_committees_commune(officer, two, world):
    """The commune decides what the committee's host users read of other committees."""
    below = two["a"]["below"]
    page = officer.get(_url(PartyCommittee, "change", below.pk))
    assert page.status_code == 200
    assert "commune" not in page.context["adminform"].form.fields
    officer.post(
        _url(PartyCommittee, "change", below.pk),
        {
            "name": below.name,
            "kind": below.kind,
            "abbreviation": below.abbreviation,
            "parent": below.parent_id,
            "commune": world["commune"].pk,
            "active": "on",
            "cells-TOTAL_FORMS": 0,
            "cells-INITIAL_FORMS": 0,
            "_save": "Lưu",
        },
    )
    below.refresh_from_db()
    assert below.commune_id is None


def test_a_village_shared_with_another_committee_keeps_its_name(officer, two):
    """Its name and commune print in the other committee's reports: only a superuser (or an
    officer whose committees alone use it) renames or moves it."""
    shared = two["a"]["village"]
    factories.assignment(cell=two["b"]["cell"], village=shared, directive=factories.directive())
    url = _url(Village, "change", shared.pk)
    form = officer.get(url).context["adminform"].form
    assert "name" not in form.fields and "commune" not in form.fields
    officer.post(
        url,
        {
            "kind": shared.kind,
            "active": "on",
            "name": "Tên Khác",
            "names-TOTAL_FORMS": 0,
            "names-INITIAL_FORMS": 0,
            "_save": "Lưu",
        },
    )
    shared.refresh_from_db()
    assert shared.name == "Phiêng Luông"


def test_a_village_only_the_officers_cells_use_can_be_renamed(officer, two):
    village = two["a"]["village"]
    form = officer.get(_url(Village, "change", village.pk)).context["adminform"].form
    assert {"name", "commune", "changed_on"} <= set(form.fields)
