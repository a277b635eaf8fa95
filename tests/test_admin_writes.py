"""The admin site writes sessions through the same services as the pages: the version check
refuses a stale save, the history records old → new, and the log (attendance, work done,
photos) is read-only there, so no photo reaches storage without being re-encoded."""

import datetime
import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from programs.models import LabourSession, Photo, SessionChange, WorkOutput
from programs.services import sessions as session_services
from tests import factories

SATURDAY = datetime.date(2031, 3, 8)


@pytest.fixture
def session(world):
    return factories.world_session(
        world,
        date=SATURDAY,
        partner="Chi bộ thôn",
    )


def _change_url(session):
    return reverse("admin:programs_laboursession_change", args=[session.pk])


def _form_data(session, **overrides):
    data = {
        "directive": session.directive_id,
        "cell": session.cell_id,
        "village": session.village_id,
        "date": session.date.isoformat(),
        "start_time": "07:30",
        "partner": session.partner,
        "status": session.status,
        "status_reason": "",
        "other_village_reason": "",
        "planned_work": "",
        "version": session.version,
        "_save": "Save",
    }
    for prefix in ("attendances", "outputs", "photos", "opinions"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    data.update(overrides)
    return data


def _gps_photo() -> SimpleUploadedFile:
    image = Image.new("RGB", (3000, 2000), "green")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (22.0, 30.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("home.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_second_admin_save_from_the_same_version_is_refused(client, world, session):
    client.force_login(world["admin"])
    opened = _form_data(session)  # Both admins opened the form on version 1.

    first = client.post(_change_url(session), {**opened, "partner": "Đảng ủy xã Bình An"})
    assert first.status_code == 302
    second = client.post(_change_url(session), {**opened, "partner": "Hội Nông dân xã"})

    assert second.status_code == 200
    errors = second.context["adminform"].form.non_field_errors()
    with translation.override("vi"):
        assert errors == [
            translation.gettext(
                "Someone else saved this session after you opened it. Your changes were not "
                "saved: open the session again to see the current values, then redo your "
                "changes."
            )
        ]
    session.refresh_from_db()
    assert session.partner == "Đảng ủy xã Bình An"
    assert session.version == 2
    assert session.changes.filter(action=SessionChange.Action.UPDATED).count() == 1


def test_admin_save_without_a_version_is_refused(client, world, session):
    client.force_login(world["admin"])
    data = _form_data(session, partner="Hội Nông dân xã")
    del data["version"]
    response = client.post(_change_url(session), data)
    assert response.status_code == 200
    session.refresh_from_db()
    assert (session.partner, session.version) == ("Chi bộ thôn", 1)


def test_admin_edit_joins_the_session_history_with_old_and_new_values(client, world, session):
    client.force_login(world["admin"])
    # The change form carries the version it was opened on.
    page = client.get(_change_url(session))
    assert page.context["adminform"].form["version"].value() == 1

    response = client.post(
        _change_url(session),
        _form_data(session, partner="Đảng ủy xã Bình An", start_time="08:00"),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.partner, session.start_time, session.version) == (
        "Đảng ủy xã Bình An",
        datetime.time(8, 0),
        2,
    )
    change = session.changes.get(action=SessionChange.Action.UPDATED)
    assert change.user == world["admin"]
    assert change.changes == {
        "partner": ["Chi bộ thôn", "Đảng ủy xã Bình An"],
        "start_time": ["07:30", "08:00"],
    }


def test_admin_save_with_nothing_changed_writes_nothing(client, world, session):
    client.force_login(world["admin"])
    response = client.post(_change_url(session), _form_data(session))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.version == 1
    assert not session.changes.exists()


def test_admin_session_change_page_offers_no_photo_upload(client, world, session):
    Photo.objects.create(session=session, image="sessions/x.jpg", caption="Đổ bê tông")
    client.force_login(world["admin"])
    page = client.get(_change_url(session))
    html = page.content.decode()
    assert 'type="file"' not in html
    assert "Đổ bê tông" in html
    assert reverse("programs:session-log", args=[session.pk]) in html


def test_photo_posted_to_the_admin_is_not_stored(client, world, session, settings):
    client.force_login(world["admin"])
    data = _form_data(session)
    data |= {
        "photos-TOTAL_FORMS": 1,
        "photos-0-image": _gps_photo(),
        "photos-0-caption": "Ảnh có vị trí",
        "outputs-TOTAL_FORMS": 1,
        "outputs-0-work_type": factories.work_type().pk,
        "outputs-0-quantity": "250",
        "outputs-0-unit": "m",
    }
    response = client.post(_change_url(session), data)
    assert response.status_code == 302
    assert not Photo.objects.exists()
    assert not WorkOutput.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_log_rows_cannot_be_changed_or_deleted_from_the_admin(client, world, session):
    output = WorkOutput.objects.create(
        session=session, work_type=factories.work_type(), quantity=250, unit="m"
    )
    client.force_login(world["admin"])
    data = _form_data(session)
    data |= {
        "outputs-TOTAL_FORMS": 1,
        "outputs-INITIAL_FORMS": 1,
        "outputs-0-id": output.pk,
        "outputs-0-session": session.pk,
        "outputs-0-quantity": "1",
        "outputs-0-DELETE": "on",
    }
    response = client.post(_change_url(session), data)
    assert response.status_code == 302
    output.refresh_from_db()
    assert output.quantity == 250


def test_session_added_in_the_admin_is_created_by_the_service(client, world):
    client.force_login(world["admin"])
    data = {
        "directive": world["directive"].pk,
        "cell": world["cell"].pk,
        "village": world["village"].pk,
        "date": SATURDAY.isoformat(),
        "start_time": "07:30",
        "status": "planned",
        "_save": "Save",
    }
    response = client.post(reverse("admin:programs_laboursession_add"), data)
    assert response.status_code == 302
    session = LabourSession.objects.get()
    assert (session.created_by, session.version) == (world["admin"], 1)
    created = session.changes.get()
    assert created.action == SessionChange.Action.CREATED
    assert created.changes["date"] == ["", "08/03/2031"]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writer at a time; the row lock matters on PostgreSQL.",
)
@pytest.mark.django_db(transaction=True)
def test_two_admins_saving_at_the_same_time_change_the_session_once(transactional_db, world):
    session = factories.world_session(
        world,
        date=SATURDAY,
        partner="Chi bộ thôn",
    )
    opened = _form_data(session)
    start = threading.Barrier(2)
    statuses = []

    def save(partner):
        client = Client()
        client.force_login(world["admin"])
        start.wait()
        try:
            response = client.post(_change_url(session), {**opened, "partner": partner})
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(p,)) for p in ("Hội Nông dân", "Đoàn TN")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 302]
    session.refresh_from_db()
    assert session.version == 2
    assert session.partner in ("Hội Nông dân", "Đoàn TN")
    assert session.changes.filter(action=SessionChange.Action.UPDATED).count() == 1


