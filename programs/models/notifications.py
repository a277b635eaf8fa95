"""Reminders and notices: what was (or will be) sent to whom, people's choices, and the day
counts a committee sets. The logic lives in ``programs.notifications``."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .organisations import Member, PartyCommittee
from .sessions import LabourSession


class NotificationKind(models.TextChoices):
    """What a notification is about. Each kind can be turned off per channel by its recipient."""

    SESSION_REMINDER = "session_reminder", _("Reminder of a coming session")
    SESSION_CREATED = "session_created", _("A session was planned")
    SESSION_MOVED = "session_moved", _("A session was moved")
    SESSION_POSTPONED = "session_postponed", _("A session was postponed")
    SESSION_CANCELLED = "session_cancelled", _("A session was cancelled")
    LOG_LATE = "log_late", _("A session's log is late")
    LOG_LATE_ESCALATED = "log_late_escalated", _("A cell's log is a week late")
    LOG_SUBMITTED = "log_submitted", _("A log waits for confirmation")
    LOG_RETURNED = "log_returned", _("A log was returned for correction")
    LOG_CONFIRMED = "log_confirmed", _("A log was confirmed")
    MONTH_IDLE_CELLS = "month_idle_cells", _("Cells that held nothing last month")


class NotificationChannel(models.TextChoices):
    """How a notification reaches someone; each has a backend in programs.notifications.channels."""

    EMAIL = "email", _("e-mail")
    INAPP = "inapp", _("in the application")
    WEBPUSH = "webpush", _("phone notification")


class NotificationQuerySet(models.QuerySet):
    def in_app_for(self, user):
        """The user's in-app list: delivered rows, newest first."""
        return self.filter(
            recipient_user=user, channel=NotificationChannel.INAPP, status=Notification.Status.SENT
        )

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one recipient on one channel, sent once by ``manage.py send_notifications``.

    ``key`` is unique: the kind, the object it is about (a session, or a committee and a month),
    the recipient, the channel and the due date. Every run plans the notices that are due and
    inserts them ignoring rows that exist, so a notice is never planned twice, whoever runs
    the sender and however often.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("not sent")

    key = models.CharField(_("key"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=NotificationChannel.choices)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("user"),
    )
    recipient_member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("member"),
    )
    # The address used (e-mail), kept as sent: the account may change later.
    address = models.CharField(_("address"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=10, default="vi")
    session = models.ForeignKey(
        LabourSession,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("labour session"),
    )
    committee = models.ForeignKey(
        PartyCommittee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("party committee"),
    )
    # What the message needs beyond its session: the old date of a moved session, the reason,
    # the officer's comment, the month and cells of a digest. Written when it is planned.
    context = models.JSONField(_("details"), default=dict, blank=True)
    due_at = models.DateTimeField(_("due"))
    # A coming-session reminder is no use once the session has started: not sent after this.
    expires_at = models.DateTimeField(_("not sent after"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    # The sender run that took the row (so two runs never send it both), and when.
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # The message as it went out, in the recipient's language: the in-app list, the session
    # page and the admin site show it without rebuilding it.
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-due_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_user__isnull=False) | Q(recipient_member__isnull=False),
                name="notification_has_recipient",
            ),
        ]
        indexes = [
            # The sender's claim: waiting rows whose next attempt is due.
            models.Index(fields=["status", "next_attempt_at"], name="notification_queue_idx"),
            # The header's unread count and the in-app list of one user.
            models.Index(
                fields=["recipient_user", "channel", "status", "read_at"],
                name="notification_inbox_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.get_channel_display()} · {self.address}"

    @property
    def recipient(self):
        return self.recipient_user or self.recipient_member


class NotificationPreference(models.Model):
    """A kind turned on or off on one channel for one person (a user, or a member who only
    has an e-mail address and unsubscribed). Without a row, a kind is on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notification_preferences",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=NotificationChannel.choices)
    enabled = models.BooleanField(_("on"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, member__isnull=True)
                | Q(user__isnull=True, member__isnull=False),
                name="notification_preference_one_person",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "channel"],
                condition=Q(user__isnull=False),
                name="notification_preference_unique_user",
            ),
            models.UniqueConstraint(
                fields=["member", "kind", "channel"],
                condition=Q(member__isnull=False),
                name="notification_preference_unique_member",
            ),
        ]

    def __str__(self):
        return f"{self.user or self.member} · {self.kind} · {self.channel} · {self.enabled}"


class UserProfile(models.Model):
    """What a user chose that is not in Django's account: the language of their messages.

    The interface language follows the browser and the switch in the header; messages sent
    while the person is away need a language of their own, stored here.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="civic_profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language of messages"), max_length=10, choices=settings.LANGUAGES, default="vi"
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self):
        return str(self.user)


DAY_COUNT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(60)]


class NotificationRules(models.Model):
    """A committee's day counts for reminders; without a row the defaults below apply. The
    nearest committee up the tree with a row decides for a cell."""

    committee = models.OneToOneField(
        PartyCommittee,
        on_delete=models.CASCADE,
        related_name="notification_rules",
        verbose_name=_("party committee"),
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("first reminder, days before the session"), default=3, validators=DAY_COUNT_VALIDATORS
    )
    remind_again_days_before = models.PositiveSmallIntegerField(
        _("second reminder, days before the session (in the morning)"),
        default=1,
        validators=DAY_COUNT_VALIDATORS,
    )
    late_log_days = models.PositiveSmallIntegerField(
        _("remind the secretary when no log, days after the session"),
        default=2,
        validators=DAY_COUNT_VALIDATORS,
    )
    escalate_days = models.PositiveSmallIntegerField(
        _("tell the officers when still no log, days after the session"),
        default=7,
        validators=DAY_COUNT_VALIDATORS,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self):
        return str(self.committee)


class PushSubscription(models.Model):
    """A browser's Web Push subscription (an installed phone app), from its settings page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
        verbose_name=_("user"),
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(_("public key"), max_length=200)
    auth = models.CharField(_("authentication secret"), max_length=100)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self):
        return f"{self.user} · {self.user_agent[:40]}"
