"""The one interface every channel implements."""

from programs.notifications.messages import Message


class DeliveryError(Exception):
    """The message did not go out; the sender tries again later (with back-off)."""


class PermanentDeliveryError(DeliveryError):
    """The message can never go out this way (the address is gone): no retry."""


class ChannelBackend:
    """A way to reach people. ``name`` is a ``NotificationChannel`` value.

    - ``is_configured()``: whether the site can use the channel at all (keys, a server);
    - ``reaches(recipient)``: whether this person can be reached by it (an address, a
      subscription, an account);
    - ``address(recipient)``: what to keep on the row as "sent to";
    - ``send(notification, message)``: deliver, or raise ``DeliveryError``.
    """

    name: str = ""
    # Members without an account are reached only by channels that take an address.
    for_members: bool = False

    def is_configured(self) -> bool:
        return True

    def reaches(self, recipient) -> bool:
        raise NotImplementedError

    def address(self, recipient) -> str:
        return ""

    def send(self, notification, message: Message) -> None:
        raise NotImplementedError
