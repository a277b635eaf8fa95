"""The forms of the notification pages: preferences, a committee's reminder day counts, and a
phone's Web Push subscription (posted by static/js/push-subscribe.js)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from programs.forms.tokens import OneTimeTokenField
from programs.models import NotificationChannel, NotificationKind, NotificationRules


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


class PushSubscriptionForm(forms.Form):
    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.CharField(max_length=200)
    auth = forms.CharField(max_length=100)
