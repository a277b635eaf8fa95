"""The admin site, where administrators keep villages, communes, cells, members and directives.

One module per aggregate, like ``programs.models``; importing them registers the model admins.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import accounts, directives, geography, notifications, organisations, sessions, vocabulary

__all__ = [
    "accounts",
    "directives",
    "geography",
    "notifications",
    "organisations",
    "sessions",
    "vocabulary",
]

admin.site.site_header = _("Civic Labour administration")
admin.site.site_title = _("Civic Labour administration")
admin.site.index_title = _("Data administration")
