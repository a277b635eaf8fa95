"""In the application: the row itself is the notification; "sending" makes it visible in the
person's list (``/notifications/``) and in the header's unread count."""

from programs.models import NotificationChannel

from .base import ChannelBackend


class InAppChannel(ChannelBackend):
    name = NotificationChannel.INAPP

    def reaches(self, recipient) -> bool:
        return recipient.user is not None

    def send(self, notification, message) -> None:
        return None
