"""Notifications in the admin site: read-only, for administrators to see what was sent, what
waits, and what failed (with the last error and the next attempt). Rows are written only by
the sender; the scope (``ScopedAdmin``) leaves them to superusers."""

from django.contrib import admin

from programs.models import Notification

from .base import ScopedAdmin


@admin.register(Notification)
class NotificationAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = [
        "due_at",
        "kind",
        "channel",
        "address",
        "recipient_user",
        "recipient_member",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["address", "subject", "key"]
    date_hierarchy = "due_at"
    list_select_related = ["recipient_user", "recipient_member"]
    raw_id_fields = ["recipient_user", "recipient_member", "session", "committee"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
