"""Notifications through real servers started by the tests: an SMTP server (aiosmtpd) that
reads the message back, a Web Push endpoint that receives the encrypted payload, and two
senders at once on PostgreSQL."""

import base64
import datetime
import email
import email.policy
import io
import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from programs.models import Notification, NotificationPreference, PushSubscription
from programs.notifications import sender
from tests import factories

ZONE = timezone.get_default_timezone()
REMINDER_TIME = datetime.datetime(2027, 3, 12, 8, 0, tzinfo=ZONE)


@pytest.fixture
def reminder_due(world, monkeypatch):
    """A session on 13/03/2027 with one member to remind, and the clock on the morning before."""
    monkeypatch.setattr(timezone, "now", lambda: REMINDER_TIME)
    member = factories.member(cell=world["cell"], email="lien@example.vn")
    session = factories.world_session(world, date=datetime.date(2027, 3, 13))
    return {"member": member, "session": session}


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    yield inbox
    controller.stop()


def test_a_reminder_through_a_real_smtp_server(reminder_due, smtp_server, client):
    summary = sender.run_once(now=REMINDER_TIME)
    assert summary.failed == 0
    [(recipients, raw)] = smtp_server.messages
    assert recipients == ["lien@example.vn"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"].strip() == "Nhắc lịch: buổi lao động ngày 13/03/2027"
    assert message["To"] == "lien@example.vn"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "13/03/2027" in text and "13/03/2027" in html
    link = re.search(r"http://testserver(/notifications/unsubscribe/\S+/)", text).group(1)
    assert f"<http://testserver{link}>" == message["List-Unsubscribe"].strip()
    # The link works without signing in: a page, then the one-click POST.
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 200
    assert NotificationPreference.objects.filter(
        member=reminder_due["member"], kind="session_reminder", channel="email", enabled=False
    ).exists()


class _PushEndpoint(BaseHTTPRequestHandler):
    received: list = []
    status = 201

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(type(self).status)
        if type(self).status in (301, 302, 307, 308):
            self.send_header("Location", "/elsewhere")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def push_endpoint():
    _PushEndpoint.received = []
    _PushEndpoint.status = 201
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PushEndpoint)
    # shutdown() waits for the loop to look again: every 0.5 s by default.
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/push/abc"
    server.shutdown()
    server.server_close()


