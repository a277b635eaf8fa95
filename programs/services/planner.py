"""The month planner: propose a month's sessions for a committee's cells, then create them.

``month_plan_preview`` reads what the cells need (their open assignments under a directive,
the sessions they already have) and lets ``planning.choose_dates`` pick the days;
``month_plan_create`` computes the same preview inside a transaction and writes it, all or
nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import (
    Assignment,
    Directive,
    LabourSession,
    PartyCell,
    PartyCommittee,
    SessionChange,
)
from programs.notifications.events import sessions_created
from programs.planning import Month, choose_dates, public_holidays
from programs.services.tokens import FormAlreadyDone, claim_form
from programs.text import vn_date


@dataclass
class PlanRow:
    cell: PartyCell
    village: object | None
    dates: list[datetime.date] = field(default_factory=list)
    existing: list[datetime.date] = field(default_factory=list)
    skipped_days: list[tuple[datetime.date, str]] = field(default_factory=list)
    problem: str = ""

    @property
    def creates(self) -> bool:
        return bool(self.dates)


@dataclass
class PlanPreview:
    committee: PartyCommittee
    directive: Directive
    month: Month
    rows: list[PlanRow]

    @property
    def to_create(self) -> int:
        return sum(len(row.dates) for row in self.rows)

    @property
    def holidays(self) -> dict[datetime.date, str]:
        return public_holidays(self.month)


class PlanError(Exception):
    """The whole plan is refused (a month in the past, a directive not in force…)."""


@dataclass
class _Rules:
    """What every row of one preview is planned under."""

    directive: Directive
    month: Month
    preferred_week: int
    holiday_names: dict[datetime.date, str]
    not_before: datetime.date


def _check_plannable(directive: Directive, month: Month, today: datetime.date):
    if month.last < today:
        raise PlanError(
            _("%(month)s is over: a month entirely in the past cannot be planned.")
            % {"month": month.label}
        )
    if directive.effective_from > month.last or (
        directive.effective_until and directive.effective_until < month.first
    ):
        raise PlanError(
            _("%(symbol)s is not in force in %(month)s.")
            % {"symbol": directive.symbol, "month": month.label}
        )


def _open_assignments(committee, directive, month: Month) -> list[Assignment]:
    """The assignment of each active cell of ``committee`` open at the end of ``month``."""
    assignments = {
        a.cell_id: a
        for a in Assignment.objects.on(month.last)
        .filter(directive=directive, cell__committee=committee, cell__active=True)
        .filter(starts_on__lte=month.last)
        .select_related("cell", "village")
        .order_by("cell__name", "-starts_on")
    }
    return sorted(assignments.values(), key=lambda a: a.cell.name)


def _existing_dates(cell_ids, month: Month) -> dict[int, list[datetime.date]]:
    """The days each cell already has a planned or held session in ``month``."""
    existing: dict[int, list[datetime.date]] = {}
    for cell_id, day in (
        LabourSession.objects.filter(
            cell_id__in=cell_ids,
            date__gte=month.first,
            date__lte=month.last,
            status__in=[LabourSession.Status.PLANNED, LabourSession.Status.HELD],
        )
        .values_list("cell_id", "date")
        .order_by("date")
    ):
        existing.setdefault(cell_id, []).append(day)
    return existing


def _override_problem(day, rules: _Rules, existing) -> str:
    label = vn_date(day)
    month, directive = rules.month, rules.directive
    if not (month.first <= day <= month.last):
        return _("%(day)s is not in %(month)s") % {"day": label, "month": month.label}
    if not directive.allows_weekday(day):
        return str(directive.weekday_error().message)
    if day < rules.not_before or not directive.is_effective_on(day):
        return _("%(day)s is in the past or outside the directive's period") % {"day": label}
    if day in rules.holiday_names:
        return _("%(day)s is a public holiday: %(name)s") % {
            "day": label,
            "name": rules.holiday_names[day],
        }
    if day in existing:
        return _("the cell already has a session on %(day)s") % {"day": label}
    return ""


def _fill_row(row: PlanRow, rules: _Rules, override: datetime.date | None) -> PlanRow:
    """Choose the row's dates: the cell's own ``override`` if it passes, then the planner's."""
    needed = rules.directive.sessions_per_month - len(row.existing)
    if needed <= 0:
        row.problem = _("already planned for this month")
        return row
    if override:
        row.problem = _override_problem(override, rules, row.existing)
        if row.problem:
            return row
        row.dates.append(override)
        needed -= 1
    if needed:
        choice = choose_dates(
            month=rules.month,
            allowed_weekdays=rules.directive.weekdays,
            count=needed,
            preferred_week=rules.preferred_week,
            taken={*row.existing, *row.dates},
            holiday_names=rules.holiday_names,
            not_before=rules.not_before,
            not_after=rules.directive.effective_until,
        )
        row.dates = sorted([*row.dates, *choice.dates])
        row.skipped_days = choice.skipped
        if choice.missing:
            row.problem = _("no free allowed day left in this month for %(count)s session(s)") % {
                "count": choice.missing
            }
    return row


