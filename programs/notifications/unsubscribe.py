"""The unsubscribe link in every e-mail: a signed token naming the person, the kind and the
channel. It needs no login (a member has no account) and cannot be forged or altered; it
never expires, as a mail read months later must still work."""

from django.core import signing

SALT = "programs.notifications.unsubscribe"


def make_token(notification) -> str:
    person = (
        ["u", notification.recipient_user_id]
        if notification.recipient_user_id
        else ["m", notification.recipient_member_id]
    )
    return signing.dumps([*person, notification.kind, notification.channel], salt=SALT)


def read_token(token: str) -> tuple[str, int, str, str] | None:
    """(``"u"`` or ``"m"``, the person's id, kind, channel), or None for a bad token."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 4 and value[0] in ("u", "m")):
        return None
    who, pk, kind, channel = value
    if not isinstance(pk, int) or not isinstance(kind, str) or not isinstance(channel, str):
        return None
    return who, pk, kind, channel
