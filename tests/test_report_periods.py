"""Period kinds, told apart in one place (programs.reports.periods.Period): each kind's file
slug, its label on screen and in the files, and its phrase in the printed document."""

import datetime

import pytest
from django.utils import translation

from programs.reports.periods import parse_period

TODAY = datetime.date(2026, 11, 27)


@pytest.mark.parametrize(
    ("params", "slug", "label", "phrase"),
    [
        ({"period": "month", "month": "2026-02"}, "2026-02", "month 02/2026", "tháng 02 năm 2026"),
        (
            {"period": "quarter", "month": "2026-05"},
            "2026-q2",
            "quarter II of 2026",
            "quý II năm 2026",
        ),
        (
            {"period": "half", "month": "2026-03"},
            "2026-h1",
            "the first six months of 2026",
            "6 tháng đầu năm 2026",
        ),
        (
            {"period": "half", "month": "2026-08"},
            "2026-h2",
            "the last six months of 2026",
            "6 tháng cuối năm 2026",
        ),
        ({"period": "year", "year": "2025"}, "2025", "the year 2025", "năm 2025"),
        (
            {"period": "custom", "from": "2025-11-15", "to": "2026-02-10"},
            "2025-11-15-2026-02-10",
            "15/11/2025 to 10/02/2026",
            "từ ngày 15/11/2025 đến ngày 10/02/2026",
        ),
    ],
)
def test_each_kind_is_named_the_same_way_everywhere(params, slug, label, phrase):
    period = parse_period(params, TODAY)
    with translation.override("en"):
        assert period.slug() == slug
        assert period.label == label
        # The document is Vietnamese whatever the language of the screen.
        assert period.document_phrase() == phrase


@pytest.mark.parametrize(
    ("params", "start", "end"),
    [
        ({"period": "month", "month": "2026-02"}, (2026, 2, 1), (2026, 2, 28)),
        ({"period": "quarter", "month": "2026-05"}, (2026, 4, 1), (2026, 6, 30)),
        ({"period": "half", "month": "2026-08"}, (2026, 7, 1), (2026, 12, 31)),
        ({"period": "year", "month": "2025-08"}, (2025, 1, 1), (2025, 12, 31)),
    ],
)
def test_each_kind_covers_the_whole_span_around_the_month(params, start, end):
    period = parse_period(params, TODAY)
    assert (period.start, period.end) == (datetime.date(*start), datetime.date(*end))
    assert period.as_query()["period"] == params["period"]
