"""The notices that fall due with time, planned on every run of the sender.

- a planned session: a reminder to the cell's secretary and its members with an address, on
  the morning ``remind_days_before`` days before (3) and again ``remind_again_days_before``
  (1); each is due at ``MORNING`` and stays due until the session starts, never after. A run
  that finds both due (the sender was down) sends only the nearer one;
- no log ``late_log_days`` (2) after the session: to the secretary; ``escalate_days`` (7)
  after: to the committee's officers. Due from that morning on, whenever the sender runs,
  while the log is still missing (within ``NOTIFY_LATE_LOG_LOOKBACK_DAYS``, so a first run on
  years of history does not mail every old gap);
- the first morning of a month: to the officers of each committee, its cells that held
  nothing the month before (during that whole month, if the sender was down).

Day counts are a committee's ``NotificationRules`` (the nearest committee up the tree that has
some), else the defaults of that model. Cancelled and postponed sessions are never reminded of.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from programs import permissions
from programs.models import (
    LabourSession,
    Notification,
    NotificationKind,
    NotificationRules,
    PartyCell,
    PartyCommittee,
    Role,
)

from . import recipients
from .queue import enqueue

K = NotificationKind
MORNING = datetime.time(7, 0)
# Log states that count as "no log yet": nothing written, or a draft never submitted.
NO_LOG = ("", LabourSession.LogStatus.DRAFT)


@dataclass(frozen=True)
class DayCounts:
    remind_days_before: int = 3
    remind_again_days_before: int = 1
    late_log_days: int = 2
    escalate_days: int = 7


class RuleBook:
    """Each committee's day counts, read once per run (the nearest committee with rules)."""

    def __init__(self):
        self.parents = dict(PartyCommittee.objects.values_list("id", "parent_id"))
        self.rules = {
            r.committee_id: DayCounts(
                r.remind_days_before,
                r.remind_again_days_before,
                r.late_log_days,
                r.escalate_days,
            )
            for r in NotificationRules.objects.all()
        }

    def for_committee(self, committee_id: int | None) -> DayCounts:
        seen = set()
        while committee_id is not None and committee_id not in seen:
            if committee_id in self.rules:
                return self.rules[committee_id]
            seen.add(committee_id)
            committee_id = self.parents.get(committee_id)
        return DayCounts()

    @property
    def longest_lead(self) -> int:
        counts = [*self.rules.values(), DayCounts()]
        return max(max(c.remind_days_before, c.remind_again_days_before) for c in counts)


def morning_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, MORNING, tzinfo=timezone.get_current_timezone())


def session_start(session: LabourSession) -> datetime.datetime:
    return datetime.datetime.combine(
        session.date, session.start_time, tzinfo=timezone.get_current_timezone()
    )


def _planned_already(kinds, sessions) -> set[tuple[int, str, datetime.datetime]]:
    """(session, kind, due) of the notices planned before for these sessions, in one query: a
    run every few minutes skips them without asking for their recipients again. (Whoever
    joins the cell after a notice fell due is not sent that one.)"""
    return set(
        Notification.objects.filter(kind__in=kinds, session__in=sessions).values_list(
            "session_id", "kind", "due_at"
        )
    )


def plan_reminders(now: datetime.datetime, book: RuleBook) -> int:
    today = timezone.localdate(now)
    sessions = list(
        LabourSession.objects.planned()
        .between(today, today + datetime.timedelta(days=book.longest_lead))
        .select_related("cell")
    )
    done = _planned_already([K.SESSION_REMINDER], sessions)
    queued = 0
    for session in sessions:
        start = session_start(session)
        counts = book.for_committee(session.cell.committee_id)
        offsets = {counts.remind_days_before, counts.remind_again_days_before}
        due = [
            morning_of(session.date - datetime.timedelta(days=days))
            for days in sorted(offsets, reverse=True)
        ]
        due = [moment for moment in due if moment <= now < start]
        if not due or (session.pk, K.SESSION_REMINDER, due[-1]) in done:
            continue
        # The nearest reminder only: after downtime one message, not two at once.
        queued += enqueue(
            K.SESSION_REMINDER,
            recipients.session_people(session),
            subject=f"s{session.pk}",
            due_at=due[-1],
            session=session,
            expires_at=start,
        )
    return queued


def plan_late_logs(now: datetime.datetime, book: RuleBook) -> int:
    today = timezone.localdate(now)
    lookback = datetime.timedelta(days=settings.NOTIFY_LATE_LOG_LOOKBACK_DAYS)
    sessions = list(
        LabourSession.objects.filter(
            status__in=[LabourSession.Status.PLANNED, LabourSession.Status.HELD],
            log_status__in=NO_LOG,
        )
        .between(today - lookback, today - datetime.timedelta(days=1))
        .select_related("cell__committee")
    )
    done = _planned_already([K.LOG_LATE, K.LOG_LATE_ESCALATED], sessions)
    queued = 0
    for session in sessions:
        counts = book.for_committee(session.cell.committee_id)
        late = morning_of(session.date + datetime.timedelta(days=counts.late_log_days))
        if late <= now and (session.pk, K.LOG_LATE, late) not in done:
            people = recipients.secretaries(session.cell_id)
            queued += enqueue(
                K.LOG_LATE, people, subject=f"s{session.pk}", due_at=late, session=session
            )
        escalate = morning_of(session.date + datetime.timedelta(days=counts.escalate_days))
        if escalate <= now and (session.pk, K.LOG_LATE_ESCALATED, escalate) not in done:
            people = recipients.officers(session.cell.committee)
            queued += enqueue(
                K.LOG_LATE_ESCALATED,
                people,
                subject=f"s{session.pk}",
                due_at=escalate,
                session=session,
            )
    return queued


def _previous_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def idle_cells(committee_id: int, start: datetime.date, end: datetime.date) -> list[str]:
    """The active cells under ``committee_id`` that held no session from ``start`` to ``end``."""
    subtree = permissions.committee_subtree_ids(committee_id)
    held = LabourSession.objects.held().between(start, end).values("cell_id")
    cells = PartyCell.objects.filter(committee_id__in=subtree, active=True).exclude(pk__in=held)
    return [str(cell) for cell in cells.order_by("committee__name", "name")]


def plan_month_digest(now: datetime.datetime) -> int:
    today = timezone.localdate(now)
    due = morning_of(today.replace(day=1))
    if now < due:
        return 0
    start, end = _previous_month(today)
    done = Notification.objects.filter(kind=K.MONTH_IDLE_CELLS, due_at=due).values("committee_id")
    committees = PartyCommittee.objects.filter(
        pk__in=Role.objects.filter(kind=Role.Kind.OFFICER).values("committee_id")
    ).exclude(pk__in=done)
    queued = 0
    for committee in committees:
        cells = idle_cells(committee.pk, start, end)
        if not cells:
            continue
        month = start.strftime("%m/%Y")
        queued += enqueue(
            K.MONTH_IDLE_CELLS,
            recipients.officers(committee),
            subject=f"c{committee.pk}:{start:%Y-%m}",
            due_at=due,
            committee=committee,
            context={"month_label": month, "cells": cells},
        )
    return queued


def plan_due(now: datetime.datetime) -> int:
    """Queue every notice due at ``now`` that is not queued yet; returns the rows offered."""
    book = RuleBook()
    return plan_reminders(now, book) + plan_late_logs(now, book) + plan_month_digest(now)
