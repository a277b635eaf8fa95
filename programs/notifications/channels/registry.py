"""The channels, by name. Every part of the code reaches a channel through ``channel(name)``
and ``configured_channels()``, never by importing a backend.

Adding SMS or Zalo: write ``channels/sms.py`` (or ``zalo.py``) with a ``ChannelBackend``
whose ``is_configured()`` reads its gateway's settings, ``reaches()`` accepts a recipient
with a phone number (``Member.phone``, and a phone field for users, which accounts do not
have yet), ``for_members = True`` and ``send()`` calling the gateway; add its value to
``NotificationChannel`` (a migration changes the choices only) and its instance below. The
preferences page, the unsubscribe rule and the sender then handle it like the others. None is
shipped: there is no gateway contract to test against, and a fake one would only pretend.
"""

from programs.models import NotificationChannel

from .email import EmailChannel
from .inapp import InAppChannel
from .webpush import WebPushChannel

CHANNELS = {
    NotificationChannel.EMAIL: EmailChannel(),
    NotificationChannel.INAPP: InAppChannel(),
    NotificationChannel.WEBPUSH: WebPushChannel(),
}


def channel(name: str):
    return CHANNELS[name]


def configured_channels() -> list:
    return [backend for backend in CHANNELS.values() if backend.is_configured()]
