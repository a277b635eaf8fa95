"""The cadence: whether a party cell held, month after month, the sessions its directive asks
for. The one rule behind the compliance grid and the report (its page, exports and document):

- a month is judged once it is over; the month under way is not (``month_over``,
  ``months_judged``);
- a cell met the cadence in a month when it held at least the sessions required of it that
  month, and always at least one (``month_met``);
- a cell met the cadence over a period when it met it in every month judged (``period_met``).

Which sessions count as held is a parameter of the rule, ``confirmed_only`` of
``counts_as_held``: the report counts a held session once its log is confirmed, the compliance
grid as soon as the session is marked held.
"""

import datetime
from collections.abc import Iterable

from programs.models import LabourSession
from programs.planning import Month

HELD = LabourSession.Status.HELD
CONFIRMED = LabourSession.LogStatus.CONFIRMED


def counts_as_held(status: str, log_status: str, *, confirmed_only: bool) -> bool:
    """Whether a session with this status and log status counts toward the cadence."""
    return status == HELD and (log_status == CONFIRMED or not confirmed_only)


def month_over(month: Month, today: datetime.date) -> bool:
    return month.last < today


def months_judged(months: Iterable[Month], today: datetime.date | None) -> list[Month]:
    """The months of ``months`` that are over by ``today`` (all of them without a today)."""
    return [month for month in months if today is None or month_over(month, today)]


def month_met(held: int, required: int) -> bool:
    """``held`` sessions counted in a month meet a cadence of ``required`` per month."""
    return held >= max(required, 1)


def period_met(months_met: int, months_judged_count: int) -> bool:
    """A cell met the cadence over a period: every month judged, and at least one, was met."""
    return months_judged_count > 0 and months_met == months_judged_count
