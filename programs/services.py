"""Writes that touch several rows. Keyword-only, transactional, and they record history.

Each function validates with the models' own rules (``full_clean``) before writing, so a form,
the month planner and a management command all refuse the same bad data with the same message.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import (
    Assignment,
    CalendarFeed,
    Directive,
    FormSubmission,
    LabourSession,
    PartyCell,
    PartyCommittee,
    ReportSettings,
    SessionChange,
)
from programs.planning import Month, choose_dates, public_holidays
from programs.text import vn_date


class StaleEditError(Exception):
    """Someone else saved the record after this form was opened."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current


TRACKED_FIELDS = [
    "date",
    "start_time",
    "cell",
    "village",
    "directive",
    "partner",
    "status",
    "status_reason",
    "other_village_reason",
    "planned_work",
    "notes",
]


def _display(session: LabourSession, name: str) -> str:
    value = getattr(session, name)
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return vn_date(value)
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if name == "status":
        return session.get_status_display()
    return str(value)


def session_snapshot(session: LabourSession) -> dict[str, str]:
    return {name: _display(session, name) for name in TRACKED_FIELDS}


def session_diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {
        name: [before[name], after[name]] for name in TRACKED_FIELDS if before[name] != after[name]
    }


def record_change(session, user, action, changes=None, reason=""):
    return SessionChange.objects.create(
        session=session, user=user, action=action, changes=changes or {}, reason=reason
    )


# --- One-time form tokens ----------------------------------------------------------------------
# Every form that changes something carries a one-time token (forms.OneTimeTokenField; the
# view reads it with forms.posted_token, which adds a digest of the content). The service that
# carries the form out claims the token in its own transaction, before it checks the version: a
# copy of the form sent again later, or at the same moment, then finds the token taken, changes
# nothing and returns what the first copy returned, so the view answers both alike. On
# PostgreSQL a copy arriving at the same moment waits on the unique token (or on the session's
# row lock) until the first commits; on SQLite every transaction takes the write lock when it
# begins (settings: transaction_mode IMMEDIATE), so the copies simply queue.


@dataclass(frozen=True)
class FormToken:
    """A form's one-time token and a digest of what was sent with it (forms.posted_token)."""

    value: uuid.UUID
    digest: str = ""

    def same_content(self, submission: FormSubmission) -> bool:
        # Without a digest on either side (a service called directly) the token decides alone.
        return not (self.digest and submission.digest) or self.digest == submission.digest


class FormAlreadyDone(Exception):
    """The form with this token was carried out before; ``submission`` says what it did."""

    def __init__(self, submission: FormSubmission):
        super().__init__("form already carried out")
        self.submission = submission


def _as_token(token) -> FormToken | None:
    """``token`` as a FormToken: it may already be one, or a bare UUID or its text."""
    if isinstance(token, FormToken) or not token:
        return token or None
    try:
        return FormToken(uuid.UUID(str(token)))
    except ValueError:
        return None


def form_submission(token) -> FormSubmission | None:
    """The earlier carrying-out of this very form (same token, same content), or None.

    A view asks before refusing a post for the state it finds (say, "only a planned session can
    be cancelled"), since that state may be the work of this very form's first copy.
    """
    token = _as_token(token)
    if token is None:
        return None
    submission = FormSubmission.objects.select_related("session").filter(token=token.value).first()
    return submission if submission is not None and token.same_content(submission) else None


def form_already_done(token, session: LabourSession | None = None) -> bool:
    """True when the form with this one-time token was already carried out (a re-send); with
    ``session``, only when it was carried out on that session."""
    submission = form_submission(token)
    if submission is None:
        return False
    return session is None or submission.session_id == session.pk


def _token_used_elsewhere() -> ValidationError:
    # Only a forged or hand-copied form sends a token that was used on another form.
    return ValidationError(
        _("This form was already sent once for something else. Reload the page and try again."),
        code="token_used",
    )


