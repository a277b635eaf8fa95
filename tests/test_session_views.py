"""Create, read, edit, postpone and cancel one session: permissions, rules and history."""

import datetime

import pytest
from django.urls import reverse

from programs.models import LabourSession, SessionChange
from tests import factories
from tests.http import signed_in
from tests.queries import pinned_queries

SATURDAY = datetime.date(2031, 3, 8)
SUNDAY = datetime.date(2031, 3, 9)
WEDNESDAY = datetime.date(2031, 3, 5)


@pytest.fixture
def session(world):
    return factories.world_session(world, date=SATURDAY)


def _form_data(world, **overrides):
    return factories.session_form(
        world, SUNDAY, **{"partner": "Chi bộ thôn Phiêng Luông", **overrides}
    )


# --- read -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "viewer", "secretary", "admin"])
def test_detail_visible_in_scope(client, world, session, who):
    response = signed_in(client, world[who]).get(
        reverse("programs:session-detail", args=[session.pk])
    )
    assert response.status_code == 200
    assert "Phiêng Luông" in response.content.decode()


def test_detail_hidden_from_outsider(client, world, session):
    response = signed_in(client, world["secretary2"]).get(
        reverse("programs:session-detail", args=[session.pk])
    )
    assert response.status_code == 404


def test_detail_requires_login(client, session):
    response = client.get(reverse("programs:session-detail", args=[session.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_detail_shows_manage_actions_only_to_officers(client, world, session):
    edit_url = reverse("programs:session-edit", args=[session.pk])
    assert (
        edit_url
        in signed_in(client, world["officer"]).get(session.get_absolute_url()).content.decode()
    )
    assert (
        edit_url
        not in signed_in(client, world["viewer"]).get(session.get_absolute_url()).content.decode()
    )


def test_detail_query_count_does_not_grow_with_history(client, world, session):
    signed_in(client, world["officer"])
    url = session.get_absolute_url()
    SessionChange.objects.create(session=session, action="created", changes={"date": ["", "x"]})
    client.get(url)  # warm up
    with pinned_queries(13):
        assert client.get(url).status_code == 200
    for n in range(30):
        SessionChange.objects.create(
            session=session,
            user=world["officer"],
            action="updated",
            changes={"notes": [str(n), str(n + 1)]},
        )
    with pinned_queries(13):
        assert client.get(url).status_code == 200


# --- create ---------------------------------------------------------------------------------


def test_officer_creates_session(client, world):
    response = signed_in(client, world["officer"]).post(
        reverse("programs:session-create"), _form_data(world)
    )
    session = LabourSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    assert (session.date, session.status, session.created_by) == (
        SUNDAY,
        "planned",
        world["officer"],
    )
    assert session.changes.get().action == "created"


@pytest.mark.parametrize("who", ["viewer", "secretary", "secretary2"])
def test_read_only_users_cannot_create(client, world, who):
    response = signed_in(client, world[who]).post(
        reverse("programs:session-create"), _form_data(world)
    )
    assert response.status_code == 403
    assert not LabourSession.objects.exists()


def test_officer_cannot_create_for_cell_outside_scope(client, world):
    foreign_cell = factories.cell(committee=world["outsider_committee"])
    response = signed_in(client, world["officer"]).post(
        reverse("programs:session-create"), _form_data(world, cell=foreign_cell.pk)
    )
    assert response.status_code == 200
    assert "cell" in response.context["form"].errors
    assert not LabourSession.objects.exists()


def test_weekday_rule_names_allowed_days(client, world, settings):
    response = signed_in(client, world["officer"]).post(
        reverse("programs:session-create"),
        _form_data(world, date=WEDNESDAY.isoformat()),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    errors = response.context["form"].errors["date"]
    assert any("Saturday" in e and "Sunday" in e for e in errors)
    assert not LabourSession.objects.exists()
    # What the officer typed is kept.
    assert response.context["form"]["planned_work"].value() == "Lắp kênh mương"


def test_date_outside_directive_period_refused(client, world):
    directive = world["directive"]
    directive.effective_until = datetime.date(2030, 12, 31)
    directive.save()
    response = signed_in(client, world["officer"]).post(
        reverse("programs:session-create"), _form_data(world)
    )
    assert "date" in response.context["form"].errors
    assert not LabourSession.objects.exists()


def test_other_village_needs_reason(client, world):
    url = reverse("programs:session-create")
    signed_in(client, world["officer"])
    response = client.post(url, _form_data(world, village=world["other_village"].pk))
    assert "village" in response.context["form"].errors
    assert not LabourSession.objects.exists()
    client.post(
        url,
        _form_data(
            world, village=world["other_village"].pk, other_village_reason="Hỗ trợ thôn bạn"
        ),
    )
    assert LabourSession.objects.get().village == world["other_village"]


def test_second_session_same_cell_same_day_refused(client, world, session):
    response = signed_in(client, world["officer"]).post(
        reverse("programs:session-create"), _form_data(world, date=SATURDAY.isoformat())
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert LabourSession.objects.count() == 1


# --- edit -----------------------------------------------------------------------------------


def test_officer_edits_and_history_records_old_and_new(client, world, session):
    response = signed_in(client, world["officer"]).post(
        reverse("programs:session-edit", args=[session.pk]),
        _form_data(world, date=SUNDAY.isoformat(), version=session.version),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.date == SUNDAY
    assert session.version == 2
    change = session.changes.get(action="updated")
    assert change.changes["date"] == ["08/03/2031", "09/03/2031"]
    assert change.user == world["officer"]


def test_stale_edit_is_refused_and_input_kept(client, world, session):
    url = reverse("programs:session-edit", args=[session.pk])
    signed_in(client, world["officer"])
    first = client.post(url, _form_data(world, partner="Đảng ủy xã", version=1))
    assert first.status_code == 302
    second = client.post(url, _form_data(world, partner="Chi bộ thôn", version=1))
    assert second.status_code == 200
    assert second.context["form"]["partner"].value() == "Chi bộ thôn"
    session.refresh_from_db()
    assert session.partner == "Đảng ủy xã"
    assert session.version == 2
    # The form shown again carries the current version: saving it again, on purpose, works.
    again = {name: second.context["form"][name].value() for name in ("version", "token")}
    assert again["version"] == 2
    third = client.post(url, _form_data(world, partner="Chi bộ thôn", **again))
    assert third.status_code == 302
    session.refresh_from_db()
    assert (session.partner, session.version) == ("Chi bộ thôn", 3)


def test_an_edit_without_its_version_is_refused(client, world, session):
    url = reverse("programs:session-edit", args=[session.pk])
    signed_in(client, world["officer"])
    response = client.post(url, _form_data(world, partner="Không có phiên bản"))
    assert response.status_code == 200
    session.refresh_from_db()
    assert (session.partner, session.version) == ("", 1)


def test_the_new_session_link_cannot_prefill_hidden_fields(client, world):
    signed_in(client, world["officer"])
    response = client.get(
        reverse("programs:session-create"), {"token": "garbage", "partner": "Chi bộ thôn"}
    )
    form = response.context["form"]
    assert form["partner"].value() == "Chi bộ thôn"
    assert form["token"].value() != "garbage"


@pytest.mark.parametrize(
    ("who", "status"), [("viewer", 403), ("secretary", 403), ("secretary2", 404)]
)
def test_edit_forbidden(client, world, session, who, status):
    url = reverse("programs:session-edit", args=[session.pk])
    signed_in(client, world[who])
    assert client.get(url).status_code == status
    assert client.post(url, _form_data(world, version=1)).status_code == status
    session.refresh_from_db()
    assert session.date == SATURDAY


# --- postpone and cancel ----------------------------------------------------------------------


def test_postpone_with_new_date_keeps_old_date_visible(client, world, session):
    signed_in(client, world["officer"])
    response = client.post(
        reverse("programs:session-postpone", args=[session.pk]),
        {"reason": "Mưa lớn, đường trơn", "new_date": "2031-03-15", "version": session.version},
    )
    session.refresh_from_db()
    replacement = session.rescheduled_as
    assert response.status_code == 302
    assert response["Location"] == replacement.get_absolute_url()
    assert (session.status, session.status_reason, session.date) == (
        "postponed",
        "Mưa lớn, đường trơn",
        SATURDAY,
    )
    assert (replacement.status, replacement.date) == ("planned", datetime.date(2031, 3, 15))
    page = client.get(replacement.get_absolute_url()).content.decode()
    assert "08/03/2031" in page
    assert "Mưa lớn, đường trơn" in page


def test_postpone_without_reason_refused(client, world, session):
    response = signed_in(client, world["officer"]).post(
        reverse("programs:session-postpone", args=[session.pk]), {"reason": "  ", "version": 1}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    session.refresh_from_db()
    assert session.status == "planned"


def test_postpone_to_bad_date_creates_nothing(client, world, session):
    response = signed_in(client, world["officer"]).post(
        reverse("programs:session-postpone", args=[session.pk]),
        {"reason": "Mưa", "new_date": WEDNESDAY.isoformat(), "version": 1},
    )
    assert "new_date" in response.context["form"].errors
    session.refresh_from_db()
    assert session.status == "planned"
    assert LabourSession.objects.count() == 1


def test_cancel_needs_reason_and_keeps_row(client, world, session):
    url = reverse("programs:session-cancel", args=[session.pk])
    signed_in(client, world["officer"])
    assert "reason" in client.post(url, {"reason": "", "version": 1}).context["form"].errors
    response = client.post(url, {"reason": "Bão số 3", "version": 1})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.status_reason) == ("cancelled", "Bão số 3")
    assert session.changes.filter(action="cancelled", reason="Bão số 3").exists()


@pytest.mark.parametrize("view", ["session-postpone", "session-cancel"])
@pytest.mark.parametrize(
    ("who", "status"), [("viewer", 403), ("secretary", 403), ("secretary2", 404)]
)
def test_status_changes_forbidden(client, world, session, view, who, status):
    response = signed_in(client, world[who]).post(
        reverse(f"programs:{view}", args=[session.pk]), {"reason": "x", "version": 1}
    )
    assert response.status_code == status
    session.refresh_from_db()
    assert session.status == "planned"


def test_cancelled_session_cannot_be_postponed(client, world, session):
    session.status, session.status_reason = "cancelled", "Bão"
    session.save()
    response = signed_in(client, world["officer"]).post(
        reverse("programs:session-postpone", args=[session.pk]), {"reason": "x", "version": 1}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "cancelled"


def test_resent_postpone_form_changes_nothing_twice(client, world, session):
    url = reverse("programs:session-postpone", args=[session.pk])
    data = {
        "reason": "Mưa",
        "new_date": "2031-03-15",
        "version": session.version,
        "token": "6f1c2a56-3c7e-4d3a-9a53-0f6f6d1c2b11",
    }
    signed_in(client, world["officer"])
    first = client.post(url, data)
    second = client.post(url, data)
    assert first["Location"] == second["Location"]
    assert LabourSession.objects.count() == 2
    assert SessionChange.objects.filter(session=session, action="postponed").count() == 1
