"""The cadence: whether a party cell held, month after month, the sessions its directive asks
for. The one rule behind the compliance grid and the report (its page, exports and document):

- only a held session whose log is **confirmed** counts (``counts_as_held``); one held but
  still awaiting confirmation is shown apart and never counts (``awaiting_confirmation``);
- only **whole months** are judged: a custom range that starts or ends inside a month does not
  judge that month (``whole_months``);
- a month is judged once it is **over**; the month under way shows its figures so far and is
  never counted as missed (``month_over``, ``months_judged``);
- a cell is judged in a month only if its **assignments** (under directives in force) cover
  every day of that month; what it owes is the highest sessions-per-month among them
  (``assignment_spans``, ``judge_month``);
- a month is met with at least the sessions required, and always at least one (``month_met``);
  a period is met when every month judged, and at least one, was met (``period_met``).

``RULE`` says this in a sentence for the screen, ``RULE_VI`` for the printed document: both are
shown wherever the figure is.
"""

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models import Assignment, LabourSession
from programs.planning import Month, months_between

HELD = LabourSession.Status.HELD
CONFIRMED = LabourSession.LogStatus.CONFIRMED

RULE = _(
    "A cell meets the cadence in a month when it held the sessions its directive asks for and "
    "their logs are confirmed. Only finished whole months in which the cell was assigned a "
    "village for the whole month are judged; the month under way shows its figures so far."
)
RULE_VI = (
    "Chi bộ được tính là duy trì trong tháng khi tổ chức đủ số buổi theo văn bản chỉ đạo và "
    "kết quả đã được xác nhận. Chỉ xét các tháng trọn vẹn đã kết thúc mà chi bộ được phân công "
    "phụ trách thôn cả tháng; tháng đang diễn ra chỉ tính số liệu đến nay."
)


def counts_as_held(status: str, log_status: str) -> bool:
    """Whether a session counts toward the cadence: held, and its log confirmed."""
    return status == HELD and log_status == CONFIRMED


def awaiting_confirmation(status: str, log_status: str) -> bool:
    """Held, but its log not confirmed yet: shown apart, never counted."""
    return status == HELD and log_status != CONFIRMED


def month_over(month: Month, today: datetime.date | None) -> bool:
    """Whether ``month`` is over by ``today`` (every month is, without a today)."""
    return today is None or month.last < today


def whole_months(first: datetime.date, last: datetime.date) -> list[Month]:
    """The months lying wholly between ``first`` and ``last`` (both included)."""
    if last < first:
        return []
    return [
        month
        for month in months_between(Month.of(first), Month.of(last))
        if first <= month.first and month.last <= last
    ]


def months_judged(
    first: datetime.date, last: datetime.date, today: datetime.date | None
) -> list[Month]:
    """The months of a period that may be judged: whole, and over by ``today``."""
    return [month for month in whole_months(first, last) if month_over(month, today)]


def month_met(held: int, required: int) -> bool:
    """``held`` sessions counted in a month meet a cadence of ``required`` per month."""
    return held >= max(required, 1)


def period_met(months_met: int, months_judged_count: int) -> bool:
    """A cell met the cadence over a period: every month judged, and at least one, was met."""
    return months_judged_count > 0 and months_met == months_judged_count


# --- Assignments ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """The days one assignment obliged its cell (the assignment's days that its directive was
    in force too), and the sessions per month it asked for. ``last`` None: open-ended."""

    first: datetime.date
    last: datetime.date | None
    per_month: int

    def overlaps(self, month: Month) -> bool:
        return self.first <= month.last and (self.last is None or self.last >= month.first)


def assignments_in_force(first: datetime.date, last: datetime.date, directive_ids=None):
    """Assignments in force at some point between ``first`` and ``last``, under a directive
    in force then too (and, given ``directive_ids``, one of those directives)."""
    assignments = Assignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=first),
        Q(directive__effective_until__isnull=True) | Q(directive__effective_until__gte=first),
        starts_on__lte=last,
        directive__effective_from__lte=last,
    )
    if directive_ids is not None:
        assignments = assignments.filter(directive_id__in=directive_ids)
    return assignments


def assignment_spans(assignments) -> dict[int, list[Span]]:
    """{cell id: its spans} for a queryset of assignments, read in one query as plain values
    (a province has 1,500 of them; model instances were most of the grid's time)."""
    spans: dict[int, list[Span]] = defaultdict(list)
    rows = assignments.values_list(
        "cell_id",
        "starts_on",
        "ends_on",
        "directive__effective_from",
        "directive__effective_until",
        "directive__sessions_per_month",
    ).order_by()
    for cell_id, starts, ends, effective_from, effective_until, per_month in rows:
        lasts = [day for day in (ends, effective_until) if day is not None]
        spans[cell_id].append(
            Span(max(starts, effective_from), min(lasts) if lasts else None, per_month)
        )
    return spans


def required_in(spans: Iterable[Span], month: Month) -> int:
    """The sessions a cell owed in ``month``: the highest per-month cadence among its spans in
    force at some point that month; 0 if none was."""
    return max((span.per_month for span in spans if span.overlaps(month)), default=0)


def covers(spans: Iterable[Span], month: Month) -> bool:
    """Whether the spans together cover every day of ``month``."""
    day = month.first
    for span in sorted((s for s in spans if s.overlaps(month)), key=lambda s: s.first):
        if span.first > day:
            return False
        if span.last is None or span.last >= month.last:
            return True
        day = max(day, span.last + datetime.timedelta(days=1))
    return False


# --- Judging --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellMonth:
    """One cell in one month: what it owed (0: not assigned), what counted, whether judged."""

    required: int
    held: int
    judged: bool

    @property
    def met(self) -> bool:
        return self.required > 0 and month_met(self.held, self.required)


@functools.lru_cache(maxsize=4096)
def _owed_table(spans: tuple[Span, ...]) -> dict[Month, tuple[int, bool]]:
    """A memo of ``_owed`` for one set of spans: the cells of a province mostly share theirs,
    and a year report judges 1,500 cells × 24 months."""
    return {}


def _owed(spans: tuple[Span, ...], month: Month, table=None) -> tuple[int, bool]:
    """What ``spans`` ask for in ``month`` and whether they cover all of it."""
    table = _owed_table(spans) if table is None else table
    result = table.get(month)
    if result is None:
        required = required_in(spans, month)
        result = table[month] = (required, required > 0 and covers(spans, month))
    return result


def judge_month(
    spans: Iterable[Span], month: Month, held: int, today: datetime.date | None
) -> CellMonth:
    """One cell's ``month``, ``held`` counting its confirmed sessions: judged when the month is
    over and its assignments cover the whole of it."""
    required, whole = _owed(tuple(spans), month)
    judged = whole and month_over(month, today)
    return CellMonth(required=required, held=held, judged=judged)


@dataclass(frozen=True)
class CellPeriod:
    months_met: int
    months_judged: int

    @property
    def met(self) -> bool:
        return period_met(self.months_met, self.months_judged)


def judge_period(
    spans: Iterable[Span], held_by_month: Mapping[Month, int], months: Iterable[Month], today
) -> CellPeriod:
    """One cell over ``months`` (the period's ``months_judged``): how many months were judged
    and how many of those met the cadence."""
    spans = tuple(spans)
    table = _owed_table(spans)
    met = judged = 0
    for month in months:
        # ``judge_month``, inlined: it runs for every cell and month of a province's year.
        required, whole = _owed(spans, month, table)
        if whole and month_over(month, today):
            judged += 1
            met += month_met(held_by_month.get(month, 0), required)
    return CellPeriod(months_met=met, months_judged=judged)