def claim_form(token, *, user, session=None) -> FormSubmission | None:
    """Record, in the caller's transaction, that the form with this token is being carried out.

    Raises FormAlreadyDone when an earlier copy with the same content took the token; the
    caller's transaction must then end without writing. Returns the new FormSubmission, whose
    ``session`` and ``result`` the caller may fill in before it commits; None for a form without
    a token, or one whose token was used for other content (a form changed after it was sent:
    carried out like any other post, its version check guarding against a lost update).
    """
    token = _as_token(token)
    if token is None:
        return None
    try:
        # A savepoint: on PostgreSQL a failed INSERT would otherwise spoil the transaction
        # before the earlier submission could be read.
        with transaction.atomic():
            return FormSubmission.objects.create(
                token=token.value, digest=token.digest, session=session, user=user
            )
    except IntegrityError:
        earlier = FormSubmission.objects.get(token=token.value)
    if token.same_content(earlier):
        raise FormAlreadyDone(earlier)
    return None


def lock_session(
    session: LabourSession, version: int | None, *, token=None, user=None
) -> LabourSession:
    """Re-read the session under a row lock, claim the form's one-time token, then refuse a
    stale version. Call inside a transaction.

    The token comes before the version: the copies of one form all carry the version the first
    copy has just changed, and must be told "already done" (FormAlreadyDone), not "stale".
    """
    current = LabourSession.objects.select_for_update().get(pk=session.pk)
    try:
        claim_form(token, user=user, session=current)
    except FormAlreadyDone as done:
        if done.submission.session_id != current.pk:
            raise _token_used_elsewhere() from None
        raise
    if version is not None and current.version != version:
        raise StaleEditError(current)
    return current


def _constraint_error(instance) -> ValidationError:
    """The message for a database constraint that another request beat us to (two different
    forms planning one cell on one day at the same moment): the model's own message now that
    the other row is committed, else a general one."""
    try:
        instance.validate_constraints()
    except ValidationError as validation:
        return validation
    return ValidationError(
        _("Someone changed the same data at the same moment; nothing was saved. Try again."),
        code="conflict",
    )


def session_create(*, user, token=None, **fields) -> LabourSession:
    """Create a planned session. Side effects: a "created" history entry.

    A ``token`` already carried out returns the session that form created.
    """
    session = LabourSession(created_by=user, **fields)
    try:
        with transaction.atomic():
            submission = claim_form(token, user=user)
            session.full_clean()
            session.save()
            record_change(
                session,
                user,
                SessionChange.Action.CREATED,
                session_diff(dict.fromkeys(TRACKED_FIELDS, ""), session_snapshot(session)),
            )
            if submission is not None:
                submission.session = session
                submission.save(update_fields=["session"])
    except FormAlreadyDone as done:
        if done.submission.session is None:
            raise _token_used_elsewhere() from None
        return done.submission.session
    except IntegrityError as error:
        raise _constraint_error(session) from error
    return session


def session_update(
    *, session: LabourSession, user, version: int, token=None, **fields
) -> LabourSession:
    """Apply ``fields`` to a session if nobody saved it since ``version`` was read.

    Raises StaleEditError (nothing written) on a concurrent edit and ValidationError on bad data.
    Side effects: version + 1 and an "edited" history entry listing old → new values. A
    ``token`` already carried out returns the session as it is.
    """
    try:
        with transaction.atomic():
            current = lock_session(session, version, token=token, user=user)
            if not current.is_open:
                # Held, postponed or cancelled sessions change through their own forms (the
                # log, postpone, cancel), whichever page or the admin site asks.
                raise ValidationError(_("Only a planned session can be edited."), code="not_open")
            before = session_snapshot(current)
            for name, value in fields.items():
                setattr(current, name, value)
            current.full_clean()
            changes = session_diff(before, session_snapshot(current))
            if changes:
                current.version += 1
                current.save()
                record_change(current, user, SessionChange.Action.UPDATED, changes)
    except FormAlreadyDone:
        return LabourSession.objects.get(pk=session.pk)
    except IntegrityError as error:
        raise _constraint_error(current) from error
    return current


