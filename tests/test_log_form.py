"""The log page /sessions/<id>/log/: who may use it, what a save writes, and that nothing typed
is lost when the page is shown again (errors, search, new rows, stale versions)."""

import datetime
import uuid
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

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
from programs.services import logbook
from tests import factories
from tests.http import signed_in
from tests.queries import pinned_queries

SESSION_DAY = datetime.date(2026, 3, 7)  # a Saturday, in the past for these tests
FUTURE_DAY = datetime.date(2099, 3, 7)


class FormReader(HTMLParser):
    """What a browser without JavaScript would send for the first POST form of a page: every
    named input, select and textarea with its current value (ticked boxes only)."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._done = False
        self._select = None
        self._select_value = None
        self._first_option = None
        self._option = None
        self._textarea = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method") == "post" and not self._done:
            if "data-log-form" in attrs:
                self._in_form = True
            return
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
                return
            self.fields.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_value, self._first_option = name, None, None
        elif tag == "option" and self._select:
            self._option = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = self._option
            if "selected" in attrs:
                self._select_value = self._option
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form, self._done = False, True
        elif tag == "select" and self._select:
            value = self._select_value if self._select_value is not None else self._first_option
            self.fields.append((self._select, value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def browser_data(response) -> dict:
    reader = FormReader()
    reader.feed(response.content.decode())
    data: dict = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


def jpeg(name="kenh.jpg", size=(80, 60)):
    return SimpleUploadedFile(name, factories.jpeg(size), content_type="image/jpeg")


@pytest.fixture
def members(world):
    return [
        factories.member(cell=world["cell"], full_name=name)
        for name in ("Hoàng Văn Thắng", "Ma Thị Hoa", "Quan Văn Bình")
    ]


@pytest.fixture
def canal():
    return WorkType.objects.create(name="Thủy lợi (kênh mương) test", default_unit="m")


@pytest.fixture
def url(session):
    return reverse("programs:session-log", args=[session.pk])


def _fill(data, members, canal, **extra):
    """A full log as the secretary would type it: three people, 40 m of canal."""
    for member in members:
        data[f"came_{member.pk}"] = "on"
    data[f"workdays_{members[2].pk}"] = "0.5"
    data.update(
        {
            "outputs-0-work_type": str(canal.pk),
            "outputs-0-description": "Lắp đặt kênh bê tông đúc sẵn",
            "outputs-0-quantity": "40",
            "outputs-0-unit": "",
            "outputs-0-value_vnd": "2000000",
            "outputs-0-funding_source": "state",
            "unlisted_villagers": "30",
            "notes": "Bà con đề nghị làm tiếp đoạn kênh còn lại.",
        }
    )
    data.update(extra)
    return data


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretary", "officer", "admin"])
def test_log_page_for_those_who_log(client, world, session, url, members, who):
    response = signed_in(client, world[who]).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phiêng Luông" in page
    assert "Ma Thị Hoa" in page
    assert 'value="submit"' in page


def test_other_cells_secretary_gets_404(client, world, url):
    assert signed_in(client, world["secretary2"]).get(url).status_code == 404
    assert signed_in(client, world["secretary2"]).post(url, {"action": "draft"}).status_code == 404


def test_viewer_gets_403_and_writes_nothing(client, world, session, url, members, canal):
    signed_in(client, world["secretary"])
    data = _fill(browser_data(client.get(url)), members, canal, action="submit")
    signed_in(client, world["viewer"])
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    session.refresh_from_db()
    assert (session.status, session.log_status, session.version) == ("planned", "", 1)
    assert not Attendance.objects.exists()


def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- a full save ------------------------------------------------------------------------------


def test_full_submit_writes_everything(client, world, session, url, members, canal):
    signed_in(client, world["secretary"])
    client.cookies.load({"django_language": "en"})
    household = factories.household(village=world["village"], head_name="Quan Văn Thính")
    data = _fill(browser_data(client.get(url)), members, canal, action="submit")
    data["outputs-0-household"] = str(household.pk)
    data["photos-0-image"] = jpeg()
    data["photos-0-caption"] = "Lắp kênh ở Phiêng Luông"
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()

    session.refresh_from_db()
    assert (session.status, session.log_status, session.version) == ("held", "submitted", 2)
    assert session.log_submitted_by == world["secretary"]
    assert session.unlisted_villagers == 30
    assert session.notes == "Bà con đề nghị làm tiếp đoạn kênh còn lại."
    workdays = dict(Attendance.objects.values_list("member__full_name", "workdays"))
    assert workdays == {
        "Hoàng Văn Thắng": Decimal("1"),
        "Ma Thị Hoa": Decimal("1"),
        "Quan Văn Bình": Decimal("0.5"),
    }
    output = WorkOutput.objects.get(session=session)
    assert (output.work_type, output.quantity, output.unit, output.household) == (
        canal,
        Decimal("40"),
        "m",
        household,
    )
    assert (output.value_vnd, output.funding_source) == (2_000_000, "state")
    photo = Photo.objects.get(session=session)
    assert photo.caption == "Lắp kênh ở Phiêng Luông"
    assert photo.thumbnail.name
    assert SessionChange.objects.filter(session=session, action="log_submitted").count() == 1

    follow = client.get(response["Location"])
    assert "The log was submitted for confirmation." in follow.content.decode()


def test_draft_with_a_new_household_then_edit_rows(client, world, session, url, members, canal):
    signed_in(client, world["secretary"])
    data = _fill(browser_data(client.get(url)), members, canal, action="draft")
    data["outputs-0-new_household_name"] = "Hộ ông Quan Văn Thính"
    data["outputs-0-new_household_status"] = "poor"
    assert client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert (session.status, session.log_status) == ("planned", "draft")
    new_household = Household.objects.get(head_name="Hộ ông Quan Văn Thính")
    assert (new_household.village, new_household.status) == (world["village"], "poor")
    assert WorkOutput.objects.get().household == new_household

    # The page now shows the saved row; remove it and untick one person.
    page = client.get(url)
    data = browser_data(page)
    assert data["outputs-0-quantity"] == "40"
    assert data[f"came_{members[0].pk}"] == "on"
    assert data["outputs-0-household"] == str(new_household.pk)
    data["outputs-0-DELETE"] = "on"
    del data[f"came_{members[0].pk}"]
    data["action"] = "draft"
    assert client.post(url, data).status_code == 302
    assert not WorkOutput.objects.exists()
    assert set(Attendance.objects.values_list("member_id", flat=True)) == {
        members[1].pk,
        members[2].pk,
    }


# --- errors keep what was typed ---------------------------------------------------------------


def test_validation_errors_keep_typed_values(client, world, session, url, members, canal):
    signed_in(client, world["secretary"])
    client.cookies.load({"django_language": "en"})
    data = _fill(browser_data(client.get(url)), members, canal, action="submit")
    data["outputs-0-quantity"] = "0"
    data[f"workdays_{members[1].pk}"] = "4"
    data["outputs-0-funding_source"] = ""
    data["notes"] = "Ý kiến của bà con được giữ nguyên"
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The quantity must be greater than zero." in page
    assert "At most 3 workdays for one person." in page
    assert "Say who funded the value given." in page
    assert "Nothing was saved." in page
    kept = browser_data(response)
    assert kept["notes"] == "Ý kiến của bà con được giữ nguyên"
    assert kept["outputs-0-description"] == "Lắp đặt kênh bê tông đúc sẵn"
    assert kept["outputs-0-work_type"] == str(canal.pk)
    assert kept[f"workdays_{members[1].pk}"] == "4"
    assert kept[f"workdays_{members[2].pk}"] == "0.5"
    assert kept["unlisted_villagers"] == "30"
    assert all(kept[f"came_{m.pk}"] == "on" for m in members)
    session.refresh_from_db()
    assert (session.version, session.log_status) == (1, "")
    assert not Attendance.objects.exists()


def test_validation_messages_in_vietnamese(client, world, session, url, members, canal):
    signed_in(client, world["secretary"])
    client.cookies.load({"django_language": "vi"})
    data = _fill(browser_data(client.get(url)), members, canal, action="draft")
    data["outputs-0-quantity"] = "bốn mươi"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Nhập một số." in response.content.decode()  # "Enter a number."
    assert browser_data(response)["outputs-0-quantity"] == "bốn mươi"
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-3", "Giá trị phải lớn hơn hoặc bằng 0."),
        ("20000", "Giá trị phải nhỏ hơn hoặc bằng 10000."),
    ],
)
def test_limit_messages_in_our_vietnamese(
    client, world, session, url, members, canal, value, message
):
    """Django's own Vietnamese writes these with a space before the full stop (" 0 .")."""
    signed_in(client, world["secretary"])
    client.cookies.load({"django_language": "vi"})
    data = _fill(browser_data(client.get(url)), members, canal, action="draft")
    data["unlisted_villagers"] = value
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert " ." not in page
    session.refresh_from_db()
    assert session.version == 1


