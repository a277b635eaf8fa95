"""Web Push to the browsers (installed phone apps) a user subscribed from their settings page.

Off unless ``VAPID_PUBLIC_KEY`` and ``VAPID_PRIVATE_KEY`` are set. The payload is encrypted
(aes128gcm) and signed with the VAPID key by pywebpush; the service worker
(``templates/offline/sw.js``) shows it and opens its link when tapped.
"""

import json
import os

from django.conf import settings

from programs.models import NotificationChannel, PushSubscription

from .base import ChannelBackend, DeliveryError

# Gone: the browser dropped the subscription (app uninstalled, permission withdrawn).
GONE = {404, 410}


def vapid_configured() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def vapid_key():
    """The site's VAPID key from ``VAPID_PRIVATE_KEY``: base64url (raw, as ``vapid --gen`` and
    ``web-push generate-vapid-keys`` print it, or DER), PEM text, or a PEM file's path."""
    from py_vapid import Vapid

    key = settings.VAPID_PRIVATE_KEY.strip()
    if key.startswith("-----BEGIN"):
        return Vapid.from_pem(key.encode())
    if os.path.isfile(key):
        return Vapid.from_file(key)
    return Vapid.from_string(key)


class WebPushChannel(ChannelBackend):
    name = NotificationChannel.WEBPUSH

    def is_configured(self) -> bool:
        return vapid_configured()

    def reaches(self, recipient) -> bool:
        return recipient.user is not None and recipient.user.push_subscriptions.exists()

    def send(self, notification, message) -> None:
        from pywebpush import WebPushException, webpush

        payload = json.dumps(
            {"title": message.subject, "body": message.short, "url": message.url},
            ensure_ascii=False,
        )
        subscriptions = list(PushSubscription.objects.filter(user=notification.recipient_user))
        key = vapid_key()
        errors = []
        for subscription in subscriptions:
            try:
                webpush(
                    subscription_info={
                        "endpoint": subscription.endpoint,
                        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                    },
                    data=payload,
                    vapid_private_key=key,
                    vapid_claims={"sub": settings.VAPID_SUBJECT},
                    ttl=settings.WEBPUSH_TTL,
                    timeout=10,
                )
            except WebPushException as error:
                status = getattr(error.response, "status_code", None)
                if status in GONE:
                    subscription.delete()
                else:
                    errors.append(f"{status}: {error}")
            except OSError as error:
                errors.append(str(error))
        if errors and len(errors) == len(subscriptions):
            raise DeliveryError("; ".join(errors))