def session_postpone(
    *,
    session: LabourSession,
    user,
    reason: str,
    version: int,
    new_date: datetime.date | None = None,
    new_start_time: datetime.time | None = None,
    token=None,
) -> LabourSession | None:
    """Mark a planned session postponed, with its reason; it keeps its date for the record.

    With ``new_date``, a new planned session replaces it (``rescheduled_from`` points back), so
    the old date stays visible on both pages. Returns the new session, if any. Nothing is
    written when the new date breaks a rule. A ``token`` already carried out returns the
    replacement that form created, if any.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for postponing.")})
    replacement = None
    try:
        with transaction.atomic():
            current = lock_session(session, version, token=token, user=user)
            if current.status != LabourSession.Status.PLANNED:
                raise ValidationError(_("Only a planned session can be postponed."))
            current.status = LabourSession.Status.POSTPONED
            current.status_reason = reason
            current.version += 1
            current.full_clean()
            current.save()
            changes = {
                "status": [str(LabourSession.Status.PLANNED.label), current.get_status_display()]
            }
            if new_date:
                replacement = LabourSession(
                    directive=current.directive,
                    cell=current.cell,
                    village=current.village,
                    date=new_date,
                    start_time=new_start_time or current.start_time,
                    partner=current.partner,
                    planned_work=current.planned_work,
                    other_village_reason=current.other_village_reason,
                    rescheduled_from=current,
                    created_by=user,
                )
                try:
                    replacement.full_clean()
                except ValidationError as error:
                    # Report the new date's problem on the form's "new date" field.
                    raise ValidationError({"new_date": error.messages}) from error
                replacement.save()
                changes["date"] = [_display(current, "date"), _display(replacement, "date")]
                record_change(
                    replacement,
                    user,
                    SessionChange.Action.RESCHEDULED,
                    {"date": changes["date"]},
                    reason,
                )
            record_change(current, user, SessionChange.Action.POSTPONED, changes, reason)
    except FormAlreadyDone:
        return getattr(LabourSession.objects.get(pk=session.pk), "rescheduled_as", None)
    except IntegrityError as error:
        if replacement is None:
            raise _constraint_error(session) from error
        # Another form took the new date for this cell at the same moment.
        raise ValidationError({"new_date": _constraint_error(replacement).messages}) from error
    return replacement


def session_cancel(
    *, session: LabourSession, user, reason: str, version: int, token=None
) -> LabourSession:
    """Cancel a planned session with its reason. It is kept, never deleted.

    A ``token`` already carried out returns the session as it is.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    try:
        with transaction.atomic():
            current = lock_session(session, version, token=token, user=user)
            if current.status != LabourSession.Status.PLANNED:
                raise ValidationError(_("Only a planned session can be cancelled."))
            before = current.get_status_display()
            current.status = LabourSession.Status.CANCELLED
            current.status_reason = reason
            current.version += 1
            current.full_clean()
            current.save()
            record_change(
                current,
                user,
                SessionChange.Action.CANCELLED,
                {"status": [before, current.get_status_display()]},
                reason,
            )
    except FormAlreadyDone:
        return LabourSession.objects.get(pk=session.pk)
    return current


# --- The month planner -------------------------------------------------------------------------


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
    assignments = {
        a.cell_id: a
        for a in Assignment.objects.on(month.last)
        .filter(directive=directive, cell__committee=committee, cell__active=True)
        .filter(starts_on__lte=month.last)
        .select_related("cell", "village")
        .order_by("cell__name", "-starts_on")
    }
    existing: dict[int, list[datetime.date]] = {}
    for cell_id, day in (
        LabourSession.objects.filter(
            cell_id__in=assignments,
            date__gte=month.first,
            date__lte=month.last,
            status__in=[LabourSession.Status.PLANNED, LabourSession.Status.HELD],
        )
        .values_list("cell_id", "date")
        .order_by("date")
    ):
        existing.setdefault(cell_id, []).append(day)
    holiday_names = public_holidays(month)
    not_before = max(directive.effective_from, today + datetime.timedelta(days=1), month.first)
    rows = []
    for assignment in sorted(assignments.values(), key=lambda a: a.cell.name):
        cell = assignment.cell
        row = PlanRow(cell=cell, village=assignment.village, existing=existing.get(cell.pk, []))
        needed = directive.sessions_per_month - len(row.existing)
        if needed <= 0:
            row.problem = _("already planned for this month")
            rows.append(row)
            continue
        override = overrides.get(cell.pk)
        if override:
            problem = _override_problem(
                override, directive, month, holiday_names, row.existing, not_before
            )
            if problem:
                row.problem = problem
                rows.append(row)
                continue
            row.dates.append(override)
            needed -= 1
        if needed:
            choice = choose_dates(
                month=month,
                allowed_weekdays=directive.weekdays,
                count=needed,
                preferred_week=preferred_week,
                taken={*row.existing, *row.dates},
                holiday_names=holiday_names,
                not_before=not_before,
                not_after=directive.effective_until,
            )
            row.dates = sorted([*row.dates, *choice.dates])
            row.skipped_days = choice.skipped
            if choice.missing:
                row.problem = _(
                    "no free allowed day left in this month for %(count)s session(s)"
                ) % {"count": choice.missing}
        rows.append(row)
    return PlanPreview(committee=committee, directive=directive, month=month, rows=rows)