def month_plan_preview(
    *,
    committee: PartyCommittee,
    directive: Directive,
    month: Month,
    preferred_week: int = 1,
    overrides: dict[int, datetime.date] | None = None,
    today: datetime.date | None = None,
) -> PlanPreview:
    """Propose sessions for every active cell of ``committee`` with an open assignment under
    ``directive``: ``directive.sessions_per_month`` per cell, less those it already has.

    Reads a fixed number of queries whatever the number of cells. ``overrides`` maps a cell id
    to the date that cell chose itself (checked like any other date).
    """
    today = today or timezone.localdate()
    overrides = overrides or {}
    _check_plannable(directive, month, today)
    assignments = _open_assignments(committee, directive, month)
    existing = _existing_dates([a.cell_id for a in assignments], month)
    rules = _Rules(
        directive=directive,
        month=month,
        preferred_week=preferred_week,
        holiday_names=public_holidays(month),
        not_before=max(directive.effective_from, today + datetime.timedelta(days=1), month.first),
    )
    rows = [
        _fill_row(
            PlanRow(cell=a.cell, village=a.village, existing=existing.get(a.cell_id, [])),
            rules,
            overrides.get(a.cell_id),
        )
        for a in assignments
    ]
    return PlanPreview(committee=committee, directive=directive, month=month, rows=rows)


def _create_sessions(preview: PlanPreview, *, user, start_time, planned_work, planned_work_by_cell):
    """Write the preview's sessions and their "created" history entries, in two INSERTs, and
    queue their "session created" notices (a fixed handful of queries more)."""
    sessions = [
        LabourSession(
            directive=preview.directive,
            cell=row.cell,
            village=row.village,
            date=day,
            start_time=start_time,
            planned_work=planned_work_by_cell.get(row.cell.pk) or planned_work,
            created_by=user,
        )
        for row in preview.rows
        for day in row.dates
    ]
    # One INSERT for the whole committee. PostgreSQL returns the new ids; on SQLite (3.35+)
    # Django does the same with RETURNING.
    created = LabourSession.objects.bulk_create(sessions)
    reason = _("Month plan %(month)s") % {"month": preview.month.label}
    changes = SessionChange.objects.bulk_create(
        SessionChange(
            session=session,
            user=user,
            action=SessionChange.Action.CREATED,
            changes={"date": ["", vn_date(session.date)]},
            reason=reason,
        )
        for session in created
    )
    # The "session created" notices record_change would queue for one session, for all of
    # them at once, in this transaction (a plan rolled back queues nothing).
    sessions_created(changes)
    return created


def month_plan_create(
    *,
    user,
    start_time: datetime.time = datetime.time(7, 30),
    planned_work: str = "",
    planned_work_by_cell: dict[int, str] | None = None,
    token=None,
    **plan,
) -> list[LabourSession]:
    """Create the previewed sessions, all or nothing. ``plan`` holds ``month_plan_preview``'s
    arguments (committee, directive, month, preferred_week, overrides, today).

    The preview is computed again inside the transaction, so a second run for the same month
    creates nothing new. Side effects: sessions with status "planned" and a "created" history
    entry for each, and the "session created" notices to each cell's people (queued). Raises
    PlanError when anything fails; then nothing is written. A ``token`` already carried out
    returns the sessions that form created.
    """
    try:
        with transaction.atomic():
            submission = claim_form(token, user=user)
            created = _create_sessions(
                month_plan_preview(**plan),
                user=user,
                start_time=start_time,
                planned_work=planned_work,
                planned_work_by_cell=planned_work_by_cell or {},
            )
            if submission is not None:
                submission.result = {"sessions": [session.pk for session in created]}
                submission.save(update_fields=["result"])
    except FormAlreadyDone as done:
        return list(LabourSession.objects.filter(pk__in=done.submission.result.get("sessions", [])))
    except IntegrityError as error:
        raise PlanError(
            _(
                "Someone planned sessions for these cells at the same time. Nothing was created; "
                "open the planner again to see what is there now."
            )
        ) from error
    return created
