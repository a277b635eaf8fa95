"""programs.services.logbook: saving a session's log and its sign-off, at the service level."""

import datetime
import io
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from programs.models import (
    Attendance,
    FormSubmission,
    Household,
    LabourSession,
    Member,
    Photo,
    SessionChange,
    WorkOutput,
    WorkType,
)
from programs.photos import process_upload
from programs.services import logbook
from tests import factories

SESSION_DAY = datetime.date(2026, 3, 7)  # a Saturday
TODAY = datetime.date(2026, 3, 9)


@pytest.fixture
def members(world):
    return [
        factories.member(
            cell=world["cell"],
            full_name="Hoàng Văn Thắng",
            category=Member.Category.OFFICIAL,
            level=Member.Level.DISTRICT,
        ),
        factories.member(
            cell=world["cell"],
            full_name="Ma Thị Hoa",
            category=Member.Category.PUBLIC_EMPLOYEE,
            level=Member.Level.DISTRICT,
            is_party_member=False,
        ),
        factories.member(
            cell=None,
            full_name="Nông Văn Minh",
            category=Member.Category.ARMED_FORCES,
            level=Member.Level.COMMUNE,
        ),
    ]


@pytest.fixture
def canal():
    return WorkType.objects.create(name="Thủy lợi (test)", default_unit="m")


def a_photo(caption="Lắp kênh", **kwargs):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, "JPEG")
    processed = process_upload(SimpleUploadedFile("kenh.jpg", buffer.getvalue()))
    return logbook.PhotoInput(processed=processed, caption=caption, **kwargs)


def full_log(members, canal, *, photos=True) -> logbook.LogInput:
    return logbook.LogInput(
        attendance={members[0].pk: Decimal("1"), members[1].pk: Decimal("0.5")},
        unlisted_villagers=25,
        unlisted_commune_cadres=3,
        notes="Bà con đề nghị làm tiếp 100 m kênh.",
        outputs=[
            logbook.OutputInput(
                work_type=canal,
                quantity=Decimal("40"),
                unit="",
                description="Lắp đặt kênh bê tông đúc sẵn",
                new_household_name="Quan Văn Thính",
                new_household_status=Household.Status.POOR,
                value_vnd=1_500_000,
                funding_source="cadres",
            )
        ],
        new_photos=[a_photo()] if photos else [],
    )


def save(session, user, data, **kwargs):
    kwargs.setdefault("today", TODAY)
    return logbook.session_log_save(
        session=session, user=user, version=session.version, data=data, **kwargs
    )


# --- save and submit ------------------------------------------------------------------------


def test_draft_then_submit(world, session, members, canal):
    secretary = world["secretary"]
    draft = save(session, secretary, full_log(members, canal))
    session.refresh_from_db()
    assert (session.status, session.log_status, session.version) == ("planned", "draft", 2)
    assert draft.version == 2

    attendance = {a.member_id: a for a in Attendance.objects.filter(session=session)}
    assert set(attendance) == {members[0].pk, members[1].pk}
    hoa = attendance[members[1].pk]
    assert (hoa.workdays, hoa.category, hoa.level, hoa.is_party_member) == (
        Decimal("0.5"),
        "public_employee",
        "district",
        False,
    )
    output = WorkOutput.objects.get(session=session)
    assert (output.quantity, output.unit, output.value_vnd, output.funding_source) == (
        Decimal("40"),
        "m",  # blank unit: the work type's usual unit
        1_500_000,
        "cadres",
    )
    household = Household.objects.get(head_name="Quan Văn Thính")
    assert (household.village, household.status, output.household) == (
        world["village"],
        "poor",
        household,
    )
    photo = Photo.objects.get(session=session)
    assert photo.caption == "Lắp kênh"
    assert photo.uploaded_by == secretary
    assert photo.image.name.endswith(".jpg")
    assert photo.thumbnail.name.endswith("-thumb.jpg")
    assert photo.image.storage.exists(photo.image.name)
    assert photo.thumbnail.storage.exists(photo.thumbnail.name)
    assert (session.unlisted_villagers, session.unlisted_commune_cadres) == (25, 3)
    assert session.notes == "Bà con đề nghị làm tiếp 100 m kênh."

    # Submit with one more person and a changed workday.
    data = full_log(members, canal, photos=False)
    data.outputs[0].id = output.pk
    data.outputs[0].household = household
    data.outputs[0].new_household_name = ""
    data.attendance[members[2].pk] = Decimal("1.5")
    data.attendance[members[0].pk] = Decimal("2")
    save(session, secretary, data, submit=True)
    session.refresh_from_db()
    assert (session.status, session.log_status) == ("held", "submitted")
    assert session.log_submitted_by == secretary
    assert session.log_submitted_at is not None
    assert session.version == 3
    minh = Attendance.objects.get(session=session, member=members[2])
    assert (minh.category, minh.level, minh.workdays) == ("armed_forces", "commune", Decimal("1.5"))
    assert Attendance.objects.get(session=session, member=members[0]).workdays == Decimal("2")
    assert Household.objects.filter(head_name="Quan Văn Thính").count() == 1
    assert Photo.objects.filter(session=session).count() == 1  # not touched

    saved, submitted = SessionChange.objects.filter(session=session).order_by("at", "id")
    assert saved.action == "log_saved"
    assert saved.changes["unlisted_villagers"] == ["0", "25"]
    assert "Hoàng Văn Thắng" in saved.changes["attendances"][1]
    assert submitted.action == "log_submitted"
    assert submitted.changes["status"][0] != submitted.changes["status"][1]
    old, new = submitted.changes["attendances"]
    assert "Hoàng Văn Thắng (1)" in old  # whole workdays without ",0"
    assert "Hoàng Văn Thắng (2)" in new
    assert "Nông Văn Minh (1,5)" in new


