"""The month planner's choice of dates (no database)."""

import datetime

import pytest
from django.utils import translation

from programs.models.directives import Weekday
from programs.planning import LAST_WEEK, Month, choose_dates, months_between, public_holidays

WEEKEND = [Weekday.SATURDAY, Weekday.SUNDAY]
D = datetime.date


def test_month_parse_and_edges():
    month = Month.parse("2027-02")
    assert (month.first, month.last) == (D(2027, 2, 1), D(2027, 2, 28))
    assert Month.parse("2028-02").last == D(2028, 2, 29)
    assert str(Month.parse("2026-12").next()) == "2027-01"
    assert str(Month.parse("2027-01").previous()) == "2026-12"
    assert Month.parse("2027-02").label == "02/2027"
    assert [str(m) for m in months_between(Month(2026, 11), Month(2027, 2))] == [
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
    ]


@pytest.mark.parametrize("text", ["", "2027", "2027-13", "2027-00", "27-01", "2027-1x", "x"])
def test_month_parse_refuses_garbage(text):
    with pytest.raises(ValueError):
        Month.parse(text)


def test_first_weekend_saturday_preferred():
    choice = choose_dates(month=Month(2026, 12), allowed_weekdays=WEEKEND, count=1)
    assert choice.dates == [D(2026, 12, 5)]
    assert choice.missing == 0


def test_month_starting_on_sunday_first_weekend_is_that_sunday():
    # 1/11/2026 is a Sunday: the first weekend of November has just that day.
    choice = choose_dates(
        month=Month(2026, 11), allowed_weekdays=WEEKEND, count=1, holiday_names={}
    )
    assert choice.dates == [D(2026, 11, 1)]


def test_last_weekend_of_month_ending_on_saturday():
    # 31/10/2026 is a Saturday.
    choice = choose_dates(
        month=Month(2026, 10), allowed_weekdays=WEEKEND, count=1, preferred_week=LAST_WEEK
    )
    assert choice.dates == [D(2026, 10, 31)]


def test_five_weekend_month_fifth_weekend_reachable():
    # May 2027 has five Saturdays (1, 8, 15, 22, 29) and five Sundays (2, 9, 16, 23, 30);
    # 1/5 is a public holiday (Labour Day).
    choice = choose_dates(
        month=Month(2027, 5), allowed_weekdays=WEEKEND, count=1, preferred_week=LAST_WEEK
    )
    assert choice.dates == [D(2027, 5, 29)]
    first = choose_dates(month=Month(2027, 5), allowed_weekdays=WEEKEND, count=1)
    assert first.dates == [D(2027, 5, 2)]
    assert first.skipped[0][0] == D(2027, 5, 1)


def test_tet_2027_weekend_is_skipped():
    # Tết Nguyên Đán 2027 falls on Saturday 6 and Sunday 7 February (the first weekend).
    with translation.override("vi"):
        holidays = public_holidays(Month(2027, 2))
        assert "Tết" in holidays[D(2027, 2, 6)]
        choice = choose_dates(month=Month(2027, 2), allowed_weekdays=WEEKEND, count=1)
    assert choice.dates == [D(2027, 2, 13)]
    assert [day for day, _ in choice.skipped] == [D(2027, 2, 6), D(2027, 2, 7)]
    assert all("Tết" in reason for _, reason in choice.skipped)


def test_days_taken_by_the_cell_are_skipped():
    choice = choose_dates(
        month=Month(2026, 12),
        allowed_weekdays=WEEKEND,
        count=1,
        taken={D(2026, 12, 5)},
    )
    assert choice.dates == [D(2026, 12, 6)]


def test_two_sessions_fall_in_different_weekends():
    choice = choose_dates(month=Month(2026, 12), allowed_weekdays=WEEKEND, count=2)
    assert len(choice.dates) == 2
    first, second = choice.dates
    assert first.isocalendar()[1] != second.isocalendar()[1]
    assert all(day.weekday() in WEEKEND for day in choice.dates)


def test_directive_period_limits_candidates():
    choice = choose_dates(
        month=Month(2026, 12),
        allowed_weekdays=WEEKEND,
        count=1,
        not_before=D(2026, 12, 10),
        not_after=D(2026, 12, 20),
    )
    assert choice.dates == [D(2026, 12, 12)]


def test_no_free_day_is_reported_missing():
    choice = choose_dates(
        month=Month(2026, 12),
        allowed_weekdays=[Weekday.SATURDAY],
        count=1,
        not_before=D(2026, 12, 30),
    )
    assert choice.dates == []
    assert choice.missing == 1


def test_more_sessions_than_free_days():
    choice = choose_dates(
        month=Month(2026, 12),
        allowed_weekdays=[Weekday.SATURDAY],
        count=3,
        not_before=D(2026, 12, 20),
    )
    assert choice.dates == [D(2026, 12, 26)]
    assert choice.missing == 2
