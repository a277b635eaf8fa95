"""Directives in the admin site: symbol, dates, the cadence they set."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from programs.admin.forms import DirectiveAdminForm
from programs.models import Directive

from .base import ScopedAdmin
from .search import FoldedSearchMixin


@admin.register(Directive)
class DirectiveAdmin(ScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    form = DirectiveAdminForm
    list_display = [
        "__str__",
        "title",
        "issuing_body",
        "issued_on",
        "effective_from",
        "effective_until",
        "sessions_per_month",
        "weekdays",
        "parent",
    ]
    list_display_links = ["__str__"]
    list_filter = ["kind", "issuing_body"]
    list_select_related = ["parent"]
    search_fields = ["symbol", "number", "title", "issuing_body"]
    date_hierarchy = "issued_on"
    autocomplete_fields = ["parent"]
    fieldsets = [
        (
            None,
            {"fields": ["kind", "number", "symbol", "issuing_body", "issued_on", "title"]},
        ),
        (_("Content"), {"fields": ["summary", "parent", "attachment"]}),
        (
            _("Cadence"),
            {
                "fields": [
                    "effective_from",
                    "effective_until",
                    "sessions_per_month",
                    "allowed_weekdays",
                ]
            },
        ),
    ]

    @admin.display(description=_("allowed days of the week"), ordering="allowed_weekdays")
    def weekdays(self, directive):
        return directive.allowed_weekdays_display()
