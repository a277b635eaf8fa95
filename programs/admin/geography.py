"""Provinces, districts, communes, villages and households in the admin site, with the
renames that keep a place's former names."""

import copy

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from programs import permissions
from programs.forms.fields import check_in_window
from programs.models import Commune, District, Household, Province, Village, VillageName
from programs.services import places
from programs.services.rollups import rollup_refresh

from .base import ScopedAdmin, ScopedInline
from .history import ValueHistoryMixin
from .labels import PlaceLabelMixin
from .search import FoldedSearchMixin
from .utils import count_of

CHANGE_FIELDS = ["changed_on", "correction"]


class RenameForm(forms.ModelForm):
    """A change form whose renames keep the former name (``programs.services.places``)."""

    changed_on = forms.DateField(
        label=_("Change takes effect on"),
        widget=widgets.AdminDateWidget,
        required=False,
        help_text=_(
            "For a new name or another commune: the first day of the new one. The former one is "
            "kept until the day before, for reports about earlier dates. Empty: today."
        ),
    )
    correction = forms.BooleanField(
        label=_("Corrects a typing mistake"),
        required=False,
        help_text=_("Tick to change the record in place, keeping no former name."),
    )

    def clean_changed_on(self):
        day = self.cleaned_data.get("changed_on") or timezone.localdate()
        # Inside the application's window, like every date a form takes (year 1 would
        # overflow the former name's "day before").
        check_in_window(day)
        return day

    def model_values(self, *, changed_only: bool = True) -> dict:
        names = self.changed_data if changed_only else list(self.fields)
        return {
            name: self.cleaned_data[name]
            for name in names
            if name not in CHANGE_FIELDS and name in self.cleaned_data
        }


class VillageAdminForm(RenameForm):
    def clean(self):
        cleaned = super().clean()
        moved = {"name", "commune"} & set(self.changed_data)
        if self.instance.pk and moved and not cleaned.get("correction"):
            stored = Village.objects.get(pk=self.instance.pk)
            problem = places.village_change_date_error(stored, cleaned["changed_on"])
            if problem:
                self.add_error("changed_on", problem)
        return cleaned


class CommuneAdminForm(RenameForm):
    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk or self.errors:
            return cleaned
        stored = Commune.objects.get(pk=self.instance.pk)
        changed_on, correction = cleaned["changed_on"], cleaned.get("correction")
        if places.commune_keeps_former_name(stored, set(self.changed_data), changed_on, correction):
            # The renamed record starts on the change date: check it as it will be saved.
            probe = copy.copy(self.instance)
            probe.valid_from = changed_on
            try:
                probe.full_clean()
            except ValidationError as error:
                self.add_error("changed_on", error.messages)
        return cleaned


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
    """The commune's villages, read-only: a village is renamed on its own page, which keeps the
    former name."""

    model = Village
    fields = ["name", "kind", "active"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Commune)
class CommuneAdmin(
    ScopedAdmin, ValueHistoryMixin, PlaceLabelMixin, FoldedSearchMixin, admin.ModelAdmin
):
    form = CommuneAdminForm
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

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # The renaming fields belong to the form: a reader who may not change the record
        # (an officer on a commune) gets no form, so nothing to fill in either.
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        return [*fieldsets, (_("Renaming"), {"fields": CHANGE_FIELDS})]

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        renamed = places.commune_update(
            commune=obj,
            user=request.user,
            changed_on=form.cleaned_data["changed_on"],
            correction=form.cleaned_data["correction"],
            **form.model_values(),
        )
        obj.refresh_from_db()
        if obj.valid_from and renamed.valid_from == form.cleaned_data["changed_on"]:
            former = Commune.objects.filter(
                successor=obj, valid_until=obj.valid_from - places.ONE_DAY
            ).first()
            if former is not None and form.initial.get("valid_from") != obj.valid_from:
                self.message_user(
                    request,
                    _("The former name is kept as a record of its own: %(former)s.")
                    % {"former": former.label_with_context},
                )


class VillageNameInline(ScopedInline, PlaceLabelMixin, admin.TabularInline):
    model = VillageName
    fields = ["name", "commune", "valid_from", "valid_until"]
    autocomplete_fields = ["commune"]
    extra = 0


@admin.register(Village)
class VillageAdmin(
    ScopedAdmin, ValueHistoryMixin, PlaceLabelMixin, FoldedSearchMixin, admin.ModelAdmin
):
    form = VillageAdminForm
    list_display = ["name", "kind", "commune", "commune_full_name", "active", "household_count"]
    list_filter = ["active", "kind", "commune__province"]
    list_select_related = ["commune__district", "commune__province"]
    search_fields = ["name"]
    folded_search_fields = ("search_name", "commune__search_name")
    autocomplete_fields = ["commune"]
    fields = ["commune", "name", "kind", "active"]
    inlines = [VillageNameInline]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not permissions.can_rename_village(request.user, obj):
            readonly += ["name", "commune"]
        return readonly

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if (
            obj is None
            or not self.has_change_permission(request, obj)
            or not permissions.can_rename_village(request.user, obj)
        ):
            return fields
        return [*fields, *CHANGE_FIELDS]

    def save_model(self, request, obj, form, change):
        """Through ``programs.services.places``: a rename or a move keeps the former name."""
        if change:
            saved = places.village_update(
                village=obj,
                user=request.user,
                changed_on=form.cleaned_data["changed_on"],
                correction=form.cleaned_data["correction"],
                **form.model_values(),
            )
        else:
            saved = places.village_create(
                user=request.user, **form.model_values(changed_only=False)
            )
        obj.pk = saved.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """The former names typed in the inline rows, then the monthly roll-ups they move
        (in the admin's transaction)."""
        super().save_related(request, form, formsets, change)
        rollup_refresh()

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
class HouseholdAdmin(
    ScopedAdmin, ValueHistoryMixin, PlaceLabelMixin, FoldedSearchMixin, admin.ModelAdmin
):
    list_display = ["head_name", "status", "village", "commune", "publishable", "note"]
    list_filter = ["status", "publishable", "village__commune"]
    list_select_related = ["village__commune"]
    search_fields = ["head_name", "note"]
    folded_search_fields = ("search_name", "village__search_name")
    autocomplete_fields = ["village"]
    fields = ["village", "head_name", "status", "publishable", "note"]

    @admin.display(description=_("commune"), ordering="village__commune__name")
    def commune(self, household):
        return household.village.commune
