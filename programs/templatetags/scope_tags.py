"""Template questions about the signed-in user's scope (answered by ``programs.permissions``)."""

from django import template

from programs import permissions

register = template.Library()


@register.filter
def follows_committees(user) -> bool:
    """``{% if user|follows_committees %}``: an officer or viewer of some committee, or a
    superuser. Reuses the scope cached on the user for this request, if a view computed it."""
    scope = permissions.scope_for(user)
    return scope.all or bool(scope.committees)
