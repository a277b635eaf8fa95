"""What templates may ask about the signed-in user: ``may``, answered by ``programs.permissions``.

Templates never test roles (``user.is_staff``, ``user.civic_roles``…): they ask ``may``, as in
``{% if may.see_reviews %}``. Each answer is computed on first use from the scope that
``permissions.scope_for`` caches on the user for the request, so a page whose view already read
the scope pays no query for its menu, and a page that asks nothing pays nothing.
"""

from functools import cached_property

from django.contrib.auth.models import AnonymousUser

from programs import offline, permissions


class UserPermissions:
    """The user's answers to the questions templates ask, each computed once when first read."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def see_dashboard(self) -> bool:
        return permissions.can_see_dashboard(self._user)

    @cached_property
    def see_sessions(self) -> bool:
        return permissions.can_see_sessions(self._user)

    @cached_property
    def see_reports(self) -> bool:
        return permissions.can_see_reports(self._user)

    @cached_property
    def see_opinions(self) -> bool:
        return permissions.can_see_opinions(self._user)

    @cached_property
    def see_compliance(self) -> bool:
        return permissions.can_see_compliance(self._user)

    @cached_property
    def see_reviews(self) -> bool:
        return permissions.can_see_reviews(self._user)

    @cached_property
    def plan(self) -> bool:
        return permissions.can_plan(self._user)

    @cached_property
    def create_sessions(self) -> bool:
        return permissions.can_create_sessions(self._user)

    @cached_property
    def use_imports(self) -> bool:
        return permissions.can_use_imports(self._user)

    @cached_property
    def open_admin(self) -> bool:
        return permissions.can_open_admin(self._user)


def civic_permissions(request) -> dict:
    return {"may": UserPermissions(getattr(request, "user", None) or AnonymousUser())}


class Inbox:
    """The header's unread count: one COUNT, run only when a page shows it."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def unread(self) -> int:
        from programs.selectors.notifications import unread_count

        if not self._user.is_authenticated:
            return 0
        return unread_count(self._user)


def notifications(request) -> dict:
    return {"inbox": Inbox(getattr(request, "user", None) or AnonymousUser())}


def offline_scripts(request) -> dict:
    """The offline scripts' sentences (programs.offline), and whether this request fetches a
    page to keep on the phone (its one-time messages are then left for the next page)."""
    return {
        "offline_texts": offline.script_texts(),
        "kept_copy_request": request.headers.get("X-Civic-Prefetch") == "1",
    }
