"""The admin site, where administrators keep villages, communes, cells, members and directives.

One module per aggregate, like ``programs.models``; importing them registers the model admins.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from . import directives, geography, organisations, sessions
from .base import restrict_to_superusers

__all__ = ["directives", "geography", "organisations", "sessions"]

admin.site.site_header = _("Civic Labour administration")
admin.site.site_title = _("Civic Labour administration")
admin.site.index_title = _("Data administration")

# Accounts and login records are registered by Django and django-axes; only superusers see them.
restrict_to_superusers(
    admin.site, [get_user_model(), Group, AccessAttempt, AccessFailureLog, AccessLog]
)
