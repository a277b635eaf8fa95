"""Sending: plan what is due, claim it, deliver it, and record the outcome.

Exactly once, with several senders at once: a run claims due rows in a short transaction (on
PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED``, so a second run takes other rows instead of
waiting; SQLite's transactions take the write lock when they begin, so claims queue), marks them
``sending`` with its own id, commits, and only then sends. Another run never takes a row in
``sending`` unless its claim is older than ``CLAIM_TIMEOUT`` (the run died mid-way). Every
outcome is written only where the row is still claimed by this run.

A failed send is tried again after 5, 10, 20, 40 … minutes (``backoff``), up to
``MAX_ATTEMPTS``; then it stays ``failed``, with its last error, in the admin site. Before each
send the row is checked again: a cancelled session, a reminder whose session has started, a
late-log reminder whose log arrived, a kind the person turned off are not sent (``skipped``,
with the reason).
"""

import datetime
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from programs.models import LabourSession, Notification, NotificationKind

from . import rules
from .channels.base import DeliveryError, PermanentDeliveryError
from .channels.registry import channel
from .messages import build
from .queue import is_enabled

logger = logging.getLogger(__name__)

K = NotificationKind
S = Notification.Status
MAX_ATTEMPTS = 6
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)
BATCH = 100
# deliver()'s answer for a row another run took over: that run sends it and counts it.
LOST = "lost"


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=5 * 2 ** (attempts - 1))


@dataclass
class RunSummary:
    planned: int = 0
    sent: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0

    def __str__(self):
        return (
            f"planned {self.planned}, sent {self.sent}, not sent {self.skipped}, "
            f"to retry {self.retried}, failed {self.failed}"
        )


def claim(now: datetime.datetime, worker: str, limit: int = BATCH) -> list[int]:
    """Take up to ``limit`` rows due at ``now`` for ``worker``; returns their ids.

    A claim's age is measured on the clock, not against ``now`` (the run's start): a batch
    claimed late in a long run must not look stale to another run at once."""
    with transaction.atomic():
        claimed_at = timezone.now()
        due = Notification.objects.filter(
            Q(status=S.PENDING, next_attempt_at__lte=now)
            | Q(status=S.SENDING, claimed_at__lt=claimed_at - CLAIM_TIMEOUT)
        ).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        Notification.objects.filter(pk__in=ids).update(
            status=S.SENDING, claimed_by=worker, claimed_at=claimed_at
        )
    return ids


def still_claimed(notification: Notification, worker: str) -> bool:
    """Renew ``worker``'s claim on the row just before sending it; False if another run has
    taken it meanwhile (this run was slow past ``CLAIM_TIMEOUT``), so it must not be sent twice."""
    renewed = Notification.objects.filter(
        pk=notification.pk, claimed_by=worker, status=S.SENDING
    ).update(claimed_at=timezone.now())
    return renewed == 1


# Why a row was not sent, as administrators read it in the admin site (in the site's language).
SKIP_REASONS = {
    "expired": _("Not sent: the session had started."),
    "cancelled": _("Not sent: the session was cancelled."),
    "not_planned": _("Not sent: the session is no longer planned."),
    "log_arrived": _("Not sent: the log arrived."),
    "reviewed": _("Not sent: the log was already reviewed."),
    "turned_off": _("Not sent: the recipient turned this off."),
    "no_channel": _("Not sent: the channel is not configured."),
}

_LATE = (K.LOG_LATE, K.LOG_LATE_ESCALATED)
_SESSION_NOTICES = (K.SESSION_CREATED, K.SESSION_MOVED, K.SESSION_REMINDER)


def why_not(notification: Notification, now: datetime.datetime) -> str:
    """The reason not to send ``notification`` now (a key of SKIP_REASONS), or "" to send it."""
    if notification.expires_at and now >= notification.expires_at:
        return "expired"
    session = notification.session
    if session is not None:
        if session.status == LabourSession.Status.CANCELLED and (
            notification.kind != K.SESSION_CANCELLED
        ):
            return "cancelled"
        if notification.kind in _SESSION_NOTICES and not session.is_open:
            return "not_planned"
        if notification.kind in _LATE and (
            session.log_status not in rules.NO_LOG or session.status not in ("planned", "held")
        ):
            return "log_arrived"
        if notification.kind == K.LOG_SUBMITTED and (
            session.log_status != LabourSession.LogStatus.SUBMITTED
        ):
            return "reviewed"
    if not is_enabled(notification):
        return "turned_off"
    if not channel(notification.channel).is_configured():
        return "no_channel"
    return ""


def _finish(notification: Notification, worker: str, **fields) -> None:
    Notification.objects.filter(pk=notification.pk, claimed_by=worker).update(
        claimed_by="", claimed_at=None, **fields
    )


def _failed(notification: Notification, now, worker: str, error: Exception) -> str:
    """Record a failed send: to retry after ``backoff``, or failed for good."""
    attempts = notification.attempts + 1
    final = isinstance(error, PermanentDeliveryError) or attempts >= MAX_ATTEMPTS
    _finish(
        notification,
        worker,
        status=S.FAILED if final else S.PENDING,
        attempts=attempts,
        next_attempt_at=now + backoff(attempts),
        last_error=(str(error) or type(error).__name__)[:2000],
    )
    return S.FAILED if final else S.PENDING


def deliver(notification: Notification, now: datetime.datetime, worker: str) -> str:
    """Send one claimed row; returns its new status (or ``LOST``: not sent, not ours now)."""
    reason = why_not(notification, now)
    if reason:
        with translation.override(settings.LANGUAGE_CODE):
            text = str(SKIP_REASONS[reason])
        _finish(notification, worker, status=S.SKIPPED, last_error=text)
        return S.SKIPPED
    if not still_claimed(notification, worker):
        logger.warning("notification %s: claim lost to another run, not sent", notification.pk)
        return LOST
    try:
        message = build(notification)
        channel(notification.channel).send(notification, message)
    except DeliveryError as error:
        logger.warning("notification %s not sent: %s", notification.pk, error)
        return _failed(notification, now, worker, error)
    except Exception as error:
        # Anything else (a bad stored key, a bug in a channel) must not stop the run: the row
        # would stay "sending", be reclaimed later and stop that run too. Keep it as a failure.
        logger.exception("notification %s not sent: unexpected error", notification.pk)
        return _failed(notification, now, worker, error)
    _finish(
        notification,
        worker,
        status=S.SENT,
        sent_at=timezone.now(),
        attempts=notification.attempts + 1,
        last_error="",
        subject=message.subject[:300],
        body="\n".join(message.lines),
        link=message.path[:500],
    )
    return S.SENT


def run_once(*, now: datetime.datetime | None = None, worker: str | None = None) -> RunSummary:
    """Plan what is due at ``now``, then send every due row (in batches)."""
    now = now or timezone.now()
    worker = worker or uuid.uuid4().hex
    summary = RunSummary(planned=rules.plan_due(now))
    counters = {S.SENT: "sent", S.SKIPPED: "skipped", S.PENDING: "retried", S.FAILED: "failed"}
    while ids := claim(now, worker):
        rows = Notification.objects.filter(pk__in=ids).select_related(
            "session__cell__committee", "session__village", "committee", "recipient_user"
        )
        for notification in rows:
            outcome = deliver(notification, now, worker)
            if outcome in counters:
                name = counters[outcome]
                setattr(summary, name, getattr(summary, name) + 1)
    return summary
