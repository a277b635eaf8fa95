"""User accounts, groups and django-axes' login records: superusers only, and in Vietnamese.

Django and django-axes register these admins themselves; they are registered again here with
:class:`~programs.admin.base.SuperuserOnly` in front, since a staff member given their model
permissions would otherwise read every account and every login attempt.
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .base import SuperuserOnly, restrict_to_superusers

restrict_to_superusers(admin.site, [get_user_model(), Group, AccessFailureLog, AccessLog])

# django-axes names its app "Axes" and has no translations of its own (its words are in
# programs/admin/vocabulary.py).
apps.get_app_config("axes").verbose_name = _("Login records")


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


# The records' own labels (page titles, breadcrumbs, the delete page) are English f-strings in
# django-axes; these say the same in the interface language.
AccessAttempt.__str__ = lambda record: (
    gettext("%(username)s from %(ip)s, %(when)s")
    % {
        "username": record.username,
        "ip": record.ip_address,
        "when": _when(record.attempt_time),
    }
)
AccessFailureLog.__str__ = AccessAttempt.__str__
AccessLog.__str__ = AccessAttempt.__str__


class AccessAttemptAdmin(SuperuserOnly, axes_admin.AccessAttemptAdmin):
    @admin.display(description=_("status"))
    def status(self, obj):
        return super().status(obj)


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)
