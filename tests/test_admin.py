"""The admin site: every page answers, changelists keep a fixed query count, search ignores
diacritics, weekdays are checkboxes, and model rules surface on the forms."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

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
    Weekday,
    WorkOutput,
    WorkType,
)
from tests import factories
from tests.queries import pinned_queries

SATURDAY = datetime.date(2026, 3, 7)
MONDAY = datetime.date(2026, 3, 9)


def _role():
    account = factories.user(role=Role.Kind.OFFICER, target=factories.committee())
    return account.civic_roles.get()


def _session():
    """A session whose related objects (and their communes) are all distinct, with outputs
    and attendance, so any per-row query shows up in the count."""
    session = factories.session()
    Attendance.objects.create(
        session=session,
        member=factories.member(),
        category=Member.Category.OFFICIAL,
        level=Member.Level.DISTRICT,
    )
    WorkOutput.objects.create(
        session=session, work_type=factories.work_type(), quantity=250, unit="m"
    )
    return session


# One builder per model; each row gets its own related objects, so a column or __str__ that
# reads a relation without select_related costs one query per row.
BUILDERS = {
    Province: factories.province,
    District: factories.district,
    Commune: lambda: factories.commune(
        district=factories.district(), successor=factories.commune()
    ),
    Village: lambda: factories.household().village,
    Household: factories.household,
    Directive: lambda: factories.directive(parent=factories.directive()),
    PartyCommittee: lambda: factories.committee(
        parent=factories.committee(), commune=factories.commune()
    ),
    PartyCell: lambda: factories.cell(
        kind=PartyCell.Kind.VILLAGE, home_village=factories.village()
    ),
    Member: lambda: factories.member(cell=factories.cell()),
    Role: _role,
    Assignment: factories.assignment,
    LabourSession: _session,
    WorkType: factories.work_type,
}

MODELS = pytest.mark.parametrize("model", list(BUILDERS), ids=lambda m: m._meta.model_name)
# Queries of each change list, with one row and with twenty (tests.queries).
CHANGELIST_QUERIES = {
    Province: 5,
    District: 6,
    Commune: 7,
    Village: 6,
    Household: 6,
    Directive: 8,
    PartyCommittee: 5,
    PartyCell: 6,
    Member: 6,
    Role: 6,
    Assignment: 9,
    LabourSession: 9,
    WorkType: 5,
}


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_client(client, world):
    client.force_login(world["admin"])
    return client


@MODELS
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model):
    BUILDERS[model]()
    url = _url(model, "changelist")
    admin_client.get(url)  # warm up
    with pinned_queries(CHANGELIST_QUERIES[model]):
        response = admin_client.get(url)
    assert response.status_code == 200
    rows_before = response.context["cl"].result_count

    for _ in range(19):
        BUILDERS[model]()
    with pinned_queries(CHANGELIST_QUERIES[model]):
        response = admin_client.get(url)
    assert response.status_code == 200
    # Some builders add a parent of the same model too.
    assert response.context["cl"].result_count >= rows_before + 19


@MODELS
def test_add_and_change_pages_answer(admin_client, model):
    obj = BUILDERS[model]()
    response = admin_client.get(_url(model, "add"))
    assert response.status_code == 200
    response = admin_client.get(_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert response.context["original"] == obj


def test_admin_site_header(admin_client):
    response = admin_client.get(reverse("admin:index"))
    with translation.override("vi"):
        assert response.context["site_header"] == str(
            translation.gettext("Civic Labour administration")
        )


def test_admin_pages_carry_the_apps_icon_and_the_sign_out_clean_up(admin_client):
    """The icon (else the browser asks for /favicon.ico: a 404 in the console), and for a
    signed-in person the scripts that clear the phone at "Log out" (admin-sign-out.js)."""
    response = admin_client.get(reverse("admin:index"))
    index, user = response.content.decode(), response.wsgi_request.user
    assert 'rel="icon"' in index
    assert "js/sync-core.js" in index
    assert f'data-user="{user.pk}"' in index
    # "Log out" ends on the app's sign-in page, which has the icon and clears nobody.
    assert admin_client.post(reverse("admin:logout")).url == reverse("login")


def _search(client, model, term):
    response = client.get(_url(model, "changelist"), {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_village_search_ignores_diacritics(admin_client, world):
    factories.village(commune=world["commune"], name="Chẩu Quân")
    assert [v.name for v in _search(admin_client, Village, "na cooc")] == ["Nà Coóc"]
    assert [v.name for v in _search(admin_client, Village, "Nà Coóc")] == ["Nà Coóc"]
    assert [v.name for v in _search(admin_client, Village, "NA COOC")] == ["Nà Coóc"]


def test_household_search_without_diacritics(admin_client, world):
    thinh = factories.household(village=world["village"], head_name="Quan Văn Thính")
    factories.household(village=world["village"], head_name="Hoàng Thị Thìn")
    assert _search(admin_client, Household, "quan van thinh") == [thinh]
    assert _search(admin_client, Household, "thinh quan") == [thinh]


def test_committee_search_with_and_without_diacritics(admin_client, world):
    factories.committee(name="Huyện ủy Lâm Bình")
    expected = {world["committee"], world["outsider_committee"]}
    assert set(_search(admin_client, PartyCommittee, "đảng ủy")) == expected
    assert set(_search(admin_client, PartyCommittee, "dang uy")) == expected
    assert set(_search(admin_client, PartyCommittee, "Đảng Ủy")) == expected


def test_search_also_uses_ordinary_fields(admin_client, world):
    commune = factories.commune(province=world["province"], name="Thổ Bình", code="02149")
    assert _search(admin_client, Commune, "02149") == [commune]


def test_session_search_by_village_and_cell_names(admin_client, world):
    at_na_cooc = factories.session(
        cell=world["other_cell"], village=world["other_village"], directive=world["directive"]
    )
    factories.world_session(world)
    assert _search(admin_client, LabourSession, "na cooc") == [at_na_cooc]
    assert _search(admin_client, LabourSession, "tu phap") == [at_na_cooc]


def test_autocomplete_ignores_diacritics(admin_client, world):
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "programs",
            "model_name": "laboursession",
            "field_name": "village",
            "term": "na cooc",
        },
    )
    assert response.status_code == 200
    village = world["other_village"]
    # The label tells villages of one name apart: "thôn Nà Coóc (xã Bình An)".
    assert response.json()["results"] == [
        {"id": str(village.pk), "text": village.label_with_context}
    ]
    assert village.label_with_context == "thôn Nà Coóc (xã Bình An)"


def _directive_data(**overrides):
    data = {
        "kind": Directive.Kind.PLAN,
        "number": "54",
        "symbol": "54-KH/HU-test",
        "issuing_body": "Ban Thường vụ Huyện ủy",
        "issued_on": "2021-06-01",
        "title": "Kế hoạch thực hiện Đề án 02-ĐA/TU",
        "effective_from": "2021-06-01",
        "sessions_per_month": "1",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def test_directive_weekday_checkboxes_save_the_mask(admin_client, world):
    data = _directive_data(allowed_weekdays=[str(Weekday.TUESDAY), str(Weekday.SATURDAY)])
    response = admin_client.post(_url(Directive, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    directive = Directive.objects.get(symbol="54-KH/HU-test")
    assert directive.allowed_weekdays == (1 << 1) | (1 << 5)
    assert directive.weekdays == [Weekday.TUESDAY, Weekday.SATURDAY]

    # The change page ticks the stored days.
    response = admin_client.get(_url(Directive, "change", directive.pk))
    form = response.context["adminform"].form
    assert form["allowed_weekdays"].value() == [Weekday.TUESDAY, Weekday.SATURDAY]
    assert 'value="1" id="id_allowed_weekdays_1" checked' in response.content.decode()


def test_directive_without_weekdays_is_refused(admin_client, world):
    before = Directive.objects.count()
    response = admin_client.post(_url(Directive, "add"), _directive_data())
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    with translation.override("vi"):
        assert errors["allowed_weekdays"] == [
            translation.gettext("Choose at least one day of the week.")
        ]
    assert Directive.objects.count() == before


def test_role_clean_messages_show_on_the_form(admin_client, world):
    officer = factories.user()
    response = admin_client.post(
        _url(Role, "add"),
        {"user": officer.pk, "kind": Role.Kind.SECRETARY, "committee": world["committee"].pk},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    with translation.override("vi"):
        assert errors["cell"] == [translation.gettext("A cell secretary needs a party cell.")]
    assert not officer.civic_roles.exists()

    response = admin_client.post(
        _url(Role, "add"),
        {"user": officer.pk, "kind": Role.Kind.SECRETARY, "cell": world["cell"].pk},
    )
    assert response.status_code == 302
    assert officer.civic_roles.get().cell == world["cell"]


def _inline_management(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _session_data(world, day, **overrides):
    data = {
        "directive": world["directive"].pk,
        "cell": world["cell"].pk,
        "village": world["village"].pk,
        "date": day.isoformat(),
        "start_time": "07:30",
        "status": LabourSession.Status.PLANNED,
        "unlisted_commune_cadres": "0",
        "unlisted_armed_forces": "0",
        "unlisted_villagers": "0",
        "_save": "Save",
        **_inline_management("attendances"),
        **_inline_management("outputs"),
        **_inline_management("photos"),
    }
    data.update(overrides)
    return data


def test_session_on_a_day_the_directive_does_not_allow_is_refused(admin_client, world):
    response = admin_client.post(_url(LabourSession, "add"), _session_data(world, MONDAY))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["date"]
    with translation.override("vi"):
        expected = str(world["directive"].weekday_error().message)
        saturday, sunday = str(Weekday.SATURDAY.label), str(Weekday.SUNDAY.label)
    assert errors == [expected]
    assert saturday in expected and sunday in expected
    assert not LabourSession.objects.exists()


def test_session_added_in_the_admin_goes_through_the_service_without_log_rows(admin_client, world):
    """Attendance is written on the log page only: rows posted to the admin add form are
    ignored, and the new session gets its "created" history entry like any other."""
    soldier = factories.member(full_name="Ma Văn Lự", category=Member.Category.ARMED_FORCES)
    data = _session_data(
        world,
        SATURDAY,
        **{
            **_inline_management("attendances", total=1),
            "attendances-0-member": soldier.pk,
            "attendances-0-workdays": "0.5",
        },
    )
    response = admin_client.post(_url(LabourSession, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    session = LabourSession.objects.get()
    assert session.created_by == world["admin"]
    assert not session.attendances.exists()
    assert session.changes.get().action == "created"


def test_directive_search_without_diacritics(client, world):
    client.force_login(world["admin"])
    response = client.get("/admin/programs/directive/", {"q": "ke hoach 54"})
    assert list(response.context["cl"].result_list) == [world["directive"]]


def test_session_edits_in_the_admin_join_the_history(client, world):
    import datetime as dt

    from programs.models import LabourSession

    session = factories.world_session(
        world,
        date=dt.date(2031, 3, 8),
    )
    client.force_login(world["admin"])
    url = f"/admin/programs/laboursession/{session.pk}/change/"
    data = {
        "directive": world["directive"].pk,
        "cell": world["cell"].pk,
        "village": world["village"].pk,
        "date": "09/03/2031",
        "start_time": "08:00",
        "partner": "Đảng ủy xã",
        "status": "planned",
        "status_reason": "",
        "other_village_reason": "",
        "planned_work": "",
        "notes": "",
        "unlisted_commune_cadres": 0,
        "unlisted_armed_forces": 0,
        "unlisted_villagers": 0,
        "log_status": "",
        "review_comment": "",
        "version": session.version,
    }
    for prefix in ("attendances", "outputs", "photos", "opinions"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    session.refresh_from_db()
    assert session.date == dt.date(2031, 3, 9)
    assert session.version == 2
    change = session.changes.get(action="updated")
    assert change.user == world["admin"]
    assert change.changes["date"] == ["08/03/2031", "09/03/2031"]
    assert LabourSession.objects.count() == 1
