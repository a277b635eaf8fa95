"""Choosing session dates for a month: the pure part of the month planner.

No database access here, so the rules (allowed weekdays, public holidays, days a cell already
uses, month edges) are unit-tested directly. ``services.planner`` feeds it from the database
and writes the result. ``Month`` (a calendar month) and the public holidays live here too.
"""

import calendar
import datetime
import re
from dataclasses import dataclass, field
from functools import cache, cached_property, partial

import holidays
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

LAST_WEEK = 5
PREFERRED_WEEK_CHOICES = [
    (1, _("first weekend")),
    (2, _("second weekend")),
    (3, _("third weekend")),
    (4, _("fourth weekend")),
    (LAST_WEEK, _("last weekend")),
]

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        """Parse "2027-02"; raise ValueError for anything else."""
        match = _MONTH_RE.match((text or "").strip())
        if not match:
            raise ValueError(text)
        year, month = int(match.group(1)), int(match.group(2))
        if not (1 <= month <= 12 and 1900 <= year <= 2200):
            raise ValueError(text)
        return cls(year, month)

    @classmethod
    def of(cls, day: datetime.date) -> "Month":
        return cls(day.year, day.month)

    # Cached: the compliance grid and the report ask a month for its days thousands of times.
    @cached_property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @cached_property
    def last(self) -> datetime.date:
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> "Month":
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def days(self) -> list[datetime.date]:
        return [self.first + datetime.timedelta(days=n) for n in range(self.last.day)]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """ "02/2027", as offices write a month."""
        return f"{self.month:02d}/{self.year:04d}"


def months_between(start: Month, end: Month) -> list[Month]:
    months, current = [], start
    while current <= end:
        months.append(current)
        current = current.next()
    return months


@cache
def _holiday_calendar(year: int, language: str) -> dict[datetime.date, str]:
    return dict(holidays.Vietnam(years=year, language=language))


def _holiday_language() -> str:
    return "vi" if (get_language() or "vi").startswith("vi") else "en_US"


def public_holidays(month: Month) -> dict[datetime.date, str]:
    """Vietnam's public holidays in ``month`` (Tết included), named in the active language."""
    return {
        day: name
        for day, name in _holiday_calendar(month.year, _holiday_language()).items()
        if day.month == month.month
    }


def holiday_name(day: datetime.date) -> str | None:
    """The public holiday on ``day``, named in the active language, or None.

    The same calendar the month planner skips, so a session planned by hand on a holiday is
    caught by the same rule (the forms then ask for a confirmation).
    """
    return _holiday_calendar(day.year, _holiday_language()).get(day)


@dataclass
class DateChoice:
    dates: list[datetime.date] = field(default_factory=list)
    # Days the planner passed over near its target, with the reason, for the preview.
    skipped: list[tuple[datetime.date, str]] = field(default_factory=list)
    missing: int = 0


def _weekends(month: Month, allowed_weekdays, not_before, not_after) -> list[list[datetime.date]]:
    """The month's candidate days grouped by calendar week ("weekends"), in order."""
    allowed = set(allowed_weekdays)
    weeks: dict[int, list[datetime.date]] = {}
    for day in month.days():
        if day.weekday() not in allowed:
            continue
        if (not_before and day < not_before) or (not_after and day > not_after):
            continue
        weeks.setdefault(day.isocalendar()[1], []).append(day)
    return [weeks[key] for key in sorted(weeks, key=lambda k: weeks[k][0])]


def _search_order(target: int, count: int, used: set[int]) -> list[int]:
    """Nearest weekends first, preferring later ones: target, +1, -1, +2, -2…; a week already
    used is tried only when no other week has a free day."""
    order = sorted(range(count), key=lambda i: (abs(i - target), i < target))
    return [i for i in order if i not in used] + [i for i in order if i in used]


def _blocker(day, *, holiday_names, taken, chosen) -> str | None:
    """Why ``day`` cannot be chosen, or None when it is free."""
    if day in holiday_names:
        return gettext("public holiday: %(name)s") % {"name": holiday_names[day]}
    if day in taken:
        return gettext("the cell already has a session that day")
    if day in chosen:
        return gettext("already chosen for another session")
    return None


def _first_free(days, blocker, skipped: list | None) -> datetime.date | None:
    """The first day of ``days`` that ``blocker`` lets through; the days passed over are noted
    in ``skipped`` with their reason, when given."""
    for day in days:
        reason = blocker(day)
        if reason is None:
            return day
        if skipped is not None and (day, reason) not in skipped:
            skipped.append((day, reason))
    return None


def choose_dates(
    *,
    month: Month,
    allowed_weekdays: list[int],
    count: int,
    preferred_week: int = 1,
    taken: set[datetime.date] = frozenset(),
    holiday_names: dict[datetime.date, str] | None = None,
    not_before: datetime.date | None = None,
    not_after: datetime.date | None = None,
) -> DateChoice:
    """Pick ``count`` days of ``month`` for one cell's sessions.

    Candidates are the month's days on an allowed weekday, between ``not_before`` and
    ``not_after`` (the directive's period, and today for the current month). They are grouped
    by calendar week ("weekends"). The n-th session aims at weekend ``preferred_week`` plus n
    times an even spacing, so two sessions a month fall in different weekends; when that
    weekend has no free day (a holiday, a day the cell already uses) the nearest weekend after,
    then before, is taken.
    """
    holiday_names = holiday_names if holiday_names is not None else public_holidays(month)
    groups = _weekends(month, allowed_weekdays, not_before, not_after)
    choice = DateChoice()
    if not groups or count < 1:
        choice.missing = max(count, 0)
        return choice

    blocker = partial(_blocker, holiday_names=holiday_names, taken=taken, chosen=choice.dates)
    start = len(groups) - 1 if preferred_week >= LAST_WEEK else min(preferred_week, len(groups)) - 1
    step = max(1, len(groups) // count)
    used_weeks: set[int] = set()
    for n in range(count):
        target = (start + n * step) % len(groups)
        for index in _search_order(target, len(groups), used_weeks):
            free = _first_free(groups[index], blocker, choice.skipped if index == target else None)
            if free:
                choice.dates.append(free)
                used_weeks.add(index)
                break
        else:
            choice.missing += 1
    choice.dates.sort()
    return choice
