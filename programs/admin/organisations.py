from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from programs.models import Assignment, Member, PartyCell, PartyCommittee, Role

from .base import ScopedAdmin, ScopedInline
from .search import FoldedSearchMixin


class PartyCellInline(ScopedInline, admin.TabularInline):
    model = PartyCell
    fields = ["name", "kind", "home_village", "active"]
    autocomplete_fields = ["home_village"]
    extra = 0
    show_change_link = True


@admin.register(PartyCommittee)
class PartyCommitteeAdmin(ScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "abbreviation", "parent", "commune", "active"]
    list_filter = ["active", "kind"]
    list_select_related = ["parent", "commune"]
    search_fields = ["name", "abbreviation"]
    autocomplete_fields = ["parent", "commune"]
    fields = ["name", "kind", "abbreviation", "parent", "commune", "active"]
    inlines = [PartyCellInline]


class AssignmentInline(ScopedInline, admin.TabularInline):
    model = Assignment
    fields = ["village", "directive", "starts_on", "ends_on", "note"]
    autocomplete_fields = ["village", "directive"]
    extra = 0


@admin.register(PartyCell)
class PartyCellAdmin(ScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "committee", "home_village", "active"]
    list_filter = ["active", "kind", "committee"]
    list_select_related = ["committee", "home_village"]
    search_fields = ["name"]
    folded_search_fields = ("search_name", "committee__search_name")
    autocomplete_fields = ["committee", "home_village"]
    fields = ["committee", "name", "kind", "home_village", "active"]
    inlines = [AssignmentInline]


@admin.register(Member)
class MemberAdmin(ScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = [
        "full_name",
        "category",
        "level",
        "is_party_member",
        "cell",
        "organisation",
        "position",
        "active",
    ]
    list_filter = ["active", "is_party_member", "category", "level", "cell__committee"]
    list_select_related = ["cell"]
    search_fields = ["full_name", "organisation", "position"]
    folded_search_fields = ("search_name", "cell__search_name")
    autocomplete_fields = ["cell"]
    fieldsets = [
        (None, {"fields": ["full_name", "category", "level", "is_party_member", "active"]}),
        (_("Workplace"), {"fields": ["cell", "organisation", "position"]}),
    ]


@admin.register(Role)
class RoleAdmin(ScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    """Who may do what: an officer or viewer of a committee, or the secretary of a cell.

    The model's ``clean()`` explains a wrong combination (a secretary without a cell…); the
    admin form runs it and shows the message next to the field."""

    list_display = ["user", "kind", "committee", "cell", "created_at"]
    list_filter = ["kind", "committee"]
    list_select_related = ["user", "committee", "cell"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    folded_search_fields = ("committee__search_name", "cell__search_name")
    autocomplete_fields = ["user", "committee", "cell"]
    fields = ["user", "kind", "committee", "cell"]
    radio_fields = {"kind": admin.HORIZONTAL}


@admin.register(Assignment)
class AssignmentAdmin(ScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["cell", "village", "commune", "directive", "starts_on", "ends_on", "note"]
    list_filter = ["directive", "cell__committee"]
    list_select_related = ["cell", "village__commune", "directive"]
    search_fields = ["note", "directive__symbol"]
    folded_search_fields = ("cell__search_name", "village__search_name")
    autocomplete_fields = ["cell", "village", "directive"]
    date_hierarchy = "starts_on"
    fields = ["cell", "village", "directive", "starts_on", "ends_on", "note"]

    @admin.display(description=_("commune"), ordering="village__commune__name")
    def commune(self, assignment):
        return assignment.village.commune