def test_submit_of_a_future_session_is_refused_and_writes_nothing(world, session, members, canal):
    with pytest.raises(ValidationError) as caught:
        save(
            session,
            world["secretary"],
            full_log(members, canal),
            submit=True,
            today=SESSION_DAY - datetime.timedelta(days=1),
        )
    assert caught.value.code == "future"
    session.refresh_from_db()
    assert (session.status, session.log_status, session.version) == ("planned", "", 1)
    assert not Attendance.objects.exists()
    assert not WorkOutput.objects.exists()
    assert not Photo.objects.exists()
    assert not Household.objects.exists()
    assert not SessionChange.objects.filter(session=session).exists()


def test_a_future_session_may_keep_a_draft(world, session, members, canal):
    save(
        session,
        world["secretary"],
        full_log(members, canal, photos=False),
        today=SESSION_DAY - datetime.timedelta(days=3),
    )
    session.refresh_from_db()
    assert (session.status, session.log_status) == ("planned", "draft")


def test_stale_version_is_refused_and_writes_nothing(world, session, members, canal, settings):
    save(session, world["officer"], logbook.LogInput(notes="first"))
    with pytest.raises(logbook.StaleEditError):
        logbook.session_log_save(
            session=session,
            user=world["secretary"],
            version=1,  # the version the form was opened on, before the officer's save
            data=full_log(members, canal),
            today=TODAY,
        )
    session.refresh_from_db()
    assert (session.notes, session.version) == ("first", 2)
    assert not Attendance.objects.exists()
    assert not WorkOutput.objects.exists()
    assert not Photo.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_same_token_twice_creates_nothing_twice(world, session, members, canal):
    token = uuid.uuid4()
    save(session, world["secretary"], full_log(members, canal), token=token)
    again = logbook.session_log_save(
        session=session,
        user=world["secretary"],
        version=1,  # the re-sent copy carries the same (now old) version
        data=full_log(members, canal),
        token=token,
        today=TODAY,
    )
    assert again.version == 2
    assert Attendance.objects.count() == 2
    assert WorkOutput.objects.count() == 1
    assert Photo.objects.count() == 1
    assert Household.objects.count() == 1
    assert SessionChange.objects.filter(session=session).count() == 1
    assert FormSubmission.objects.filter(token=token).count() == 1


def test_confirmed_log_refuses_save(world, session, members, canal):
    save(session, world["secretary"], full_log(members, canal, photos=False), submit=True)
    session.refresh_from_db()
    logbook.session_log_confirm(session=session, user=world["officer"], version=session.version)
    session.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        save(session, world["secretary"], logbook.LogInput(notes="changed"))
    assert caught.value.code == "locked"
    session.refresh_from_db()
    assert session.notes == "Bà con đề nghị làm tiếp 100 m kênh."
    assert Attendance.objects.count() == 2


