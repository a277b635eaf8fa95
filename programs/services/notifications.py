"""The writes people make about their notifications: preferences (each kind on or off per
channel, the language of their messages), unsubscribing from an e-mail link, reading the in-app
list, a committee's reminder day counts, and phones subscribing to Web Push."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from programs.models import (
    Notification,
    NotificationPreference,
    NotificationRules,
    PartyCommittee,
    PushSubscription,
    UserProfile,
)
from programs.services.preferences import committee_row_save
from programs.services.tokens import FormAlreadyDone, claim_form


def _set_preference(person: dict, kind: str, channel: str, enabled: bool) -> None:
    NotificationPreference.objects.update_or_create(
        **person, kind=kind, channel=channel, defaults={"enabled": enabled}
    )


def notification_preferences_save(
    *, user, choices: dict[tuple[str, str], bool], language: str, token=None
) -> None:
    """Save the user's choice for each (kind, channel) shown and their messages' language.

    Side effects: one NotificationPreference row per (kind, channel), the UserProfile's language.
    Rows already queued for a kind turned off are not sent (the sender asks again).
    """
    try:
        with transaction.atomic():
            claim_form(token, user=user)
            for (kind, channel), enabled in choices.items():
                _set_preference({"user": user}, kind, channel, enabled)
            UserProfile.objects.update_or_create(user=user, defaults={"language": language})
    except FormAlreadyDone:
        return


def notification_unsubscribe(*, who: str, pk: int, kind: str, channel: str) -> bool:
    """Turn ``kind`` off on ``channel`` for a user (``who == "u"``) or a member (``"m"``), from
    the signed link of an e-mail. Returns False when the person no longer exists. Doing it twice
    changes nothing."""
    from django.contrib.auth import get_user_model

    from programs.models import Member

    model = get_user_model() if who == "u" else Member
    person = model.objects.filter(pk=pk).first()
    if person is None:
        return False
    field = "user" if who == "u" else "member"
    try:
        with transaction.atomic():
            _set_preference({field: person}, kind, channel, False)
    except IntegrityError:
        # The same link followed twice at the same moment: the first made the row.
        pass
    return True


def notifications_mark_read(*, user) -> int:
    """Mark the user's unread in-app notifications read; returns how many. Twice is harmless."""
    return Notification.objects.in_app_for(user).unread().update(read_at=timezone.now())


def notification_rules_save(
    *, committee: PartyCommittee, user, values: dict, token=None
) -> NotificationRules:
    """Save ``committee``'s reminder day counts (one row per committee; its cells and those of
    the committees below without their own follow them). See ``committee_row_save``."""
    return committee_row_save(
        NotificationRules, committee=committee, user=user, values=values, token=token
    )


def push_subscription_save(*, user, endpoint: str, p256dh: str, auth: str, user_agent: str = ""):
    """Keep a browser's Web Push subscription for ``user`` (the same browser again replaces its
    keys; an endpoint another account used moves to this one: the phone changed hands)."""
    with transaction.atomic():
        subscription, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent},
        )
    return subscription


def push_subscription_delete(*, user, endpoint: str) -> int:
    return PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()[0]
