"""Reminders and notices (issue 13): a simulated month with the clock moved, each rule once, to
the right people, in their language; preferences; the unsubscribe link; the pages."""

import datetime
import re
from collections import Counter

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from programs.models import (
    LabourSession,
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
    NotificationRules,
    PushSubscription,
    UserProfile,
)
from programs.notifications import sender
from programs.services import logbook, sessions
from tests import factories
from tests.queries import pinned_queries

K = NotificationKind
ZONE = timezone.get_default_timezone()


def at(day: datetime.date, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZONE)


class Clock:
    """``timezone.now()`` for the code under test: set it, or move it and run the sender."""

    def __init__(self, start: datetime.datetime):
        self.now = start

    def __call__(self):
        return self.now

    def run(self):
        return sender.run_once(now=self.now)

    def walk_to(self, end: datetime.datetime, step=datetime.timedelta(hours=3)):
        while self.now < end:
            self.now = min(self.now + step, end)
            self.run()


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(at(datetime.date(2027, 3, 1), 6))
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture
def people(world):
    """Addresses: the secretary reads English, everyone else Vietnamese (the default)."""
    for name in ("officer", "secretary", "secretary2", "viewer"):
        user = world[name]
        user.email = f"{name}@example.vn"
        user.save()
    UserProfile.objects.create(user=world["secretary"], language="en")
    return {
        "member": factories.member(cell=world["cell"], email="lien@example.vn"),
        "no_address": factories.member(cell=world["cell"]),
        "left": factories.member(cell=world["cell"], email="left@example.vn", active=False),
        "outsider": factories.member(cell=world["other_cell"], email="other@example.vn"),
    }


def _mails(about: str = "") -> Counter:
    """(first recipient, subject) → how many times it was sent; with ``about``, only the
    subjects naming it (a date)."""
    return Counter(
        (message.to[0], message.subject) for message in mail.outbox if about in message.subject
    )


def _create(world, day, user):
    return sessions.session_create(
        user=user,
        directive=world["directive"],
        cell=world["cell"],
        village=world["village"],
        date=day,
        planned_work="Lắp kênh mương",
    )


def test_a_month_of_reminders(world, people, clock):
    officer, secretary = world["officer"], world["secretary"]
    session = _create(world, datetime.date(2027, 3, 13), officer)
    doomed = _create(world, datetime.date(2027, 3, 20), officer)
    clock.run()
    created = _mails()
    assert created == {
        ("secretary@example.vn", "New labour session on 13/03/2027"): 1,
        ("lien@example.vn", "Buổi lao động mới ngày 13/03/2027"): 1,
        ("secretary@example.vn", "New labour session on 20/03/2027"): 1,
        ("lien@example.vn", "Buổi lao động mới ngày 20/03/2027"): 1,
    }
    clock.walk_to(at(datetime.date(2027, 3, 5), 12))
    sessions.session_cancel(session=doomed, user=officer, reason="Mưa lớn", version=1)
    clock.walk_to(at(datetime.date(2027, 4, 2), 12))

    sent = _mails() - created
    assert sent == {
        # Cancelled: the notice, then nothing more about it.
        ("secretary@example.vn", "Labour session of 20/03/2027 cancelled"): 1,
        ("lien@example.vn", "Buổi lao động ngày 20/03/2027 bị hủy"): 1,
        # 3 days before and the morning before, in each person's language.
        ("secretary@example.vn", "Reminder: labour session on 13/03/2027"): 2,
        ("lien@example.vn", "Nhắc lịch: buổi lao động ngày 13/03/2027"): 2,
        # No log 2 days after: the secretary; 7 days after: the committee's officers.
        ("secretary@example.vn", "The log of the session on 13/03/2027 is late"): 1,
        (
            "officer@example.vn",
            "Chi bộ Văn phòng: vẫn chưa có kết quả buổi lao động ngày 13/03/2027",
        ): 1,
        # The first morning of April: the cells that held nothing in March (and February,
        # reported on 1 March).
        (
            "officer@example.vn",
            "Đảng ủy Cơ quan Chính quyền huyện: các chi bộ không tổ chức buổi lao động "
            "nào trong tháng 03/2027",
        ): 1,
        (
            "officer@example.vn",
            "Đảng ủy Cơ quan Chính quyền huyện: các chi bộ không tổ chức buổi lao động "
            "nào trong tháng 02/2027",
        ): 1,
    }
    reminder_days = sorted(
        timezone.localtime(n.due_at).date()
        for n in Notification.objects.filter(
            kind=K.SESSION_REMINDER, channel="email", address="lien@example.vn"
        )
    )
    assert reminder_days == [datetime.date(2027, 3, 10), datetime.date(2027, 3, 12)]
    # Nobody outside the cell, no inactive member, nothing on the viewer's or outsider's side.
    addresses = {message.to[0] for message in mail.outbox}
    assert addresses == {"secretary@example.vn", "lien@example.vn", "officer@example.vn"}
    # Every mail names its session's date as dd/mm/yyyy and links to its page.
    reminder = next(m for m in mail.outbox if "Reminder" in m.subject)
    assert f"http://testserver/sessions/{session.pk}/" in reminder.body
    assert "13/03/2027" in reminder.body
    # The in-app copies are the same notices, once each.
    assert (
        Notification.objects.filter(
            recipient_user=secretary, channel="inapp", kind=K.SESSION_REMINDER, status="sent"
        ).count()
        == 2
    )