def _override_problem(day, directive, month, holiday_names, existing, not_before) -> str:
    label = vn_date(day)
    if not (month.first <= day <= month.last):
        return _("%(day)s is not in %(month)s") % {"day": label, "month": month.label}
    if not directive.allows_weekday(day):
        return str(directive.weekday_error().message)
    if day < not_before or not directive.is_effective_on(day):
        return _("%(day)s is in the past or outside the directive's period") % {"day": label}
    if day in holiday_names:
        return _("%(day)s is a public holiday: %(name)s") % {
            "day": label,
            "name": holiday_names[day],
        }
    if day in existing:
        return _("the cell already has a session on %(day)s") % {"day": label}
    return ""


def month_plan_create(
    *,
    user,
    committee: PartyCommittee,
    directive: Directive,
    month: Month,
    preferred_week: int = 1,
    start_time: datetime.time = datetime.time(7, 30),
    planned_work: str = "",
    planned_work_by_cell: dict[int, str] | None = None,
    overrides: dict[int, datetime.date] | None = None,
    today: datetime.date | None = None,
    token=None,
) -> list[LabourSession]:
    """Create the previewed sessions, all or nothing.

    The preview is computed again inside the transaction, so a second run for the same month
    creates nothing new. Side effects: sessions with status "planned" and a "created" history
    entry for each. Raises PlanError when anything fails; then nothing is written. A ``token``
    already carried out returns the sessions that form created.
    """
    planned_work_by_cell = planned_work_by_cell or {}
    try:
        with transaction.atomic():
            submission = claim_form(token, user=user)
            preview = month_plan_preview(
                committee=committee,
                directive=directive,
                month=month,
                preferred_week=preferred_week,
                overrides=overrides,
                today=today,
            )
            sessions = [
                LabourSession(
                    directive=directive,
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
            # One INSERT for the whole committee. PostgreSQL returns the new ids; on SQLite
            # (3.35+) Django does the same with RETURNING.
            created = LabourSession.objects.bulk_create(sessions)
            SessionChange.objects.bulk_create(
                SessionChange(
                    session=session,
                    user=user,
                    action=SessionChange.Action.CREATED,
                    changes={"date": ["", vn_date(session.date)]},
                    reason=_("Month plan %(month)s") % {"month": month.label},
                )
                for session in created
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


def calendar_feed_for(user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, user, token=None) -> CalendarFeed:
    """Give the user a new feed token; subscriptions to the old address stop working.

    A ``token`` already carried out changes nothing: the address that form made stays.
    """
    try:
        with transaction.atomic():
            claim_form(token, user=user)
            feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
            if feed is None:
                feed = calendar_feed_for(user)
            feed.reset()
            feed.save(update_fields=["token"])
    except FormAlreadyDone:
        return calendar_feed_for(user)
    return feed


def report_settings_save(
    *, committee: PartyCommittee, user, values: dict, token=None
) -> ReportSettings | None:
    """Save the header and signature of ``committee``'s printed reports (one row per committee).

    Side effects: the committee's ReportSettings created or updated, ``updated_by`` set. A
    ``token`` already carried out changes nothing and returns the settings as they are.
    """
    try:
        with transaction.atomic():
            claim_form(token, user=user)
            settings_obj = ReportSettings.objects.select_for_update().filter(
                committee=committee
            ).first() or ReportSettings(committee=committee)
            for name, value in values.items():
                setattr(settings_obj, name, value)
            settings_obj.updated_by = user
            settings_obj.full_clean()
            settings_obj.save()
    except FormAlreadyDone:
        return ReportSettings.objects.filter(committee=committee).first()
    except IntegrityError as error:
        # Another officer saved this committee's first settings at the same moment.
        raise ValidationError(
            _(
                "Someone saved these settings at the same moment; nothing was saved. "
                "Check them and save again."
            ),
            code="conflict",
        ) from error
    return settings_obj
