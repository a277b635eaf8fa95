"""The notices a change to a session causes, queued in the same transaction as the change
(``programs.services._history.record_change`` calls ``session_changed``): if the change is
rolled back, so are its notices; the sender delivers them on its next run.

- created, moved (a new date or time, or the replacement of a postponed session), postponed,
  cancelled: to the cell's secretary and members with an address, while the session is still
  ahead (a past session sends nothing);
- a log submitted: to the officers who review it; returned (with the comment) or confirmed:
  to the cell's secretary.

Whoever made the change is not told of it.
"""

from django.utils import timezone

from programs.models import LabourSession, NotificationKind, SessionChange

from . import recipients
from .queue import enqueue, enqueue_many
from .rules import session_start

K = NotificationKind
A = SessionChange.Action

_SESSION_KINDS = {
    A.CREATED: K.SESSION_CREATED,
    A.POSTPONED: K.SESSION_POSTPONED,
    A.CANCELLED: K.SESSION_CANCELLED,
}
_LOG_KINDS = {
    A.LOG_SUBMITTED: K.LOG_SUBMITTED,
    A.LOG_RETURNED: K.LOG_RETURNED,
    A.LOG_CONFIRMED: K.LOG_CONFIRMED,
}


def _session_kind(change: SessionChange) -> str | None:
    if change.action in _SESSION_KINDS:
        return _SESSION_KINDS[change.action]
    if change.action == A.UPDATED and {"date", "start_time"} & set(change.changes):
        return K.SESSION_MOVED
    # A postponed session's replacement is announced by the postponement notice (which names
    # the new date): one message, not two.
    return None


def _context(kind: str, change: SessionChange) -> dict:
    dates = change.changes.get("date")
    if kind == K.SESSION_MOVED and dates:
        return {"old_date": dates[0]}
    if kind == K.SESSION_POSTPONED and dates:
        return {"new_date": dates[1]}
    return {}


def session_changed(change: SessionChange) -> int:
    """Queue the notices ``change`` causes; returns the rows offered."""
    session: LabourSession = change.session
    now = timezone.now()
    subject = f"s{session.pk}:change{change.pk}"
    kind = _session_kind(change)
    if kind is not None:
        start = session_start(session)
        if start <= now:
            return 0
        people = recipients.without(recipients.session_people(session), change.user)
        return enqueue(
            kind,
            people,
            subject=subject,
            due_at=now,
            session=session,
            expires_at=start,
            context=_context(kind, change),
        )
    kind = _LOG_KINDS.get(change.action)
    if kind is None:
        return 0
    if kind == K.LOG_SUBMITTED:
        people = recipients.officers(session.cell.committee)
    else:
        people = recipients.secretaries(session.cell_id)
    people = recipients.without(people, change.user)
    # The comment as written then: a later confirmation clears it from the session.
    context = {"comment": change.reason} if kind == K.LOG_RETURNED else {}
    return enqueue(kind, people, subject=subject, due_at=now, session=session, context=context)


def sessions_created(changes: list[SessionChange]) -> int:
    """``session_changed`` for many "created" entries at once (the month planner's bulk
    insert), in a fixed number of queries; returns the rows offered."""
    now = timezone.now()
    ahead = [change for change in changes if session_start(change.session) > now]
    if not ahead:
        return 0
    people = recipients.session_people_by_cell({change.session.cell_id for change in ahead})
    return enqueue_many(
        [
            {
                "kind": K.SESSION_CREATED,
                "people": recipients.without(people[change.session.cell_id], change.user),
                "fields": {
                    "subject": f"s{change.session.pk}:change{change.pk}",
                    "due_at": now,
                    "session": change.session,
                    "expires_at": session_start(change.session),
                },
            }
            for change in ahead
        ]
    )