def test_a_coming_session_reminder_is_sent_late_until_it_starts_then_never(world, people, clock):
    session = factories.world_session(world, date=datetime.date(2027, 3, 13))
    # The sender was down all week: at 06:00 on the day, the nearer reminder only, once.
    clock.now = at(datetime.date(2027, 3, 13), 6)
    clock.run()
    clock.run()
    assert _mails("13/03/2027") == {
        ("secretary@example.vn", "Reminder: labour session on 13/03/2027"): 1,
        ("lien@example.vn", "Nhắc lịch: buổi lao động ngày 13/03/2027"): 1,
    }
    # Down until after the start: nothing (a queued one expires too).
    mail.outbox.clear()
    other = factories.world_session(world, date=datetime.date(2027, 3, 20))
    clock.now = at(datetime.date(2027, 3, 17), 8)
    sender.rules.plan_due(clock.now)
    clock.now = at(datetime.date(2027, 3, 20), 8)
    summary = clock.run()
    assert not [m for m in mail.outbox if "20/03/2027" in m.subject]
    assert summary.skipped >= 2
    assert set(Notification.objects.filter(session=other).values_list("status", flat=True)) == {
        "skipped"
    }
    assert session.pk != other.pk


def test_a_late_log_reminder_goes_any_time_after_its_day_until_the_log_arrives(
    world, people, clock
):
    session = factories.world_session(world, date=datetime.date(2027, 2, 27))
    clock.now = at(datetime.date(2027, 3, 12), 9)  # two weeks of silence
    clock.run()
    subjects = {subject for _to, subject in _mails()}
    assert "The log of the session on 27/02/2027 is late" in subjects
    assert any("vẫn chưa có kết quả" in s for s in subjects)
    # Submitted meanwhile: a reminder already queued is not sent.
    mail.outbox.clear()
    Notification.objects.all().delete()
    sender.rules.plan_due(clock.now)
    LabourSession.objects.filter(pk=session.pk).update(
        status="held", log_status="submitted", log_submitted_at=clock.now
    )
    clock.run()
    assert _mails("27/02/2027") == {}
    assert set(
        Notification.objects.filter(session=session).values_list("last_error", flat=True)
    ) == {"Không gửi: đã có kết quả."}


