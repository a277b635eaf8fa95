"""Party committees, cells, members, roles and the cells' village assignments in the admin
site."""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programs import permissions
from programs.models import Assignment, Member, PartyCell, PartyCommittee, Role
from programs.selectors.places import planned_sessions_affected_by_move
from programs.text import vn_date

from .base import ScopedAdmin, ScopedInline
from .history import ValueHistoryMixin
from .labels import PlaceLabelMixin
from .search import FoldedSearchMixin


def warn_about_move(model_admin, request, assignment: Assignment):
    """After an assignment is saved: list the cell's planned sessions that stay in another
    village during its period, so the officer moves or cancels them."""
    affected = planned_sessions_affected_by_move(
        assignment.cell,
        assignment.starts_on,
        assignment.village,
        directive=assignment.directive,
        until=assignment.ends_on,
    )
    if not affected:
        return
    listed = "; ".join(f"{vn_date(s.date)} ({s.village})" for s in affected)
    model_admin.message_user(
        request,
        gettext(
            "%(cell)s is now assigned to %(village)s from %(date)s, but still has planned "
            "sessions elsewhere: %(sessions)s. Move or cancel them on their pages."
        )
        % {
            "cell": assignment.cell,
            "village": assignment.village,
            "date": vn_date(assignment.starts_on),
            "sessions": listed,
        },
        level="warning",
    )


def _moves(form) -> bool:
    """Whether saving this assignment form puts the cell somewhere new from some day."""
    return form.instance.pk is None or bool({"village", "starts_on"} & set(form.changed_data))


class PartyCellInline(ScopedInline, PlaceLabelMixin, admin.TabularInline):
    model = PartyCell
    fields = ["name", "kind", "home_village", "active"]
    autocomplete_fields = ["home_village"]
    extra = 0
    show_change_link = True


@admin.register(PartyCommittee)
class PartyCommitteeAdmin(
    ScopedAdmin, ValueHistoryMixin, PlaceLabelMixin, FoldedSearchMixin, admin.ModelAdmin
):
    list_display = ["name", "kind", "abbreviation", "parent", "commune", "active"]
    list_filter = ["active", "kind"]
    list_select_related = ["parent", "commune"]
    search_fields = ["name", "abbreviation"]
    autocomplete_fields = ["parent", "commune"]
    fields = ["name", "kind", "abbreviation", "parent", "commune", "active"]
    inlines = [PartyCellInline]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not permissions.can_set_committee_commune(request.user):
            readonly.append("commune")
        return readonly


class AssignmentInlineFormSet(BaseInlineFormSet):
    """Checks overlaps over all the cell's rows at once, as they will be once saved, so an
    assignment can be closed and the next one added in one save."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.overlap_checked_elsewhere = True
        return form

    def clean(self):
        super().clean()
        rows = [
            form
            for form in self.forms
            if form.cleaned_data
            and not self._should_delete_form(form)
            and not form.errors
            and form.instance.starts_on
        ]
        in_forms = [form.instance.pk for form in self.forms if form.instance.pk]
        stored = []
        if self.instance.pk:
            stored = list(
                Assignment.objects.filter(cell=self.instance)
                .exclude(pk__in=in_forms)
                .select_related("village")
            )
        for index, form in enumerate(rows):
            others = [other.instance for other in rows[:index]] + stored
            other = form.instance.first_overlap(others)
            if other is not None:
                form.add_error(None, form.instance.overlap_error(other))


class AssignmentInline(ScopedInline, PlaceLabelMixin, admin.TabularInline):
    model = Assignment
    formset = AssignmentInlineFormSet
    fields = ["village", "directive", "starts_on", "ends_on", "note"]
    autocomplete_fields = ["village", "directive"]
    extra = 0


@admin.register(PartyCell)
class PartyCellAdmin(
    ScopedAdmin, ValueHistoryMixin, PlaceLabelMixin, FoldedSearchMixin, admin.ModelAdmin
):
    list_display = ["name", "kind", "committee", "home_village", "active"]
    list_filter = ["active", "kind", "committee"]
    list_select_related = ["committee", "home_village"]
    search_fields = ["name"]
    folded_search_fields = ("search_name", "committee__search_name")
    autocomplete_fields = ["committee", "home_village"]
    fields = ["committee", "name", "kind", "home_village", "active"]
    inlines = [AssignmentInline]

    def save_formset(self, request, form, formset, change):
        moved = [f.instance for f in formset.forms if f.has_changed() and _moves(f)]
        super().save_formset(request, form, formset, change)
        if formset.model is Assignment:
            for assignment in moved:
                if assignment.pk and assignment not in formset.deleted_objects:
                    warn_about_move(self, request, assignment)


@admin.register(Member)
class MemberAdmin(ScopedAdmin, ValueHistoryMixin, FoldedSearchMixin, admin.ModelAdmin):
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
        (
            None,
            {
                "fields": [
                    "full_name",
                    "distinguishing_note",
                    "category",
                    "level",
                    "is_party_member",
                    "active",
                ]
            },
        ),
        (_("Workplace"), {"fields": ["cell", "organisation", "position", "phone", "email"]}),
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
class AssignmentAdmin(
    ScopedAdmin, ValueHistoryMixin, PlaceLabelMixin, FoldedSearchMixin, admin.ModelAdmin
):
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

    def save_model(self, request, obj, form, change):
        moves = _moves(form)
        super().save_model(request, obj, form, change)
        if moves:
            warn_about_move(self, request, obj)