def test_unticked_person_keeps_no_workdays_error(client, world, session, url, members, canal):
    signed_in(client, world["secretary"])
    data = _fill(browser_data(client.get(url)), members, canal, action="draft")
    del data[f"came_{members[1].pk}"]
    data[f"workdays_{members[1].pk}"] = "9"  # ignored: this person did not come
    assert client.post(url, data).status_code == 302
    assert Attendance.objects.count() == 2


def test_future_session_submit_is_a_non_field_error(client, world, url, session, members, canal):
    LabourSession.objects.filter(pk=session.pk).update(date=FUTURE_DAY - datetime.timedelta(1))
    signed_in(client, world["secretary"])
    client.cookies.load({"django_language": "en"})
    page = client.get(url)
    assert 'value="submit"' not in page.content.decode()  # the button is not offered
    data = _fill(browser_data(page), members, canal, action="submit")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "in the future: it cannot be logged as held yet" in response.content.decode()
    assert browser_data(response)["notes"] == data["notes"]
    session.refresh_from_db()
    assert (session.status, session.log_status, session.version) == ("planned", "", 1)


def test_household_from_another_village_is_refused(client, world, session, url, members, canal):
    elsewhere = factories.household(village=world["other_village"], head_name="Hộ Nà Coóc")
    signed_in(client, world["secretary"])
    client.cookies.load({"django_language": "en"})
    page = client.get(url)
    assert "Hộ Nà Coóc" not in page.content.decode()
    data = _fill(browser_data(page), members, canal, action="draft")
    data["outputs-0-household"] = str(elsewhere.pk)  # tampered
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Choose a household of the session&#x27;s village from the list." in (
        response.content.decode()
    )
    assert not WorkOutput.objects.exists()


