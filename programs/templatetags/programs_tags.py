"""Template filters the pages share (dictionary look-up and the like)."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}`` for dictionaries keyed by ids."""
    if not mapping:
        return None
    return mapping.get(key)


@register.simple_tag
def lookup(mapping, prefix, key):
    """``{% lookup data "date_" cell.pk %}``: the value of ``data["date_<pk>"]``, or ""."""
    if not mapping:
        return ""
    return mapping.get(f"{prefix}{key}", "")


@register.filter
def person_name(user):
    """A user's name in Vietnamese order: family and middle names (``last_name``) first, then
    the given name ("Hoàng Văn Thắng"); the username when no name is recorded."""
    if user is None:
        return ""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


@register.filter
def minutes(delta):
    """A timedelta as whole minutes (rounded up), for "locked for 15 minutes"."""
    if delta is None:
        return ""
    return max(1, -(-int(delta.total_seconds()) // 60))
