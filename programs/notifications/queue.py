"""Writing notifications: one row per recipient and channel, unique by key, skipping kinds the
person turned off. Planning the same notice twice (two runs of the sender, a run after a
restart) inserts nothing the second time: rows whose key exists are ignored by the database."""

import datetime

from django.db.models import Q
from django.utils import timezone

from programs.models import Notification, NotificationPreference

from .channels.registry import configured_channels
from .recipients import Recipient


def disabled_for(people: list[Recipient]) -> set[tuple[str, str, str]]:
    """(recipient ident, kind, channel) of everything these people turned off, in one query."""
    users = [p.user.pk for p in people if p.user is not None]
    members = [p.member.pk for p in people if p.member is not None]
    if not users and not members:
        return set()
    rows = NotificationPreference.objects.filter(
        Q(user_id__in=users) | Q(member_id__in=members), enabled=False
    ).values_list("user_id", "member_id", "kind", "channel")
    return {(f"u{u}" if u else f"m{m}", kind, channel) for u, m, kind, channel in rows}


def is_enabled(notification: Notification) -> bool:
    """Whether the recipient still wants this kind on this channel (asked again when sending:
    turning a kind off stops what is already queued)."""
    person = (
        {"user_id": notification.recipient_user_id}
        if notification.recipient_user_id
        else {"member_id": notification.recipient_member_id}
    )
    return not NotificationPreference.objects.filter(
        **person, kind=notification.kind, channel=notification.channel, enabled=False
    ).exists()


def _rows(
    kind: str,
    people: list[Recipient],
    *,
    off: set[tuple[str, str, str]],
    subject: str,
    due_at: datetime.datetime,
    session=None,
    committee=None,
    expires_at: datetime.datetime | None = None,
    context: dict | None = None,
) -> list[Notification]:
    """The rows of one notice: for each person, each channel that reaches them and that they
    did not turn off (``off``: ``disabled_for``)."""
    due_on = timezone.localtime(due_at).date().isoformat()
    rows = []
    for person in people:
        for backend in configured_channels():
            if person.user is None and not backend.for_members:
                continue
            if (person.ident, kind, backend.name) in off or not backend.reaches(person):
                continue
            rows.append(
                Notification(
                    key=f"{kind}:{subject}:{person.ident}:{backend.name}:{due_on}",
                    kind=kind,
                    channel=backend.name,
                    recipient_user=person.user,
                    recipient_member=person.member,
                    address=backend.address(person),
                    language=person.language,
                    session=session,
                    committee=committee,
                    context=context or {},
                    due_at=due_at,
                    next_attempt_at=due_at,
                    expires_at=expires_at,
                )
            )
    return rows


def _insert(rows: list[Notification]) -> int:
    # Rows planned before are left out here (to count only new ones); a row a run at the same
    # moment inserts is skipped by the database itself: ON CONFLICT DO NOTHING.
    existing = set(
        Notification.objects.filter(key__in=[row.key for row in rows]).values_list("key", flat=True)
    )
    rows = [row for row in rows if row.key not in existing]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def enqueue(kind: str, people: list[Recipient], **notice) -> int:
    """Queue ``kind`` for ``people`` on every channel that reaches them; ``notice`` holds
    ``_rows``' other arguments (``subject`` names the object in the key: "s12", "c3:2026-11",
    "s12:change40"). Returns how many rows are new (rows already there are left alone)."""
    if not people:
        return 0
    return _insert(_rows(kind, people, off=disabled_for(people), **notice))


def enqueue_many(notices: list[dict]) -> int:
    """``enqueue`` for many notices at once (each a dict of its arguments), in a fixed number
    of queries (apart from Web Push's per-user check): preferences read once, one INSERT."""
    people = [person for notice in notices for person in notice["people"]]
    if not people:
        return 0
    off = disabled_for(people)
    return _insert(
        [
            row
            for notice in notices
            for row in _rows(notice["kind"], notice["people"], off=off, **notice["fields"])
        ]
    )