def test_log_sign_off_notices(world, people, clock):
    officer, secretary = world["officer"], world["secretary"]
    session = factories.world_session(world, date=datetime.date(2027, 2, 27))
    data = logbook.LogInput(unlisted_villagers=12)
    session = logbook.session_log_save(
        session=session, user=secretary, version=1, data=data, submit=True
    )
    clock.run()
    session = logbook.session_log_return(
        session=session, user=officer, version=session.version, comment="Thiếu ảnh"
    )
    session = logbook.session_log_save(
        session=session, user=secretary, version=session.version, data=data, submit=True
    )
    logbook.session_log_confirm(session=session, user=officer, version=session.version)
    clock.run()
    sent = _mails()
    assert sent[("officer@example.vn", "Kết quả cần xác nhận: buổi lao động ngày 27/02/2027")] == 1
    returned = ("secretary@example.vn", "Log returned for correction: session on 27/02/2027")
    assert sent[returned] == 1
    assert sent[("secretary@example.vn", "Log confirmed: session on 27/02/2027")] == 1
    body = next(m.body for m in mail.outbox if m.subject == returned[1])
    assert "Thiếu ảnh" in body
    # The second submission was confirmed before the sender ran: not asked for any more.
    second = Notification.objects.filter(kind=K.LOG_SUBMITTED, channel="email").order_by("pk")
    assert [n.status for n in second] == ["sent", "skipped"]
    # Nobody is told of their own act: the secretary gets no "submitted", the officer no
    # "returned" or "confirmed".
    assert not Notification.objects.filter(kind=K.LOG_SUBMITTED, recipient_user=secretary)
    assert not Notification.objects.filter(kind=K.LOG_CONFIRMED, recipient_user=officer)


def test_preferences_stop_a_kind(world, people, clock, client):
    client.force_login(world["secretary"])
    url = reverse("programs:notification-settings")
    page = client.get(url)
    form = page.context["form"]
    posted = {name: "on" for name, field in form.fields.items() if field.initial is True}
    posted.pop(f"{K.SESSION_REMINDER}__email")
    posted["language"] = "vi"
    response = client.post(url, posted)
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(
        user=world["secretary"], kind=K.SESSION_REMINDER, channel="email"
    )
    assert pref.enabled is False
    assert UserProfile.objects.get(user=world["secretary"]).language == "vi"
    factories.world_session(world, date=datetime.date(2027, 3, 13))
    clock.now = at(datetime.date(2027, 3, 12), 8)
    clock.run()
    assert ("secretary@example.vn", "Nhắc lịch: buổi lao động ngày 13/03/2027") not in _mails()
    assert ("lien@example.vn", "Nhắc lịch: buổi lao động ngày 13/03/2027") in _mails()
    # Still in the app.
    assert Notification.objects.filter(
        recipient_user=world["secretary"], channel="inapp", kind=K.SESSION_REMINDER
    ).exists()