def test_bad_upload_keeps_the_rest(client, world, session, url, members, canal):
    signed_in(client, world["secretary"])
    client.cookies.load({"django_language": "en"})
    data = _fill(browser_data(client.get(url)), members, canal, action="submit")
    data["photos-0-image"] = SimpleUploadedFile(
        "not-a-photo.jpg", b"%PDF-1.4 not an image" * 10, content_type="image/jpeg"
    )
    data["photos-0-caption"] = "Ảnh lỗi"
    data["photos-1-image"] = jpeg("good.jpg")
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "not-a-photo.jpg is not a photo" in page
    assert "Please choose them again." in page
    kept = browser_data(response)
    assert kept["photos-0-caption"] == "Ảnh lỗi"
    assert kept["outputs-0-quantity"] == "40"
    assert kept["notes"] == data["notes"]
    assert not Photo.objects.exists()
    assert not Attendance.objects.exists()
    session.refresh_from_db()
    assert session.version == 1


def test_oversized_upload_is_refused_on_its_slot(client, world, url, members, canal, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 200
    signed_in(client, world["secretary"])
    client.cookies.load({"django_language": "en"})
    data = _fill(browser_data(client.get(url)), members, canal, action="draft")
    data["photos-2-image"] = jpeg("huge.jpg", size=(300, 300))
    response = client.post(url, data)
    assert "huge.jpg is too large" in response.content.decode()
    assert not Photo.objects.exists()


# --- stale and re-sent forms ------------------------------------------------------------------


def test_stale_version_is_refused_and_typed_data_stays(client, world, session, url, members, canal):
    signed_in(client, world["secretary"])
    client.cookies.load({"django_language": "en"})
    data = _fill(browser_data(client.get(url)), members, canal, action="draft")
    # Meanwhile the officer saves the log from another device.
    logbook.session_log_save(
        session=session,
        user=world["officer"],
        version=1,
        data=logbook.LogInput(notes="Officer's note"),
    )
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this log while you were editing it." in page
    kept = browser_data(response)
    assert kept["notes"] == "Bà con đề nghị làm tiếp đoạn kênh còn lại."  # typed, not the DB's
    assert kept["outputs-0-quantity"] == "40"
    assert kept["version"] == "2"  # a deliberate second save may now replace the log
    session.refresh_from_db()
    assert (session.notes, session.version) == ("Officer's note", 2)
    assert not Attendance.objects.exists()

    kept["action"] = "draft"
    assert client.post(url, kept).status_code == 302
    session.refresh_from_db()
    assert session.notes == "Bà con đề nghị làm tiếp đoạn kênh còn lại."
    assert Attendance.objects.count() == 3


def test_double_submit_creates_nothing_twice(client, world, session, url, members, canal):
    signed_in(client, world["secretary"])
    data = _fill(browser_data(client.get(url)), members, canal, action="submit")
    data["photos-0-image"] = jpeg()
    first = client.post(url, data)
    data["photos-0-image"] = jpeg()  # the phone sends the same form again
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == session.get_absolute_url()
    assert Attendance.objects.count() == 3
    assert WorkOutput.objects.count() == 1
    assert Photo.objects.count() == 1
    assert FormSubmission.objects.filter(token=data["token"]).count() == 1
    assert SessionChange.objects.filter(session=session).count() == 1
    session.refresh_from_db()
    assert session.version == 2


# --- re-renders that do not save --------------------------------------------------------------


def test_find_adds_people_from_other_cells_without_saving(
    client, world, session, url, members, canal
):
    other = factories.member(cell=world["other_cell"], full_name="Đặng Thị Nguyệt")
    commune_cadre = factories.member(cell=None, full_name="Đặng Văn Nguyên")
    factories.member(cell=world["other_cell"], full_name="Đặng Văn Cũ", active=False)
    signed_in(client, world["secretary"])
    client.cookies.load({"django_language": "en"})
    data = _fill(browser_data(client.get(url)), members, canal, action="find", search="dang")
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đặng Thị Nguyệt" in page
    assert "Đặng Văn Nguyên" in page
    assert "Đặng Văn Cũ" not in page
    assert "Chi bộ Tư pháp" in page  # the found person's own cell
    assert "Not saved yet" in page
    assert "field__errors" not in page  # a search does not judge the form
    kept = browser_data(response)
    assert kept["notes"] == data["notes"]
    assert kept["outputs-0-quantity"] == "40"
    assert f"came_{other.pk}" not in kept  # listed, not ticked
    assert kept[f"workdays_{other.pk}"] == "1"  # with the usual one workday ready
    assert session.version == LabourSession.objects.get(pk=session.pk).version == 1

    # Tick the person found and search for someone else: the first stays listed and ticked.
    kept[f"came_{other.pk}"] = "on"
    kept.update(action="find", search="Nguyen")
    again = browser_data(client.post(url, kept))
    assert again[f"came_{other.pk}"] == "on"
    assert f"workdays_{commune_cadre.pk}" in again

    again["action"] = "submit"
    assert client.post(url, again).status_code == 302
    row = Attendance.objects.get(member=other)
    assert (row.session, row.category) == (session, other.category)
    # A person from another cell who was recorded is listed on the next visit.
    assert "Đặng Thị Nguyệt" in client.get(url).content.decode()


def test_find_limits_results_and_skips_listed_people(client, world, url, members):
    for n in range(25):
        factories.member(cell=world["other_cell"], full_name=f"Lò Văn {n:02d}")
    signed_in(client, world["secretary"])
    data = browser_data(client.get(url))
    data.update(action="find", search="lo van")
    response = client.post(url, data)
    assert len(response.context["found"]) == 20
    data.update(browser_data(response), action="find", search="lo van")
    second = client.post(url, data)
    found_again = {m.pk for m in second.context["found"]}
    assert len(found_again) == 5
    assert not found_again & {m.pk for m in response.context["found"]}


def test_add_output_adds_an_empty_row_and_keeps_everything(
    client, world, session, url, members, canal
):
    signed_in(client, world["secretary"])
    data = _fill(browser_data(client.get(url)), members, canal, action="add_output")
    data["outputs-0-quantity"] = ""  # half-filled: not judged on this re-render
    response = client.post(url, data)
    assert response.status_code == 200
    kept = browser_data(response)
    assert kept["outputs-TOTAL_FORMS"] == "2"
    assert kept["outputs-0-description"] == "Lắp đặt kênh bê tông đúc sẵn"
    assert kept["outputs-1-description"] == ""
    assert "field__errors" not in response.content.decode()
    assert not WorkOutput.objects.exists()

    kept.update(
        {
            "outputs-0-quantity": "40",
            "outputs-1-work_type": str(canal.pk),
            "outputs-1-quantity": "1",
            "outputs-1-unit": "house",
            "action": "draft",
        }
    )
    assert client.post(url, kept).status_code == 302
    assert sorted(WorkOutput.objects.values_list("unit", flat=True)) == ["house", "m"]


def test_add_photo_adds_an_upload_slot(client, world, url):
    signed_in(client, world["secretary"])
    data = browser_data(client.get(url))
    assert data["photos-TOTAL_FORMS"] == "3"
    data["action"] = "add_photo"
    kept = browser_data(client.post(url, data))
    assert kept["photos-TOTAL_FORMS"] == "4"


# --- locked and closed logs -------------------------------------------------------------------


def test_confirmed_log_is_read_only(client, world, session, url, members, canal):
    signed_in(client, world["secretary"])
    client.cookies.load({"django_language": "en"})
    data = _fill(browser_data(client.get(url)), members, canal, action="submit")
    assert client.post(url, data).status_code == 302
    session.refresh_from_db()
    logbook.session_log_confirm(session=session, user=world["officer"], version=session.version)
    session.refresh_from_db()

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "This log is confirmed and locked" in text
    assert session.get_absolute_url() in text
    assert "data-log-form" not in text

    data.update(token=str(uuid.uuid4()), version=str(session.version), notes="changed")
    refused = client.post(url, data)
    assert refused.status_code == 403
    assert "your changes were not saved" in refused.content.decode()
    session.refresh_from_db()
    assert session.notes == "Bà con đề nghị làm tiếp đoạn kênh còn lại."
    assert session.log_status == "confirmed"


@pytest.mark.parametrize("status", ["postponed", "cancelled"])
def test_postponed_or_cancelled_session_has_no_form(client, world, session, url, status):
    LabourSession.objects.filter(pk=session.pk).update(status=status, status_reason="Mưa lũ")
    signed_in(client, world["secretary"])
    client.cookies.load({"django_language": "en"})
    page = client.get(url)
    assert page.status_code == 200
    assert "This session has no log" in page.content.decode()
    assert "data-log-form" not in page.content.decode()
    assert client.post(url, {"action": "draft", "version": "1"}).status_code == 403


def test_returned_log_shows_the_officers_comment(client, world, session, url, members, canal):
    signed_in(client, world["secretary"])
    data = _fill(browser_data(client.get(url)), members, canal, action="submit")
    client.post(url, data)
    session.refresh_from_db()
    logbook.session_log_return(
        session=session, user=world["officer"], version=session.version, comment="Thiếu ảnh."
    )
    page = client.get(url).content.decode()
    assert "Thiếu ảnh." in page
    assert "data-log-form" in page


# --- escaping ---------------------------------------------------------------------------------


def test_typed_text_is_escaped(client, world, session, url, members, canal):
    attack = "<script>alert(1)</script>"
    signed_in(client, world["secretary"])
    data = _fill(browser_data(client.get(url)), members, canal, action="draft")
    data.update({"notes": attack, "outputs-0-description": attack})
    data["photos-0-image"] = jpeg()
    data["photos-0-caption"] = attack
    assert client.post(url, data).status_code == 302
    LabourSession.objects.filter(pk=session.pk).update(review_comment=attack, log_status="returned")
    page = client.get(url).content.decode()
    assert attack not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4
    # And on a re-render from the posted data.
    data = browser_data(client.get(url))
    data.update(action="find", search=attack)
    page = client.post(url, data).content.decode()
    assert attack not in page


# --- queries do not grow with the log ---------------------------------------------------------


def _grow(world, session, *, members, outputs, photos):
    work_type = WorkType.objects.create(name=f"Loại {uuid.uuid4().hex[:6]}", default_unit="m")
    cell_members = [
        factories.member(cell=world["cell"], full_name=f"Thành viên {n}") for n in range(members)
    ]
    outsider = factories.member(cell=world["other_cell"], full_name="Người chi bộ khác")
    for member in [*cell_members[:2], outsider]:
        row = Attendance(session=session, member=member, workdays=Decimal("1"))
        row.copy_from_member()
        row.save()
    for n in range(outputs):
        WorkOutput.objects.create(
            session=session,
            work_type=work_type,
            quantity=Decimal("5"),
            unit="m",
            household=factories.household(village=world["village"]),
            value_vnd=100_000,
            funding_source="state",
            description=f"Việc {n}",
        )
    for n in range(photos):
        Photo.objects.create(
            session=session, image=f"sessions/p{n}.jpg", thumbnail=f"sessions/p{n}-t.jpg"
        )


# The log page's queries (tests.queries), with a small log and with a cell of sixty: shown,
# shown again after "Add a row" (the one-time token is looked up on every POST), and shown
# again with an error. Villagers' opinions added two: the rows, and the commune's villages.
SHOWN, SHOWN_AGAIN, WITH_AN_ERROR = 13, 14, 14


def _render_pinned(client, url):
    """Show the log page, add a row, then send it with an error, each with its pinned count;
    the first response and the last."""
    with pinned_queries(SHOWN):
        shown = client.get(url)
        assert shown.status_code == 200
    data = browser_data(shown)
    data["action"] = "add_output"
    with pinned_queries(SHOWN_AGAIN):
        assert client.post(url, data).status_code == 200
    data.update(action="draft", notes="x")
    data["outputs-0-quantity"] = "-1"  # an error: the page is shown again, nothing saved
    with pinned_queries(WITH_AN_ERROR):
        response = client.post(url, data)
        assert response.status_code == 200
    return shown, response


def test_query_count_does_not_grow_with_the_log(client, world, session, url):
    signed_in(client, world["secretary"])
    _grow(world, session, members=3, outputs=1, photos=1)
    client.get(url)  # warm up
    _render_pinned(client, url)
    assert SHOWN_AGAIN == SHOWN + 1

    _grow(world, session, members=57, outputs=19, photos=19)
    assert Member.objects.filter(cell=world["cell"]).count() == 60
    assert WorkOutput.objects.filter(session=session).count() == 20
    assert Photo.objects.filter(session=session).count() == 20
    shown, response = _render_pinned(client, url)
    assert len(shown.context["attendance_form"].members) == 62  # + two from other cells
    # 20 rows, one blank one, and the blank row the script copies for "Add a row".
    assert response.content.decode().count("<fieldset data-output-row") == 22
