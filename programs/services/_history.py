"""A session's history, and the sequence every write to a session follows.

``session_write`` is that sequence: in one transaction, lock the session's row, claim the
form's one-time token, refuse a stale version; the writer changes the locked session, then
``SessionWrite.save`` bumps the version, validates with the model's rules, saves and records
one history entry (old → new values), which queues the notices the change causes. The
snapshot and diff helpers turn a session's tracked fields into the text the history shows.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction

from programs.models import LabourSession, SessionChange
from programs.services.rollups import rollup_refresh, session_rollup_key
from programs.services.tokens import claim_session_form
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


def display(session: LabourSession, name: str) -> str:
    """A tracked field of ``session`` as the history shows it."""
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
    return {name: display(session, name) for name in TRACKED_FIELDS}


def session_diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {
        name: [before[name], after[name]] for name in TRACKED_FIELDS if before[name] != after[name]
    }


def record_change(session, user, action, changes=None, reason=""):
    """One history entry, and the notices it causes (queued in the same transaction: a write
    rolled back queues nothing; ``programs.notifications.events``)."""
    from programs.notifications.events import session_changed

    change = SessionChange.objects.create(
        session=session, user=user, action=action, changes=changes or {}, reason=reason
    )
    session_changed(change)
    return change


def _lock_session(session: LabourSession, version: int | None, *, token, user) -> LabourSession:
    """Re-read the session under a row lock, claim the form's one-time token, then refuse a
    stale version.

    The token comes before the version: the copies of one form all carry the version the first
    copy has just changed, and must be told "already done" (FormAlreadyDone), not "stale".
    """
    current = LabourSession.objects.select_for_update().get(pk=session.pk)
    claim_session_form(token, user=user, session=current)
    if version is not None and current.version != version:
        raise StaleEditError(current)
    return current


@dataclass
class SessionWrite:
    """A write in progress: the locked ``session`` to change, and who changes it."""

    session: LabourSession
    user: object
    # The (cell, month) the session's confirmed log counted in when the write began.
    counted_in: tuple | None = None

    def save(self, action, changes: dict, reason: str = "") -> None:
        """Version + 1, the model's rules (``full_clean``), save, one history entry, and the
        monthly roll-ups the confirmed log counted in before or counts in now, recomputed
        under the same lock."""
        self.session.version += 1
        self.session.full_clean()
        self.session.save()
        record_change(self.session, self.user, action, changes, reason)
        now = session_rollup_key(self.session)
        if self.counted_in or now:
            rollup_refresh(keys=[self.counted_in, now])


@contextmanager
def session_write(
    session: LabourSession, version: int | None, *, user, token=None
) -> Iterator[SessionWrite]:
    """Open a transaction, lock ``session``, claim ``token`` and check ``version``; the block
    changes ``write.session`` and calls ``write.save(...)``. Everything is rolled back if the
    block raises.

    Raises FormAlreadyDone (nothing written) when the form was carried out before, and
    StaleEditError when someone saved the session since ``version`` was read.
    """
    with transaction.atomic():
        current = _lock_session(session, version, token=token, user=user)
        yield SessionWrite(current, user, counted_in=session_rollup_key(current))
