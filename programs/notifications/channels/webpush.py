"""Web Push to the browsers (installed phone apps) a user subscribed from their settings page.

Off unless ``VAPID_PUBLIC_KEY`` and ``VAPID_PRIVATE_KEY`` are set. The payload is encrypted
(aes128gcm) and signed with the VAPID key by pywebpush; the service worker
(``templates/offline/sw.js``) shows it and opens its link when tapped.
"""

import json
import os
from urllib.parse import urlsplit

from django.conf import settings

from programs.models import NotificationChannel, PushSubscription

from .base import ChannelBackend, DeliveryError

# Gone: the browser dropped the subscription (app uninstalled, permission withdrawn).
GONE = {404, 410}


def endpoint_allowed(endpoint: str) -> bool:
    """Whether ``endpoint`` names a push service of ``WEBPUSH_ALLOWED_HOSTS`` (the server posts
    to it: any other host could be one inside our network)."""
    try:
        host = (urlsplit(endpoint).hostname or "").rstrip(".")
    except ValueError:
        return False
    for allowed in settings.WEBPUSH_ALLOWED_HOSTS:
        allowed = allowed.lower()
        if allowed.startswith("*."):
            if host.endswith(allowed[1:]) and len(host) > len(allowed) - 1:
                return True
        elif host == allowed:
            return True
    return False


def _no_redirects():
    """A requests session that never follows a redirect: a push service answers a post
    directly, and a redirect could lead to a host the allow-list does not name."""
    import requests

    class NoRedirects(requests.Session):
        def request(self, *args, **kwargs):
            kwargs["allow_redirects"] = False
            return super().request(*args, **kwargs)

    return NoRedirects()


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
        session = _no_redirects()
        for subscription in subscriptions:
            if not endpoint_allowed(subscription.endpoint):
                errors.append(f"{subscription.endpoint[:100]}: not an allowed push service")
                continue
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
                    requests_session=session,
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
