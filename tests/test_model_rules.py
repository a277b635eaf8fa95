"""The friendly side of the data rules: ``full_clean()`` explains what is wrong."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from programs.models import LabourSession
from programs.models.directives import Weekday, weekdays_to_mask
from programs.text import fold
from tests import factories


def _session(world, **kw):
    return LabourSession(
        cell=world["cell"], village=world["village"], directive=world["directive"], **kw
    )


def test_session_on_weekday_names_allowed_days(world):
    session = _session(world, date=datetime.date(2026, 3, 4))  # a Wednesday
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        session.full_clean()
    message = " ".join(caught.value.message_dict["date"])
    assert "Saturday" in message
    assert "Sunday" in message
    assert "54-KH/HU" in message


def test_session_before_directive_in_force_is_refused(world):
    session = _session(world, date=datetime.date(2021, 5, 1))  # a Saturday, before 1/6/2021
    with pytest.raises(ValidationError) as caught:
        session.full_clean()
    assert "date" in caught.value.message_dict


def test_session_on_allowed_day_is_valid(world):
    _session(world, date=datetime.date(2026, 3, 8)).full_clean()  # a Sunday


def test_postponed_session_needs_reason(world):
    session = _session(world, date=datetime.date(2026, 3, 7), status="postponed")
    with pytest.raises(ValidationError) as caught:
        session.full_clean()
    assert "status_reason" in caught.value.message_dict


def test_directive_weekday_mask_round_trip(db):
    directive = factories.directive(
        allowed_weekdays=weekdays_to_mask([Weekday.FRIDAY, Weekday.SUNDAY])
    )
    assert directive.weekdays == [Weekday.FRIDAY, Weekday.SUNDAY]
    assert directive.allows_weekday(datetime.date(2026, 3, 6))
    assert not directive.allows_weekday(datetime.date(2026, 3, 7))


def test_village_label_keeps_names_of_the_day(world):
    province = world["province"]
    old_district = world["district"]
    old_commune = world["commune"]
    new_commune = factories.commune(
        province=province, name="Bình An", valid_from=datetime.date(2025, 7, 1)
    )
    village = factories.village(commune=new_commune, name="Chẩu Quân")
    village.names.create(
        name="Chẩu Quân", commune=old_commune, valid_until=datetime.date(2025, 6, 30)
    )
    assert old_district.name == "Lâm Bình"
    assert village.label_on(datetime.date(2022, 5, 1)) == (
        "thôn Chẩu Quân, xã Bình An, huyện Lâm Bình, tỉnh Tuyên Quang"
    )
    assert (
        village.label_on(datetime.date(2025, 7, 1))
        == "thôn Chẩu Quân, xã Bình An, tỉnh Tuyên Quang"
    )


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nà Coóc", "na cooc"),
        ("Đảng ủy Cơ quan", "dang uy co quan"),
        ("  Quan   Văn Thính ", "quan van thinh"),
        ("Chẩu Quân", "chau quan"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_search_name_follows_renames(world):
    village = world["village"]
    village.name = "Nà Muông"
    village.save(update_fields=["name"])
    village.refresh_from_db()
    assert village.search_name == "na muong"
