"""The domain app: directives, committees and cells, places, sessions and their logs."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programs"
    verbose_name = _("Labour with the people")

    def ready(self):
        # Every connection watches its writes, so cached reports go stale with the data.
        from django.core.signals import request_finished, request_started
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from programs import checks  # noqa: F401 - registers the system checks
        from programs.reports.cache import forget_cached, request_edge, watch_writes

        connection_created.connect(watch_writes, dispatch_uid="programs.reports.cache")
        request_started.connect(request_edge, dispatch_uid="programs.reports.request_started")
        request_finished.connect(request_edge, dispatch_uid="programs.reports.request_finished")
        # A deployment migrates: what was cached by the code before it is set aside.
        post_migrate.connect(forget_cached, sender=self, dispatch_uid="programs.reports.forget")
