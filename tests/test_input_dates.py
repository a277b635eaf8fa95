"""Dates, periods and row counts a phone or a forged form can send: each gets a message in the
user's language, never a server error; and a one-off session on a public holiday needs a
confirmation that names the holiday."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from programs.forms.logbook import NEW_PHOTOS_MAX, OUTPUT_ROWS_MAX
from programs.models import LabourSession, SessionChange, WorkOutput
from programs.planning import Month, holiday_name
from programs.reports.periods import PeriodError, date_window, parse_period
from tests import factories
from tests.test_log_form import browser_data

TODAY = datetime.date(2026, 12, 3)
TET = datetime.date(2027, 2, 6)  # Saturday, Tết Nguyên Đán
ORDINARY_SATURDAY = datetime.date(2027, 2, 13)
ORDINARY_SUNDAY = datetime.date(2027, 2, 21)
IMPOSSIBLE_DATES = [
    "",
    "2027-02-30",
    "0000-01-01",
    "99999-01-01",
    "abc",
    "0001-01-01",
    "9999-12-31",
]


def _form_data(world, **overrides):
    return factories.session_form(world, ORDINARY_SATURDAY, **overrides)


@pytest.fixture
def officer(client, world):
    client.force_login(world["officer"])
    return client


@pytest.fixture
def session(world):
    return factories.world_session(
        world,
        date=ORDINARY_SATURDAY,
    )


# --- Impossible dates in the session forms -------------------------------------------------


@pytest.mark.parametrize("value", IMPOSSIBLE_DATES)
def test_new_session_with_an_impossible_date_is_a_form_error(officer, world, value):
    response = officer.post(reverse("programs:session-create"), _form_data(world, date=value))
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert not LabourSession.objects.exists()


def test_empty_date_names_the_missing_date_in_vietnamese(officer, world):
    response = officer.post(reverse("programs:session-create"), _form_data(world, date=""))
    assert response.context["form"].errors["date"] == ["Chọn ngày."]


def test_a_date_outside_the_window_names_the_window(officer, world):
    first, last = date_window(timezone.localdate())
    response = officer.post(
        reverse("programs:session-create"),
        _form_data(world, date=(last + datetime.timedelta(days=1)).isoformat()),
    )
    assert response.context["form"].errors["date"] == [
        f"Chọn ngày trong khoảng từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}."
    ]


@pytest.mark.parametrize("value", IMPOSSIBLE_DATES)
def test_editing_a_session_to_an_impossible_date_changes_nothing(officer, world, session, value):
    response = officer.post(
        reverse("programs:session-edit", args=[session.pk]),
        _form_data(world, date=value, version=session.version),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    session.refresh_from_db()
    assert session.date == ORDINARY_SATURDAY
    assert session.version == 1


@pytest.mark.parametrize("value", [v for v in IMPOSSIBLE_DATES if v])
def test_postponing_to_an_impossible_date_changes_nothing(officer, session, value):
    response = officer.post(
        reverse("programs:session-postpone", args=[session.pk]),
        {"reason": "Mưa lớn", "new_date": value, "version": session.version},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_date"]
    session.refresh_from_db()
    assert session.status == LabourSession.Status.PLANNED
    assert LabourSession.objects.count() == 1


@pytest.mark.parametrize("value", ["0001-01", "9999-12", "2027-13", "abc", "0000-00"])
def test_planner_month_outside_the_window_is_a_form_error(officer, world, value):
    response = officer.get(
        reverse("programs:session-plan"),
        {"committee": world["committee"].pk, "directive": world["directive"].pk, "month": value},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["month"]
    assert response.context["preview"] is None


@pytest.mark.parametrize("value", ["2027-02-30", "0000-01-01", "99999-01-01", "abc"])
def test_planner_override_with_an_impossible_date_creates_nothing(officer, world, value):
    response = officer.post(reverse("programs:session-plan"), _plan_data(world, value))
    assert response.status_code == 200
    assert response.context["cell_errors"] == {world["cell"].pk: "Nhập ngày hợp lệ."}
    assert not LabourSession.objects.exists()


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_planner_override_outside_the_month_skips_only_that_cell(officer, world, value):
    response = officer.post(reverse("programs:session-plan"), _plan_data(world, value))
    assert response.status_code == 302
    assert not LabourSession.objects.filter(cell=world["cell"]).exists()
    assert LabourSession.objects.filter(cell=world["other_cell"]).count() == 1


def _plan_data(world, override):
    return {
        "committee": world["committee"].pk,
        "directive": world["directive"].pk,
        "month": str(Month.of(timezone.localdate()).next()),
        "preferred_week": 1,
        "start_time": "07:30",
        f"date_{world['cell'].pk}": override,
    }


# --- Report periods ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"period": "custom", "from": "0001-01-01", "to": "9999-12-31"},
        {"period": "custom", "from": "0001-01-01", "to": "0001-12-31"},
        {"period": "custom", "from": "9999-01-01", "to": "9999-12-31"},
        {"period": "custom", "from": "1999-12-31", "to": "2000-01-31"},
        {"period": "year", "year": "1900"},
        {"period": "year", "year": "2200"},
        {"period": "month", "month": "1999-12"},
        {"period": "quarter", "month": "2200-12"},
    ],
)
def test_a_period_outside_the_window_is_refused_with_its_limits(params):
    with pytest.raises(PeriodError, match="01/01/2000"):
        parse_period(params, TODAY)


def test_the_earliest_period_compares_with_the_year_before_without_overflow():
    period = parse_period({"period": "custom", "from": "2000-01-01", "to": "2000-02-29"}, TODAY)
    assert period.previous_year().start == datetime.date(1999, 1, 1)
    assert period.previous_year().end == datetime.date(1999, 2, 28)
    last = parse_period({"period": "year", "year": "2031"}, TODAY)
    assert last.end == date_window(TODAY)[1]


@pytest.mark.parametrize(
    "url", ["/reports/", "/reports/print/", "/reports/sessions.csv", "/reports/sessions.xlsx"]
)
def test_report_pages_refuse_year_1_and_9999_with_a_message(officer, world, url):
    response = officer.get(
        url,
        {
            "committee": world["committee"].pk,
            "period": "custom",
            "from": "0001-01-01",
            "to": "9999-12-31",
        },
    )
    assert response.status_code in (200, 400)
    assert "01/01/2000" in response.content.decode()


# --- Formsets: a forged row count -----------------------------------------------------------


def _log_post(client, session):
    url = reverse("programs:session-log", args=[session.pk])
    return url, browser_data(client.get(url))


@pytest.mark.parametrize("action", ["draft", "add_output"])
def test_a_forged_output_row_count_renders_at_most_the_limit(client, world, session, action):
    client.force_login(world["secretary"])
    url, data = _log_post(client, session)
    data.update({"outputs-TOTAL_FORMS": "100000", "action": action})
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    rows = set(re.findall(r'name="outputs-(\d+)-work_type"', html))
    assert len(rows) == OUTPUT_ROWS_MAX
    assert f"Mỗi buổi lao động ghi tối đa {OUTPUT_ROWS_MAX} dòng phần việc" in html
    assert not WorkOutput.objects.exists()
    session.refresh_from_db()
    assert session.version == 1


def test_a_forged_photo_slot_count_is_refused(client, world, session):
    client.force_login(world["secretary"])
    url, data = _log_post(client, session)
    data.update({"photos-TOTAL_FORMS": "100000", "action": "draft"})
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(set(re.findall(r'name="photos-(\d+)-caption"', html))) == NEW_PHOTOS_MAX
    assert f"Mỗi lần chỉ thêm được tối đa {NEW_PHOTOS_MAX} ảnh" in html
    session.refresh_from_db()
    assert session.version == 1


def test_adding_a_row_at_the_limit_keeps_the_limit(client, world, session):
    client.force_login(world["secretary"])
    url, data = _log_post(client, session)
    data.update({"outputs-TOTAL_FORMS": str(OUTPUT_ROWS_MAX), "action": "add_output"})
    html = client.post(url, data).content.decode()
    assert len(set(re.findall(r'name="outputs-(\d+)-work_type"', html))) == OUTPUT_ROWS_MAX


@pytest.mark.parametrize("value", ["²", "١٢", "9" * 40, "-1"])
def test_odd_digits_in_the_log_ids_and_counts_are_ignored(client, world, session, value):
    client.force_login(world["secretary"])
    url, data = _log_post(client, session)
    data.update({"outputs-TOTAL_FORMS": value, "listed": value, "action": "add_output"})
    assert client.post(url, data).status_code == 200


# --- Public holidays -------------------------------------------------------------------------


def test_tet_is_a_holiday_and_an_ordinary_saturday_is_not():
    with translation.override("vi"):
        assert holiday_name(TET) == "Tết Nguyên Đán"
    with translation.override("en"):
        assert holiday_name(TET) == "Lunar New Year"
    assert holiday_name(ORDINARY_SATURDAY) is None


def test_new_session_on_tet_asks_for_a_confirmation_naming_the_holiday(officer, world):
    response = officer.post(
        reverse("programs:session-create"), _form_data(world, date="2027-02-06")
    )
    assert response.status_code == 200
    assert not LabourSession.objects.exists()
    html = response.content.decode()
    assert "06/02/2027 là ngày nghỉ lễ: Tết Nguyên Đán." in html
    assert 'name="confirm_holiday"' in html
    assert "Vẫn lên lịch vào ngày lễ" in html


def test_new_session_on_tet_is_created_once_confirmed(officer, world):
    response = officer.post(
        reverse("programs:session-create"),
        _form_data(world, date="2027-02-06", confirm_holiday="on"),
    )
    session = LabourSession.objects.get()
    assert response.status_code == 302
    assert session.date == TET


def test_an_ordinary_weekend_needs_no_confirmation(officer, world):
    form_page = officer.get(reverse("programs:session-create")).content.decode()
    assert 'name="confirm_holiday"' not in form_page
    response = officer.post(
        reverse("programs:session-create"), _form_data(world, date=ORDINARY_SUNDAY.isoformat())
    )
    assert response.status_code == 302
    assert LabourSession.objects.get().date == ORDINARY_SUNDAY


def test_the_confirmation_box_stays_ticked_when_another_field_is_wrong(officer, world):
    response = officer.post(
        reverse("programs:session-create"),
        _form_data(world, date="2027-02-06", confirm_holiday="on", start_time="25:99"),
    )
    form = response.context["form"]
    assert "confirm_holiday" not in form.errors
    assert 'name="confirm_holiday" id="id_confirm_holiday" checked' in response.content.decode()


def test_moving_a_session_onto_tet_needs_the_confirmation(officer, world, session):
    url = reverse("programs:session-edit", args=[session.pk])
    refused = officer.post(url, _form_data(world, date="2027-02-06", version=1))
    assert refused.status_code == 200
    assert "confirm_holiday" in refused.context["form"].errors
    session.refresh_from_db()
    assert (session.date, session.version) == (ORDINARY_SATURDAY, 1)

    accepted = officer.post(
        url, _form_data(world, date="2027-02-06", version=1, confirm_holiday="1")
    )
    assert accepted.status_code == 302
    session.refresh_from_db()
    assert (session.date, session.version) == (TET, 2)
    assert SessionChange.objects.filter(session=session, action="updated").exists()


def test_editing_a_confirmed_holiday_session_does_not_ask_again(officer, world):
    on_tet = factories.world_session(world, date=TET)
    response = officer.post(
        reverse("programs:session-edit", args=[on_tet.pk]),
        _form_data(world, date=TET.isoformat(), version=1, planned_work="Dọn vệ sinh"),
    )
    assert response.status_code == 302
    on_tet.refresh_from_db()
    assert on_tet.planned_work == "Dọn vệ sinh"


def test_postponing_to_tet_needs_the_confirmation(officer, session):
    url = reverse("programs:session-postpone", args=[session.pk])
    refused = officer.post(url, {"reason": "Mưa", "new_date": "2027-02-06", "version": 1})
    assert refused.status_code == 200
    assert "06/02/2027 là ngày nghỉ lễ: Tết Nguyên Đán." in refused.content.decode()
    session.refresh_from_db()
    assert session.status == LabourSession.Status.PLANNED
    assert LabourSession.objects.count() == 1

    accepted = officer.post(
        url, {"reason": "Mưa", "new_date": "2027-02-06", "version": 1, "confirm_holiday": "on"}
    )
    assert accepted.status_code == 302
    session.refresh_from_db()
    assert session.status == LabourSession.Status.POSTPONED
    assert session.rescheduled_as.date == TET


def test_the_holiday_is_named_in_english_for_an_english_user(client, world):
    client.force_login(world["officer"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(reverse("programs:session-create"), _form_data(world, date="2027-02-06"))
    assert "06/02/2027 is a public holiday: Lunar New Year." in response.content.decode()