def _keys():
    """A VAPID key pair for the site and a browser's subscription keys."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    vapid = ec.generate_private_key(ec.SECP256R1())
    # As ``vapid --gen`` prints it: the raw private number, base64url.
    vapid_private = b64(vapid.private_numbers().private_value.to_bytes(32, "big"))
    public = vapid.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    browser = ec.generate_private_key(ec.SECP256R1())
    browser_public = browser.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    auth = b"0123456789abcdef"
    return {
        "vapid_private": vapid_private,
        "vapid_public": b64(public),
        "browser": browser,
        "p256dh": b64(browser_public),
        "auth_raw": auth,
        "auth": b64(auth),
    }


def test_a_web_push_reaches_the_endpoint_encrypted(world, reminder_due, push_endpoint, settings):
    import http_ece

    keys = _keys()
    settings.VAPID_PRIVATE_KEY = keys["vapid_private"]
    settings.VAPID_PUBLIC_KEY = keys["vapid_public"]
    settings.WEBPUSH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.VAPID_SUBJECT = "mailto:admin@example.vn"
    PushSubscription.objects.create(
        user=world["secretary"], endpoint=push_endpoint, p256dh=keys["p256dh"], auth=keys["auth"]
    )
    summary = sender.run_once(now=REMINDER_TIME)
    assert summary.failed == 0
    [(headers, body)] = _PushEndpoint.received
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["authorization"].startswith("vapid t=")
    assert f"k={keys['vapid_public']}" in headers["authorization"]
    assert int(headers["ttl"]) == settings.WEBPUSH_TTL
    assert b"13/03/2027" not in body  # encrypted
    plain = http_ece.decrypt(
        body, private_key=keys["browser"], auth_secret=keys["auth_raw"], version="aes128gcm"
    )
    payload = json.loads(plain)
    assert payload["title"] == "Nhắc lịch: buổi lao động ngày 13/03/2027"
    assert payload["url"].endswith(reminder_due["session"].get_absolute_url())
    row = Notification.objects.get(channel="webpush")
    assert row.status == "sent"


def test_a_gone_push_subscription_is_removed(world, reminder_due, push_endpoint, settings):
    keys = _keys()
    settings.VAPID_PRIVATE_KEY = keys["vapid_private"]
    settings.VAPID_PUBLIC_KEY = keys["vapid_public"]
    settings.WEBPUSH_ALLOWED_HOSTS = ["127.0.0.1"]
    PushSubscription.objects.create(
        user=world["secretary"], endpoint=push_endpoint, p256dh=keys["p256dh"], auth=keys["auth"]
    )
    _PushEndpoint.status = 410
    sender.run_once(now=REMINDER_TIME)
    assert not PushSubscription.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two senders at once need two connections and row locks: PostgreSQL only",
)
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_message_once(world, monkeypatch, settings):
    from django.core import mail

    monkeypatch.setattr(timezone, "now", lambda: REMINDER_TIME)
    for n in range(30):
        factories.member(cell=world["cell"], email=f"m{n}@example.vn")
    factories.world_session(world, date=datetime.date(2027, 3, 13))
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            call_command("send_notifications", stdout=io.StringIO())
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    addresses = [message.to[0] for message in mail.outbox]
    assert len(addresses) == len(set(addresses)) == 30
    assert Notification.objects.filter(channel="email", status="sent").count() == 30


def test_a_push_subscription_with_bad_keys_does_not_stop_the_sender(
    world, reminder_due, push_endpoint, settings
):
    """A row whose channel raises something unexpected (here pywebpush on keys that are not
    base64) is recorded as a failure to retry; the run goes on with the other rows."""
    keys = _keys()
    settings.VAPID_PRIVATE_KEY = keys["vapid_private"]
    settings.VAPID_PUBLIC_KEY = keys["vapid_public"]
    settings.WEBPUSH_ALLOWED_HOSTS = ["127.0.0.1"]
    PushSubscription.objects.create(
        user=world["secretary"], endpoint=push_endpoint, p256dh="not*base64", auth="x"
    )
    summary = sender.run_once(now=REMINDER_TIME)
    push = Notification.objects.get(channel="webpush")
    assert (push.status, push.attempts, push.claimed_by) == ("pending", 1, "")
    assert push.last_error
    assert push.next_attempt_at == REMINDER_TIME + sender.backoff(1)
    assert summary.retried == 1
    others = Notification.objects.exclude(channel="webpush")
    assert others.exists()
    assert not others.filter(status="sending").exists()
    assert summary.sent == others.filter(status="sent").count() > 0


def test_a_push_endpoint_outside_the_allowed_hosts_is_not_posted_to(
    world, reminder_due, push_endpoint, settings
):
    """A subscription stored before the check, naming a host not on the list (here the local
    endpoint): nothing is posted there, the row is a failure to retry."""
    keys = _keys()
    settings.VAPID_PRIVATE_KEY = keys["vapid_private"]
    settings.VAPID_PUBLIC_KEY = keys["vapid_public"]
    settings.WEBPUSH_ALLOWED_HOSTS = ["fcm.googleapis.com", "*.push.apple.com"]
    PushSubscription.objects.create(
        user=world["secretary"], endpoint=push_endpoint, p256dh=keys["p256dh"], auth=keys["auth"]
    )
    sender.run_once(now=REMINDER_TIME)
    assert _PushEndpoint.received == []
    row = Notification.objects.get(channel="webpush")
    assert row.status == "pending"
    assert "not an allowed push service" in row.last_error


def test_a_push_service_redirect_is_not_followed(world, reminder_due, push_endpoint, settings):
    keys = _keys()
    settings.VAPID_PRIVATE_KEY = keys["vapid_private"]
    settings.VAPID_PUBLIC_KEY = keys["vapid_public"]
    settings.WEBPUSH_ALLOWED_HOSTS = ["127.0.0.1"]
    PushSubscription.objects.create(
        user=world["secretary"], endpoint=push_endpoint, p256dh=keys["p256dh"], auth=keys["auth"]
    )
    _PushEndpoint.status = 307
    sender.run_once(now=REMINDER_TIME)
    assert len(_PushEndpoint.received) == 1  # the redirect to /elsewhere was not followed
    row = Notification.objects.get(channel="webpush")
    assert (row.status, row.attempts) == ("pending", 1)
    assert "307" in row.last_error