def test_household_of_another_village_is_refused(world, session, members, canal):
    elsewhere = factories.household(village=world["other_village"], head_name="Hộ thôn khác")
    data = logbook.LogInput(
        outputs=[
            logbook.OutputInput(
                work_type=canal, quantity=Decimal("1"), unit="house", household=elsewhere
            )
        ]
    )
    with pytest.raises(ValidationError) as caught:
        save(session, world["secretary"], data)
    assert "household" in caught.value.message_dict
    assert not WorkOutput.objects.exists()
    session.refresh_from_db()
    assert session.version == 1


def test_value_without_funding_source_is_refused(world, session, canal):
    data = logbook.LogInput(
        outputs=[
            logbook.OutputInput(work_type=canal, quantity=Decimal("5"), unit="m", value_vnd=10)
        ]
    )
    with pytest.raises(ValidationError):
        save(session, world["secretary"], data)
    assert not WorkOutput.objects.exists()


def test_postponed_session_has_no_log(world, session):
    LabourSession.objects.filter(pk=session.pk).update(status="postponed", status_reason="Mưa")
    session.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        save(session, world["secretary"], logbook.LogInput(notes="x"))
    assert caught.value.code == "not_loggable"


def test_rows_left_out_are_deleted_and_photo_files_go_after_commit(
    world, session, members, canal, django_capture_on_commit_callbacks
):
    save(session, world["secretary"], full_log(members, canal))
    session.refresh_from_db()
    photo = Photo.objects.get()
    storage, names = photo.image.storage, [photo.image.name, photo.thumbnail.name]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        save(
            session,
            world["secretary"],
            logbook.LogInput(attendance={members[0].pk: Decimal("1")}, photo_deletes={photo.pk}),
        )
    assert list(Attendance.objects.values_list("member_id", flat=True)) == [members[0].pk]
    assert not WorkOutput.objects.exists()
    assert not Photo.objects.exists()
    assert all(storage.exists(name) for name in names)  # not before the commit
    for callback in callbacks:
        callback()
    assert not any(storage.exists(name) for name in names)


# --- sign-off -------------------------------------------------------------------------------


@pytest.fixture
def submitted(world, session, members, canal):
    save(session, world["secretary"], full_log(members, canal, photos=False), submit=True)
    session.refresh_from_db()
    return session


def test_confirm_locks_the_log(world, submitted):
    logbook.session_log_confirm(session=submitted, user=world["officer"], version=submitted.version)
    submitted.refresh_from_db()
    assert submitted.log_status == "confirmed"
    assert submitted.log_is_locked
    assert submitted.log_confirmed_by == world["officer"]
    assert submitted.log_confirmed_at is not None
    change = SessionChange.objects.filter(session=submitted).last()
    assert change.action == "log_confirmed"


def test_return_needs_a_comment_and_keeps_it(world, submitted):
    with pytest.raises(ValidationError):
        logbook.session_log_return(
            session=submitted, user=world["officer"], version=submitted.version, comment="  "
        )
    logbook.session_log_return(
        session=submitted,
        user=world["officer"],
        version=submitted.version,
        comment="Thiếu ảnh hiện trường.",
    )
    submitted.refresh_from_db()
    assert (submitted.log_status, submitted.review_comment) == (
        "returned",
        "Thiếu ảnh hiện trường.",
    )
    # A draft save keeps it "returned" (the comment stays in view); a new submit clears that.
    save(submitted, world["secretary"], logbook.LogInput(notes="Đã bổ sung."))
    submitted.refresh_from_db()
    assert submitted.log_status == "returned"
    save(submitted, world["secretary"], logbook.LogInput(notes="Đã bổ sung."), submit=True)
    submitted.refresh_from_db()
    assert submitted.log_status == "submitted"


def test_confirm_and_return_need_a_submitted_log(world, session):
    with pytest.raises(ValidationError) as caught:
        logbook.session_log_confirm(session=session, user=world["officer"], version=session.version)
    assert caught.value.code == "state"
    with pytest.raises(ValidationError):
        logbook.session_log_return(
            session=session, user=world["officer"], version=session.version, comment="x"
        )
    session.refresh_from_db()
    assert (session.log_status, session.version) == ("", 1)


def test_reopen_needs_a_confirmed_log_and_a_reason(world, submitted):
    with pytest.raises(ValidationError):
        logbook.session_log_reopen(
            session=submitted, user=world["officer"], version=submitted.version, reason="x"
        )
    logbook.session_log_confirm(session=submitted, user=world["officer"], version=submitted.version)
    submitted.refresh_from_db()
    with pytest.raises(ValidationError):
        logbook.session_log_reopen(
            session=submitted, user=world["officer"], version=submitted.version, reason=""
        )
    logbook.session_log_reopen(
        session=submitted,
        user=world["officer"],
        version=submitted.version,
        reason="Sai số mét kênh.",
    )
    submitted.refresh_from_db()
    assert submitted.log_status == "returned"
    assert not submitted.log_is_locked
    assert submitted.log_confirmed_at is None
    change = SessionChange.objects.filter(session=submitted).last()
    assert (change.action, change.reason) == ("log_reopened", "Sai số mét kênh.")


