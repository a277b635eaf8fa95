"""Report periods: a month, a quarter, a half-year, a year or a custom range of days, read from
a query string (``parse_period``). A ``Period`` names itself — in a file name, on screen and in
the printed document — by its kind, in one place.

Sessions carry the local (Asia/Ho_Chi_Minh) date they were held on, so a period is a range of
dates and a session on 31/12 at 23:30 belongs to December whatever the server's clock says.

The window of dates the application works with (``date_window``) is defined here too: report
periods, session dates and planned months outside it are refused with a message, which also
keeps date arithmetic ("the same period a year earlier", five years on) away from year 1 and
year 9999.
"""

import datetime
import re
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext as _

from programs.planning import Month, months_between
from programs.text import vn_date

MAX_YEARS = 5
# The programme began in 2021; earlier years leave room for older records without letting
# year 1 in. Planning looks a few years ahead at most.
EARLIEST_DATE = datetime.date(2000, 1, 1)
YEARS_AHEAD = 5
KINDS = ("month", "quarter", "half", "year", "custom")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_DATE_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


class PeriodError(ValueError):
    """A period that cannot be read; the message is for the user."""


def date_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last dates a session, a planned month or a report period may have."""
    return EARLIEST_DATE, datetime.date(today.year + YEARS_AHEAD, 12, 31)


def outside_window_message(today: datetime.date) -> str:
    first, last = date_window(today)
    return _("Choose dates between %(first)s and %(last)s.") % {
        "first": vn_date(first),
        "last": vn_date(last),
    }


def in_window(day: datetime.date, today: datetime.date) -> bool:
    first, last = date_window(today)
    return first <= day <= last


# How many months each kind of period spans; a custom range spans what it says.
MONTHS_PER_KIND = {"month": 1, "quarter": 3, "half": 6, "year": 12}


class _Names(NamedTuple):
    slug: str
    label: str
    document_phrase: str


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def months(self) -> list[Month]:
        return months_between(Month.of(self.start), Month.of(self.end))

    def _names(self) -> _Names:
        """Every way the period is named, by kind: the one place that tells the kinds apart."""
        start, year = self.start, self.start.year
        # Which quarter, or which half, of its year the period is.
        part = (start.month - 1) // MONTHS_PER_KIND.get(self.kind, 12) + 1
        if self.kind == "month":
            return _Names(
                f"{start:%Y-%m}",
                _("month %(month)s") % {"month": Month.of(start).label},
                f"tháng {start.month:02d} năm {year}",
            )
        if self.kind == "quarter":
            return _Names(
                f"{year}-q{part}",
                _("quarter %(quarter)s of %(year)s") % {"quarter": ROMAN[part], "year": year},
                f"quý {ROMAN[part]} năm {year}",
            )
        if self.kind == "half":
            return _Names(
                f"{year}-h{part}",
                (
                    _("the first six months of %(year)s")
                    if part == 1
                    else _("the last six months of %(year)s")
                )
                % {"year": year},
                f"6 tháng {'đầu' if part == 1 else 'cuối'} năm {year}",
            )
        if self.kind == "year":
            return _Names(str(year), _("the year %(year)s") % {"year": year}, f"năm {year}")
        return _Names(
            f"{start.isoformat()}-{self.end.isoformat()}",
            _("%(start)s to %(end)s") % {"start": vn_date(start), "end": vn_date(self.end)},
            f"từ ngày {vn_date(start)} đến ngày {vn_date(self.end)}",
        )

    @property
    def label(self) -> str:
        """How the screen and the files name the period ("quarter I of 2026"), in the active
        language."""
        return self._names().label

    def slug(self) -> str:
        """The period in a file name: "2026-02", "2026-q1", "2026-h2", "2026",
        "2025-11-15-2026-02-10"."""
        return self._names().slug

    def document_phrase(self) -> str:
        """The period as a Vietnamese party document names it, whatever the active language:
        "tháng 02 năm 2026", "quý I năm 2026", "6 tháng đầu năm 2026", "năm 2026",
        "từ ngày 15/11/2025 đến ngày 10/02/2026"."""
        return self._names().document_phrase

    def previous_year(self) -> "Period":
        """The same span one year earlier (29 February becomes the 28th)."""
        return Period(self.kind, _year_back(self.start), _year_back(self.end))

    def as_query(self) -> dict[str, str]:
        """The GET parameters that give this period again."""
        if self.kind == "custom":
            return {"period": "custom", "from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.kind == "year":
            return {"period": "year", "year": str(self.start.year)}
        return {"period": self.kind, "month": str(Month.of(self.start))}


def _year_back(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _month(text: str, name: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError:
        raise PeriodError(
            _("“%(value)s” is not a month: write %(name)s as YYYY-MM, for example 2026-02.")
            % {"value": text, "name": name}
        ) from None


def _year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text or ""):
        raise PeriodError(_("“%(value)s” is not a year: write it as YYYY.") % {"value": text})
    year = int(text)
    if not 1900 <= year <= 2200:
        raise PeriodError(_("“%(value)s” is not a year: write it as YYYY.") % {"value": text})
    return year


def _bound(text: str, name: str, *, end: bool) -> datetime.date:
    """A custom bound: a day (YYYY-MM-DD) or a whole month (YYYY-MM)."""
    text = (text or "").strip()
    if not text:
        raise PeriodError(_("Give both ends of a custom period (from and to)."))
    if _DATE_RE.match(text):
        try:
            return datetime.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
        except ValueError:
            raise PeriodError(_("“%(value)s” is not a date.") % {"value": text}) from None
    month = _month(text, name)
    return month.last if end else month.first


def parse_period(params, today: datetime.date) -> Period:
    """Read ``period`` and its companions (``month``, ``year``, ``from``, ``to``) from GET
    parameters. Missing values default to the current month or year; anything malformed,
    reversed, outside ``date_window`` or longer than five years raises PeriodError with a
    message for the user."""
    period = _read_period(params, today)
    if not (in_window(period.start, today) and in_window(period.end, today)):
        raise PeriodError(outside_window_message(today))
    return period


def _read_period(params, today: datetime.date) -> Period:
    kind = (params.get("period") or "month").strip()
    if kind not in KINDS:
        raise PeriodError(
            _("Unknown period “%(value)s”: choose month, quarter, half, year or custom.")
            % {"value": kind}
        )
    raw_month = (params.get("month") or "").strip()
    month = _month(raw_month, "month") if raw_month else Month.of(today)
    if kind == "year":
        raw_year = (params.get("year") or "").strip()
        year = _year(raw_year) if raw_year else (month.year if raw_month else today.year)
        return Period(kind, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    if kind != "custom":
        # The month, quarter or half-year that holds ``month``.
        span = MONTHS_PER_KIND[kind]
        first = Month(month.year, (month.month - 1) // span * span + 1)
        return Period(kind, first.first, Month(first.year, first.month + span - 1).last)
    start = _bound(params.get("from"), "from", end=False)
    end = _bound(params.get("to"), "to", end=True)
    if end < start:
        raise PeriodError(
            _("The period ends (%(end)s) before it starts (%(start)s).")
            % {"start": vn_date(start), "end": vn_date(end)}
        )
    if not (in_window(start, today) and in_window(end, today)):
        # Checked before the length, whose arithmetic would overflow near year 9999.
        raise PeriodError(outside_window_message(today))
    if end > _year_forward(start, MAX_YEARS):
        raise PeriodError(
            _("A report covers at most %(years)s years; choose a shorter period.")
            % {"years": MAX_YEARS}
        )
    return Period(kind, start, end)


def _year_forward(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