def test_committee_day_counts(world, people, clock, client):
    clock.now = at(datetime.date(2027, 3, 8), 8)
    client.force_login(world["officer"])
    url = reverse("programs:notification-rules", args=[world["committee"].pk])
    response = client.post(
        url,
        {
            "remind_days_before": 5,
            "remind_again_days_before": 2,
            "late_log_days": 1,
            "escalate_days": 4,
        },
    )
    assert response.status_code == 302
    rules = NotificationRules.objects.get(committee=world["committee"])
    assert (rules.remind_days_before, rules.escalate_days) == (5, 4)
    factories.world_session(world, date=datetime.date(2027, 3, 13))
    clock.run()
    assert ("lien@example.vn", "Nhắc lịch: buổi lao động ngày 13/03/2027") in _mails()
    # Out of range: the form's message, nothing saved.
    response = client.post(
        url,
        {
            "remind_days_before": 500,
            "remind_again_days_before": 1,
            "late_log_days": 1,
            "escalate_days": 4,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    rules.refresh_from_db()
    assert rules.remind_days_before == 5
    # A secretary or an outsider's committee: no.
    client.force_login(world["secretary"])
    assert client.get(url).status_code in (403, 404)
    client.force_login(world["officer"])
    outsider = reverse("programs:notification-rules", args=[world["outsider_committee"].pk])
    assert client.get(outsider).status_code == 404


def test_the_unsubscribe_link_works_without_login(world, people, clock, client):
    factories.world_session(world, date=datetime.date(2027, 3, 13))
    clock.now = at(datetime.date(2027, 3, 12), 8)
    clock.run()
    message = next(m for m in mail.outbox if m.to == ["lien@example.vn"])
    link = re.search(r"http://testserver(/notifications/unsubscribe/[^/\s]+/)", message.body)
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{link.group(1)}>"
    page = client.get(link.group(1))
    assert page.status_code == 200
    assert not NotificationPreference.objects.exists()  # a GET (a mail scanner) changes nothing
    assert client.post(link.group(1)).status_code == 200
    assert client.post(link.group(1)).status_code == 200  # twice: the same
    pref = NotificationPreference.objects.get(member=people["member"])
    assert (pref.kind, pref.channel, pref.enabled) == (K.SESSION_REMINDER, "email", False)
    # A forged or altered token: 404, nothing written.
    forged = link.group(1).replace("/unsubscribe/", "/unsubscribe/x")
    assert client.post(forged).status_code == 404
    assert client.get("/notifications/unsubscribe/%00/").status_code == 404
    assert NotificationPreference.objects.count() == 1


def test_a_failed_send_is_retried_with_back_off_and_shown(world, people, clock, monkeypatch):
    from programs.notifications.channels import email as email_channel

    def broken(self, *args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(email_channel.EmailMultiAlternatives, "send", broken)
    factories.world_session(world, date=datetime.date(2027, 3, 13))
    clock.now = at(datetime.date(2027, 3, 12), 8)
    clock.run()
    failing = Notification.objects.filter(channel="email", address="lien@example.vn").get()
    assert (failing.status, failing.attempts) == ("pending", 1)
    assert "connection refused" in failing.last_error
    assert failing.next_attempt_at == clock.now + datetime.timedelta(minutes=5)
    clock.run()  # too early: not tried again
    failing.refresh_from_db()
    assert failing.attempts == 1
    monkeypatch.undo()
    monkeypatch.setattr(timezone, "now", clock)
    clock.now += datetime.timedelta(minutes=6)
    clock.run()
    failing.refresh_from_db()
    assert (failing.status, failing.attempts, failing.last_error) == ("sent", 2, "")


def test_notification_list_page_and_header(world, people, clock, client):
    factories.world_session(world, date=datetime.date(2027, 3, 13))
    clock.now = at(datetime.date(2027, 3, 12), 8)
    clock.run()
    client.force_login(world["secretary"])
    page = client.get(reverse("programs:notifications"))
    assert page.context["inbox"].unread == 1
    assert b"13/03/2027" in page.content
    client.post(reverse("programs:notifications-mark-read"))
    assert not Notification.objects.in_app_for(world["secretary"]).unread().exists()
    # Another person's notifications are not in the list.
    client.force_login(world["secretary2"])
    assert client.get(reverse("programs:notifications")).context["notifications"] == []


def _inbox_rows(user, n, session):
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            key=f"test:{user.pk}:{i}",
            kind=K.SESSION_REMINDER,
            channel=NotificationChannel.INAPP,
            recipient_user=user,
            session=session,
            due_at=now,
            next_attempt_at=now,
            status="sent",
            sent_at=now,
            subject=f"Nhắc lịch {i}",
            body="…",
            link=session.get_absolute_url(),
        )
        for i in range(n)
    )


def test_notification_list_query_count(world, session, client):
    user = world["secretary"]
    client.force_login(user)
    url = reverse("programs:notifications")
    _inbox_rows(user, 1, session)
    client.get(url)  # warm-up
    with pinned_queries(6):
        assert client.get(url).status_code == 200
    Notification.objects.all().delete()
    _inbox_rows(user, 40, session)
    with pinned_queries(6):
        assert len(client.get(url).context["notifications"]) == 25


def test_session_page_shows_what_was_sent_scoped(world, people, clock, client):
    session = factories.world_session(world, date=datetime.date(2027, 3, 13))
    clock.now = at(datetime.date(2027, 3, 12), 8)
    clock.run()
    client.force_login(world["officer"])
    page = client.get(session.get_absolute_url())
    recipients = {n.address or n.recipient_user_id for n in page.context["sent_notices"]}
    assert "lien@example.vn" in recipients and "secretary@example.vn" in recipients
    client.force_login(world["viewer"])
    assert client.get(session.get_absolute_url()).context["sent_notices"] == []
    client.force_login(world["secretary"])
    own = client.get(session.get_absolute_url()).context["sent_notices"]
    assert own and {n.recipient_user_id for n in own} == {world["secretary"].pk}


def test_password_reset_by_email_in_vietnamese(world, client):
    user = world["secretary"]
    user.email = "secretary@example.vn"
    user.save()
    assert "Quên mật khẩu?" in client.get(reverse("login")).content.decode()
    response = client.post(reverse("password_reset"), {"email": "secretary@example.vn"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["secretary@example.vn"]
    assert message.subject == "Lao động cùng Nhân dân: đặt mật khẩu mới"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    page = client.get(link, follow=True)
    assert page.context["validlink"]
    form_url = page.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Lao-dong-2027!", "new_password2": "Lao-dong-2027!"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Lao-dong-2027!")
    # An unknown address: the same answer, no mail.
    mail.outbox.clear()
    client.post(reverse("password_reset"), {"email": "nobody@example.vn"})
    assert mail.outbox == []


# A browser's subscription keys: a P-256 point (0x04, x, y) and a 16-byte secret, base64url.
PUSH_KEYS = {
    "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u"
    "-Ts1XbjhazAkj7I99e8QcYP7DkM",
    "auth": "tBHItJI5svbpez7KI4CCXg",
}


def test_push_subscription_keys_are_checked(world, client, settings):
    """Keys pywebpush cannot use are refused when posted, with a reason in Vietnamese, instead
    of stopping the sender later."""
    settings.VAPID_PUBLIC_KEY = "public"
    settings.VAPID_PRIVATE_KEY = "private"
    client.force_login(world["secretary"])
    url = reverse("programs:push-subscribe")
    good = {"endpoint": "https://fcm.googleapis.com/fcm/send/abc", **PUSH_KEYS}
    short_point = "BA" + "A" * 40
    not_a_point = "AA" + PUSH_KEYS["p256dh"][2:]
    for bad in (
        {"p256dh": "BKey"},
        {"p256dh": short_point},
        {"p256dh": not_a_point},
        {"p256dh": "!!" + PUSH_KEYS["p256dh"][2:]},
        {"auth": "secret"},
        {"auth": PUSH_KEYS["auth"] + "AA"},
    ):
        answer = client.post(url, {**good, **bad})
        assert answer.status_code == 400, bad
        assert "không hợp lệ" in answer.content.decode()
    assert not PushSubscription.objects.exists()
    assert client.post(url, good).status_code == 204
    assert PushSubscription.objects.count() == 1


def test_push_subscription_endpoint_must_be_a_known_push_service(world, client, settings):
    """The server posts to the endpoint: only the browsers' push services are accepted."""
    settings.VAPID_PUBLIC_KEY = "public"
    settings.VAPID_PRIVATE_KEY = "private"
    client.force_login(world["secretary"])
    url = reverse("programs:push-subscribe")
    for endpoint in (
        "https://127.0.0.1/x",
        "https://localhost:8000/admin/",
        "https://169.254.169.254/latest/meta-data",
        "https://fcm.googleapis.com.evil.vn/x",
        "https://evilfcm.googleapis.com/x",
        "https://fcm.googleapis.com@10.0.0.1/x",
        "https://push.apple.com/x",  # "*.push.apple.com": names under it only
    ):
        answer = client.post(url, {"endpoint": endpoint, **PUSH_KEYS})
        assert answer.status_code == 400, endpoint
        # Refused as not a URL at all (user and password in it) or as not allowed.
        assert re.search("không (được phép|hợp lệ)", answer.content.decode()), endpoint
    assert not PushSubscription.objects.exists()
    for endpoint in (
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/abc",
        "https://web.push.apple.com/QGq",
        "https://wns2-bn3p.notify.windows.com/w/?token=abc",
    ):
        assert client.post(url, {"endpoint": endpoint, **PUSH_KEYS}).status_code == 204, endpoint
    assert PushSubscription.objects.count() == 4


def test_push_subscription_endpoint(world, client, settings):
    url = reverse("programs:push-subscribe")
    fields = {"endpoint": "https://fcm.googleapis.com/fcm/send/abc", **PUSH_KEYS}
    assert client.post(url, fields).status_code == 302  # to the login page
    client.force_login(world["secretary"])
    assert client.post(url, fields).status_code == 400  # Web Push is off: no keys
    settings.VAPID_PUBLIC_KEY = "public"
    settings.VAPID_PRIVATE_KEY = "private"
    assert client.get(url).status_code == 405
    assert client.post(url, {**fields, "endpoint": "http://127.0.0.1/x"}).status_code == 400
    assert client.post(url, {**fields, "auth": ""}).status_code == 400
    assert client.post(url, fields).status_code == 204
    assert client.post(url, fields).status_code == 204  # the same browser again: one row
    [row] = PushSubscription.objects.all()
    assert (row.user, row.endpoint) == (world["secretary"], fields["endpoint"])
    page = client.get(reverse("programs:notification-settings"))
    assert page.context["push_count"] == 1
    assert b"push-subscribe.js" in page.content
    removed = client.post(reverse("programs:push-unsubscribe"), {"endpoint": row.endpoint})
    assert removed.status_code == 204
    assert not PushSubscription.objects.exists()


def test_the_command_says_what_it_did_and_loops(world, people, clock, monkeypatch):
    import io

    from django.core.management import call_command

    factories.world_session(world, date=datetime.date(2027, 3, 13))
    clock.now = at(datetime.date(2027, 3, 12), 8)
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    # The reminder (secretary: e-mail and app; a member: e-mail), February's idle cells (officer).
    assert out.getvalue().startswith("Notifications: planned 5, sent 5,")
    # --loop: a round, a pause, a round… (stopped here after the second pause).
    pauses = []

    def sleep(seconds):
        pauses.append(seconds)
        if len(pauses) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("time.sleep", sleep)
    # Between rounds the command drops stale connections; the test's own must stay open.
    monkeypatch.setattr(
        "programs.management.commands.send_notifications.close_old_connections", lambda: None
    )
    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        call_command("send_notifications", "--loop", "--interval", "30", stdout=out)
    assert pauses == [30, 30]
    assert out.getvalue().count("Notifications: planned 0, sent 0,") == 2


def test_failures_are_shown_to_administrators_only(world, people, clock, client, monkeypatch):
    from programs.notifications.channels import email as email_channel

    def broken(self, *args, **kwargs):
        raise OSError("relay denied")

    monkeypatch.setattr(email_channel.EmailMultiAlternatives, "send", broken)
    factories.world_session(world, date=datetime.date(2027, 3, 13))
    clock.now = at(datetime.date(2027, 3, 12), 8)
    clock.run()
    failing = Notification.objects.filter(channel="email").first()
    changelist = reverse("admin:programs_notification_changelist")
    change = reverse("admin:programs_notification_change", args=[failing.pk])
    client.force_login(world["admin"])
    page = client.get(changelist, {"status__exact": "pending"})
    assert "relay denied" in page.content.decode()
    assert client.get(change).status_code == 200
    # Read-only: no add page, no saving a change.
    assert client.get(reverse("admin:programs_notification_add")).status_code == 403
    client.post(change, {"status": "sent"})
    failing.refresh_from_db()
    assert failing.status == "pending"
    # An officer (staff, in the office group or not) does not see them.
    officer = world["officer"]
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    assert client.get(changelist).status_code == 403
    assert client.get(change).status_code in (403, 404)


def test_pages_need_a_sign_in(client, db):
    for name in ("notifications", "notification-settings"):
        response = client.get(reverse(f"programs:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("programs:notifications-mark-read")).status_code == 302


def test_moved_and_postponed_sessions_are_announced_once(world, people, clock):
    officer = world["officer"]
    session = factories.world_session(world, date=datetime.date(2027, 3, 13))
    sessions.session_update(
        session=session, user=officer, version=1, date=datetime.date(2027, 3, 14)
    )
    clock.run()
    session.refresh_from_db()
    replacement = sessions.session_postpone(
        session=session,
        user=officer,
        reason="Mưa lớn",
        version=session.version,
        new_date=datetime.date(2027, 3, 21),
    )
    clock.run()
    member = {subject: n for (to, subject), n in _mails().items() if to == "lien@example.vn"}
    assert member == {
        "Buổi lao động dời sang ngày 14/03/2027": 1,
        "Buổi lao động ngày 14/03/2027 tạm hoãn": 1,
    }
    moved = next(m for m in mail.outbox if m.subject.startswith("Buổi lao động dời"))
    assert "Lịch cũ: ngày 13/03/2027." in moved.body
    postponed = next(m for m in mail.outbox if "tạm hoãn" in m.subject)
    assert "Lý do: Mưa lớn" in postponed.body and "Ngày mới: 21/03/2027." in postponed.body
    # The replacement is reminded of in its turn, like any planned session.
    clock.now = at(datetime.date(2027, 3, 20), 8)
    clock.run()
    assert ("lien@example.vn", "Nhắc lịch: buổi lao động ngày 21/03/2027") in _mails()
    assert replacement.date == datetime.date(2027, 3, 21)


def test_a_notice_about_a_session_changed_again_before_sending_is_not_sent(world, people, clock):
    """Created, then cancelled before the sender ran: only the cancellation goes out."""
    officer = world["officer"]
    session = _create(world, datetime.date(2027, 3, 13), officer)
    sessions.session_cancel(session=session, user=officer, reason="Trùng lịch", version=1)
    clock.run()
    assert _mails("13/03/2027") == {
        ("secretary@example.vn", "Labour session of 13/03/2027 cancelled"): 1,
        ("lien@example.vn", "Buổi lao động ngày 13/03/2027 bị hủy"): 1,
    }


def test_a_batch_claimed_late_in_a_long_run_is_not_taken_by_another_run(world, people, clock):
    """The claim's time is when the batch was claimed, not when the run began: 20 minutes
    into a run its new batch is fresh, and a second run starting then leaves it alone."""
    _create(world, datetime.date(2027, 3, 13), world["officer"])
    start = clock.now
    sender.rules.plan_due(start)
    clock.now = start + datetime.timedelta(minutes=20)  # the first run is still going
    ids = sender.claim(start, "first")
    assert ids
    assert sender.claim(clock.now + datetime.timedelta(seconds=1), "second") == []
    assert set(Notification.objects.filter(pk__in=ids).values_list("claimed_by", flat=True)) == {
        "first"
    }


def test_a_run_that_lost_its_claim_does_not_send(world, people, clock):
    """A run slowed past the claim timeout finds its rows taken by another run: it sends
    nothing and leaves them to that run."""
    _create(world, datetime.date(2027, 3, 13), world["officer"])
    sender.rules.plan_due(clock.now)
    ids = sender.claim(clock.now, "slow")
    rows = list(Notification.objects.filter(pk__in=ids))
    clock.now += sender.CLAIM_TIMEOUT + datetime.timedelta(minutes=1)
    assert sorted(sender.claim(clock.now, "fast")) == sorted(ids)
    mail.outbox.clear()
    outcomes = {sender.deliver(row, clock.now, "slow") for row in rows}
    assert outcomes == {sender.LOST}
    assert mail.outbox == []
    assert set(Notification.objects.filter(pk__in=ids).values_list("claimed_by", "status")) == {
        ("fast", "sending")
    }
    summary = clock.run()  # the "fast" run's worker id differs: the rows wait for it
    assert summary.sent == 0
    for row in Notification.objects.filter(pk__in=ids):
        assert sender.deliver(row, clock.now, "fast") == "sent"
    emails = Notification.objects.filter(pk__in=ids, channel=NotificationChannel.EMAIL)
    assert len(mail.outbox) == emails.count() > 0


def test_sessions_created_by_the_month_planner_are_announced(world, people, clock):
    """The month planner inserts its sessions in bulk; their "created" notices are queued all
    the same (in the same transaction), as for a session created one by one."""
    from programs.planning import Month
    from programs.services import planner
    from programs.text import vn_date

    created = planner.month_plan_create(
        user=world["officer"],
        committee=world["committee"],
        directive=world["directive"],
        month=Month(2027, 4),
    )
    [mine] = [s for s in created if s.cell_id == world["cell"].pk]
    [theirs] = [s for s in created if s.cell_id == world["other_cell"].pk]
    clock.run()
    sent = _mails()
    day, other_day = vn_date(mine.date), vn_date(theirs.date)
    assert sent[("secretary@example.vn", f"New labour session on {day}")] == 1
    assert sent[("lien@example.vn", f"Buổi lao động mới ngày {day}")] == 1
    assert sent[("other@example.vn", f"Buổi lao động mới ngày {other_day}")] == 1
    assert not [to for to, _ in sent if to == "officer@example.vn"]  # not told of own act
    rows = Notification.objects.filter(kind=K.SESSION_CREATED)
    assert {row.session_id for row in rows} == {mine.pk, theirs.pk}