def test_sign_off_refuses_a_stale_version(world, submitted):
    with pytest.raises(logbook.StaleEditError):
        logbook.session_log_confirm(
            session=submitted, user=world["officer"], version=submitted.version - 1
        )
    submitted.refresh_from_db()
    assert submitted.log_status == "submitted"


def test_sign_off_token_is_carried_out_once(world, submitted):
    token = uuid.uuid4()
    logbook.session_log_confirm(
        session=submitted, user=world["officer"], version=submitted.version, token=token
    )
    again = logbook.session_log_confirm(
        session=submitted, user=world["officer"], version=submitted.version, token=token
    )
    assert again.log_status == "confirmed"
    assert SessionChange.objects.filter(session=submitted, action="log_confirmed").count() == 1


# --- history of work done -------------------------------------------------------------------


def _output_row(output, **changes) -> logbook.OutputInput:
    """The form's row for ``output`` as it is, with ``changes`` applied."""
    values = {
        "work_type": output.work_type,
        "quantity": output.quantity,
        "unit": output.unit,
        "description": output.description,
        "household": output.household,
        "value_vnd": output.value_vnd,
        "funding_source": output.funding_source,
        "id": output.pk,
    }
    values.update(changes)
    return logbook.OutputInput(**values)


@pytest.mark.parametrize(
    ("field", "make_new", "old_text", "new_text"),
    [
        ("value_vnd", lambda w: 2_750_000, "1.500.000\xa0đ", "2.750.000\xa0đ"),
        ("funding_source", lambda w: "donors", "Cadres' contributions", "Donors (socialisation)"),
        ("description", lambda w: "Lắp 60 m kênh", "Lắp đặt kênh bê tông đúc sẵn", "Lắp 60 m kênh"),
        ("household", lambda w: w["other_household"], "Quan Văn Thính", "Ma Thị Hoa"),
        ("quantity", lambda w: Decimal("62.5"), ": 40 m", ": 62,5 m"),
        ("unit", lambda w: "km", ": 40 m", ": 40 km"),
        ("work_type", lambda w: w["roads"], "Thủy lợi (test)", "Đường giao thông (test)"),
    ],
)
def test_changing_any_field_of_an_output_records_old_and_new(
    world, session, members, canal, field, make_new, old_text, new_text
):
    with translation.override("en"):
        save(session, world["secretary"], full_log(members, canal, photos=False))
        session.refresh_from_db()
        output = WorkOutput.objects.get(session=session)
        hoa = factories.household(village=world["village"], head_name="Ma Thị Hoa")
        extra = {
            "other_household": hoa,
            "roads": WorkType.objects.create(name="Đường giao thông (test)", default_unit="m"),
        }
        data = logbook.LogInput(
            attendance={members[0].pk: Decimal("1"), members[1].pk: Decimal("0.5")},
            unlisted_villagers=25,
            unlisted_commune_cadres=3,
            notes=session.notes,
            outputs=[_output_row(output, **{field: make_new(extra)})],
        )
        save(session, world["secretary"], data)

    change = SessionChange.objects.filter(session=session).last()
    assert change.action == "log_saved"
    assert list(change.changes) == ["outputs"]
    old, new = change.changes["outputs"]
    assert old_text in old and old_text not in new
    assert new_text in new and new_text not in old
    output.refresh_from_db()
    new_value = getattr(output, field)
    assert new_value == make_new(extra) or new_value == make_new(extra).pk


def test_saving_outputs_unchanged_records_no_output_history(world, session, members, canal):
    save(session, world["secretary"], full_log(members, canal, photos=False))
    session.refresh_from_db()
    output = WorkOutput.objects.get(session=session)
    data = logbook.LogInput(notes="Chỉ sửa ghi chú.", outputs=[_output_row(output)])
    save(session, world["secretary"], data)
    change = SessionChange.objects.filter(session=session).last()
    assert "outputs" not in change.changes
    assert change.changes["notes"][1] == "Chỉ sửa ghi chú."
