"""Writes to one session: plan it, edit it, postpone or cancel it.

Each function validates with the models' own rules (``full_clean``) before writing, so a form,
the admin site and a management command all refuse the same bad data with the same message;
each records a history entry (which queues the notices it causes to the cell's secretary and
members: ``programs.notifications.events``), and a form's one-time token already carried out
changes nothing.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from programs.models import LabourSession, SessionChange
from programs.services._history import (
    TRACKED_FIELDS,
    StaleEditError,
    display,
    record_change,
    session_diff,
    session_snapshot,
    session_write,
)
from programs.services.opinions import opinions_follow_session_date
from programs.services.tokens import FormAlreadyDone, claim_form, token_used_elsewhere
from programs.text import vn_date

__all__ = [
    "StaleEditError",
    "session_cancel",
    "session_create",
    "session_postpone",
    "session_update",
]


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


def _as_it_is(session: LabourSession) -> LabourSession:
    """The session as stored: what a write answers for a form carried out before."""
    return LabourSession.objects.get(pk=session.pk)


def _reason_required(reason: str, message: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


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
            raise token_used_elsewhere() from None
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
    current = session
    try:
        with session_write(session, version, user=user, token=token) as write:
            current = write.session
            if not current.is_open:
                # Held, postponed or cancelled sessions change through their own forms (the
                # log, postpone, cancel), whichever page or the admin site asks.
                raise ValidationError(_("Only a planned session can be edited."), code="not_open")
            before = session_snapshot(current)
            for name, value in fields.items():
                setattr(current, name, value)
            changes = session_diff(before, session_snapshot(current))
            if changes:
                write.save(SessionChange.Action.UPDATED, changes)
                if "date" in changes:
                    opinions_follow_session_date(current)
            else:
                current.full_clean()  # nothing to save, but bad values are still refused
    except FormAlreadyDone:
        return _as_it_is(session)
    except IntegrityError as error:
        raise _constraint_error(current) from error
    return current


def _check_planned(session: LabourSession, message: str) -> None:
    if session.status != LabourSession.Status.PLANNED:
        raise ValidationError(message)


def _replacement(current: LabourSession, *, user, new_date, new_start_time) -> LabourSession:
    """The planned session that replaces a postponed one on ``new_date``, checked, not saved."""
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
    return replacement


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
    reason = _reason_required(reason, _("Give the reason for postponing."))
    replacement = None
    try:
        with session_write(session, version, user=user, token=token) as write:
            current = write.session
            _check_planned(current, _("Only a planned session can be postponed."))
            current.status = LabourSession.Status.POSTPONED
            current.status_reason = reason
            changes = {
                "status": [str(LabourSession.Status.PLANNED.label), current.get_status_display()]
            }
            if new_date:
                changes["date"] = [display(current, "date"), vn_date(new_date)]
            write.save(SessionChange.Action.POSTPONED, changes, reason)
            if new_date:
                replacement = _replacement(
                    current, user=user, new_date=new_date, new_start_time=new_start_time
                )
                replacement.save()
                dates = {"date": changes["date"]}
                record_change(replacement, user, SessionChange.Action.RESCHEDULED, dates, reason)
    except FormAlreadyDone:
        return getattr(_as_it_is(session), "rescheduled_as", None)
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
    reason = _reason_required(reason, _("Give the reason for cancelling."))
    try:
        with session_write(session, version, user=user, token=token) as write:
            current = write.session
            _check_planned(current, _("Only a planned session can be cancelled."))
            before = current.get_status_display()
            current.status = LabourSession.Status.CANCELLED
            current.status_reason = reason
            changes = {"status": [before, current.get_status_display()]}
            write.save(SessionChange.Action.CANCELLED, changes, reason)
    except FormAlreadyDone:
        return _as_it_is(session)
    return current
