from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from programs.models import Commune, District, Household, Province, Village, VillageName

from .base import ScopedAdmin, ScopedInline
from .search import FoldedSearchMixin
from .utils import count_of

VALIDITY_FIELDSET = (_("Validity"), {"fields": ["valid_from", "valid_until"]})


@admin.register(Province)
class ProvinceAdmin(ScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "code", "valid_from", "valid_until"]
    list_filter = ["kind"]
    search_fields = ["name", "=code"]
    fieldsets = [(None, {"fields": ["name", "kind", "code"]}), VALIDITY_FIELDSET]


@admin.register(District)
class DistrictAdmin(ScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "province", "code", "valid_from", "valid_until"]
    list_filter = ["kind", "province"]
    list_select_related = ["province"]
    search_fields = ["name", "=code"]
    autocomplete_fields = ["province"]
    fieldsets = [(None, {"fields": ["province", "name", "kind", "code"]}), VALIDITY_FIELDSET]


class VillageInline(ScopedInline, admin.TabularInline):
    model = Village
    fields = ["name", "kind", "active"]
    extra = 0
    show_change_link = True


@admin.register(Commune)
class CommuneAdmin(ScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["__str__", "district", "province", "code", "valid_from", "valid_until"]
    list_display_links = ["__str__"]
    list_filter = ["kind", "province", "district"]
    # District and province are shown as columns and in full_name.
    list_select_related = ["district", "province"]
    search_fields = ["name", "=code"]
    folded_search_fields = ("search_name", "district__search_name")
    autocomplete_fields = ["province", "district", "successor"]
    fieldsets = [
        (None, {"fields": ["province", "district", "name", "kind", "code"]}),
        (_("Validity"), {"fields": ["valid_from", "valid_until", "successor"]}),
    ]
    inlines = [VillageInline]


class VillageNameInline(ScopedInline, admin.TabularInline):
    model = VillageName
    fields = ["name", "commune", "valid_from", "valid_until"]
    autocomplete_fields = ["commune"]
    extra = 0


@admin.register(Village)
class VillageAdmin(ScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "commune_full_name", "active", "household_count"]
    list_filter = ["active", "kind", "commune__province"]
    list_select_related = ["commune__district", "commune__province"]
    search_fields = ["name"]
    folded_search_fields = ("search_name", "commune__search_name")
    autocomplete_fields = ["commune"]
    fields = ["commune", "name", "kind", "active"]
    inlines = [VillageNameInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(household_count=count_of(Household, "village"))
        )

    @admin.display(description=_("full address"), ordering="commune__name")
    def commune_full_name(self, village):
        return village.commune.full_name

    @admin.display(description=_("households"), ordering="household_count")
    def household_count(self, village):
        url = reverse("admin:programs_household_changelist")
        return format_html(
            '<a href="{}?village__id__exact={}">{}</a>', url, village.pk, village.household_count
        )


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["head_name", "status", "village", "commune", "note"]
    list_filter = ["status", "village__commune"]
    list_select_related = ["village__commune"]
    search_fields = ["head_name", "note"]
    folded_search_fields = ("search_name", "village__search_name")
    autocomplete_fields = ["village"]
    fields = ["village", "head_name", "status", "note"]

    @admin.display(description=_("commune"), ordering="village__commune__name")
    def commune(self, household):
        return household.village.commune
