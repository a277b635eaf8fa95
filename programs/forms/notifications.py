"""The forms of the notification pages: preferences, a committee's reminder day counts, and a
phone's Web Push subscription (posted by static/js/push-subscribe.js)."""

import base64
import binascii
import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from programs.forms.tokens import OneTimeTokenField
from programs.models import NotificationChannel, NotificationKind, NotificationRules
from programs.notifications.channels.webpush import endpoint_allowed


def field_name(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class PreferencesForm(forms.Form):
    """One checkbox per kind and channel (ticked: sent), and the messages' language."""

    language = forms.ChoiceField(label=_("Language of messages"), choices=settings.LANGUAGES)
    token = OneTimeTokenField()

    def __init__(self, *args, channels: list[str], disabled: set[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.channels = channels
        for kind in NotificationKind:
            for channel in channels:
                self.fields[field_name(kind, channel)] = forms.BooleanField(
                    label=f"{kind.label}: {NotificationChannel(channel).label}",
                    required=False,
                    initial=(kind.value, channel) not in disabled,
                )

    def rows(self):
        """For the table: each kind with its channels' checkboxes."""
        return [
            (kind.label, [self[field_name(kind, channel)] for channel in self.channels])
            for kind in NotificationKind
        ]

    def channel_labels(self):
        return [NotificationChannel(channel).label for channel in self.channels]

    def choices(self) -> dict[tuple[str, str], bool]:
        return {
            (kind.value, channel): self.cleaned_data[field_name(kind, channel)]
            for kind in NotificationKind
            for channel in self.channels
        }


class NotificationRulesForm(forms.ModelForm):
    token = OneTimeTokenField()

    class Meta:
        model = NotificationRules
        fields = [
            "remind_days_before",
            "remind_again_days_before",
            "late_log_days",
            "escalate_days",
        ]


def _base64url(value: str) -> bytes | None:
    """The bytes of a base64url text (padding optional), or None if it is not one."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+={0,2}", value):
        return None
    value = value.rstrip("=")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None


class PushSubscriptionForm(forms.Form):
    """A browser's subscription. The keys are checked here: pywebpush fails on anything else
    only when the message is being sent, which would stop the sender (not the poster)."""

    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.CharField(max_length=200)
    auth = forms.CharField(max_length=100)

    def clean_endpoint(self):
        value = self.cleaned_data["endpoint"]
        if not value.startswith("https://"):
            raise forms.ValidationError(_("The push service's address is not valid."))
        if not endpoint_allowed(value):
            raise forms.ValidationError(_("The push service's address is not allowed."))
        return value

    def clean_p256dh(self):
        value = self.cleaned_data["p256dh"]
        raw = _base64url(value)
        # An uncompressed P-256 point: 0x04, then 32 bytes of x and 32 of y.
        if raw is None or len(raw) != 65 or raw[0] != 4:
            raise forms.ValidationError(_("The browser's push key is not valid."))
        return value

    def clean_auth(self):
        value = self.cleaned_data["auth"]
        raw = _base64url(value)
        if raw is None or len(raw) != 16:
            raise forms.ValidationError(_("The browser's push secret is not valid."))
        return value
