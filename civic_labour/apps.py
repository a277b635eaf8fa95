"""The admin app with the project's site class as ``admin.site`` (listed in INSTALLED_APPS).

Kept out of ``programs.apps``, where a second app config would make Django's choice of the
programs app's own config ambiguous.
"""

from django.contrib.admin.apps import AdminConfig


class CivicAdminConfig(AdminConfig):
    default_site = "programs.admin_site.CivicAdminSite"
