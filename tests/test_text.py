"""The Vietnamese text helpers: dates as dd/mm/yyyy whatever the interface language."""

import datetime
import zoneinfo

from django.utils import translation

from programs.text import vn_date, vn_datetime


def test_vn_date_is_day_month_year_in_both_languages():
    for language in ("vi", "en"):
        with translation.override(language):
            assert vn_date(datetime.date(2026, 2, 8)) == "08/02/2026"
    assert vn_date(None) == ""


def test_vn_datetime_is_local_time():
    # 07:32 UTC is 14:32 in Asia/Ho_Chi_Minh, the application's time zone.
    moment = datetime.datetime(2026, 2, 28, 7, 32, tzinfo=datetime.UTC)
    assert vn_datetime(moment) == "28/02/2026 14:32"
    local = datetime.datetime(2026, 2, 28, 14, 32, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    assert vn_datetime(local) == "28/02/2026 14:32"
    assert vn_datetime(datetime.datetime(2026, 2, 28, 9, 5)) == "28/02/2026 09:05"
    assert vn_datetime(None) == ""