# --- The admin asks what the pages ask ------------------------------------------------------


def test_a_held_session_with_a_confirmed_log_is_read_only_in_the_admin(client, world, session):
    LabourSession.objects.filter(pk=session.pk).update(
        status="held",
        log_status="confirmed",
        log_submitted_at=timezone.now(),
        log_submitted_by=world["secretary"],
        log_confirmed_at=timezone.now(),
        log_confirmed_by=world["officer"],
    )
    session.refresh_from_db()
    client.force_login(world["admin"])
    page = client.get(_change_url(session))
    assert page.status_code == 200
    assert "adminform" not in page.context or not page.context["has_change_permission"]
    response = client.post(
        _change_url(session), _form_data(session, date="2031-03-15", partner="Đổi")
    )
    assert response.status_code == 403
    session.refresh_from_db()
    assert (session.date, session.partner, session.version) == (SATURDAY, "Chi bộ thôn", 1)


def test_the_service_edits_only_planned_sessions(world, session):
    LabourSession.objects.filter(pk=session.pk).update(status="postponed", status_reason="Mưa")
    with pytest.raises(ValidationError):
        session_services.session_update(
            session=session, user=world["admin"], version=1, partner="Khác"
        )
    session.refresh_from_db()
    assert (session.partner, session.version) == ("Chi bộ thôn", 1)


def test_the_admin_cannot_change_a_status_without_its_page(client, world, session):
    client.force_login(world["admin"])
    response = client.post(
        _change_url(session), _form_data(session, status="cancelled", status_reason="x")
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.status_reason) == ("planned", "")


@pytest.mark.parametrize("day", ["9999-12-25", "0001-01-01", "2027-02-30", ""])
def test_the_admin_refuses_dates_outside_the_window(client, world, session, day):
    client.force_login(world["admin"])
    response = client.post(_change_url(session), _form_data(session, date=day))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"]
    session.refresh_from_db()
    assert (session.date, session.version) == (SATURDAY, 1)


def test_the_admin_asks_to_confirm_a_public_holiday(client, world, session):
    tet = datetime.date(2027, 2, 6)
    client.force_login(world["admin"])
    refused = client.post(_change_url(session), _form_data(session, date=tet.isoformat()))
    assert refused.status_code == 200
    assert "confirm_holiday" in refused.context["adminform"].form.errors
    session.refresh_from_db()
    assert session.date == SATURDAY
    confirmed = client.post(
        _change_url(session), _form_data(session, date=tet.isoformat(), confirm_holiday="on")
    )
    assert confirmed.status_code == 302
    session.refresh_from_db()
    assert (session.date, session.version) == (tet, 2)


# --- A form sent twice is carried out once ---------------------------------------------------


def test_an_admin_add_form_sent_twice_adds_once(client, world):
    from programs.models import Household

    client.force_login(world["admin"])
    url = reverse("admin:programs_household_add")
    token = client.get(url).context["one_time_token"]
    data = {
        "village": world["village"].pk,
        "head_name": "Quan Văn Thính",
        "status": "poor",
        "note": "",
        "token": token,
        "_save": "Lưu",
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("admin:programs_household_changelist")
    assert Household.objects.filter(head_name="Quan Văn Thính").count() == 1
    # A new form (a new token) adds again: that is a second household on purpose.
    data["token"] = client.get(url).context["one_time_token"]
    client.post(url, data)
    assert Household.objects.filter(head_name="Quan Văn Thính").count() == 2


def test_an_admin_change_form_sent_twice_changes_once(client, world, session):
    client.force_login(world["admin"])
    token = client.get(_change_url(session)).context["one_time_token"]
    data = _form_data(session, partner="Đảng ủy xã Bình An", token=token)
    assert client.post(_change_url(session), data).status_code == 302
    assert client.post(_change_url(session), data).status_code == 302
    session.refresh_from_db()
    assert (session.partner, session.version) == ("Đảng ủy xã Bình An", 2)
    assert SessionChange.objects.filter(session=session, action="updated").count() == 1
