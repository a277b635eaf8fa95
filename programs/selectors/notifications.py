"""Reads about notifications: the in-app list, the header's unread count, what was sent about
a session."""

from programs import permissions
from programs.models import Notification

__all__ = ["inbox", "sent_about_session", "unread_count"]


def inbox(user):
    return Notification.objects.in_app_for(user).order_by("-sent_at", "-pk")


def unread_count(user) -> int:
    """One COUNT on the inbox index (the header shows it on every page)."""
    return Notification.objects.in_app_for(user).unread().count()


def sent_about_session(user, session) -> list[Notification]:
    """What was sent about ``session``: everything to those who manage it (with recipients),
    to others only what they received themselves."""
    rows = (
        Notification.objects.filter(session=session, status=Notification.Status.SENT)
        .select_related("recipient_user", "recipient_member")
        .order_by("sent_at", "pk")
    )
    if not permissions.can_manage_session(user, session):
        rows = rows.filter(recipient_user=user)
    return list(rows)
