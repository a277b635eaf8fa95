from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from programs import services
from programs.models import (
    Attendance,
    LabourSession,
    Photo,
    SessionChange,
    WorkOutput,
    WorkType,
)

from .base import ScopedAdmin, ScopedInline
from .search import FoldedSearchMixin
from .utils import count_of


class AttendanceInline(ScopedInline, admin.TabularInline):
    model = Attendance
    fields = ["member", "workdays", "category", "level", "is_party_member"]
    # Copied from the member when the session is saved (LabourSessionAdmin.save_formset), so a
    # report about a past session counts people as they were then.
    readonly_fields = ["category", "level", "is_party_member"]
    autocomplete_fields = ["member"]
    extra = 0


class WorkOutputInline(ScopedInline, admin.TabularInline):
    model = WorkOutput
    fields = [
        "work_type",
        "description",
        "quantity",
        "unit",
        "household",
        "value_vnd",
        "funding_source",
    ]
    autocomplete_fields = ["household"]
    extra = 0


class PhotoInline(ScopedInline, admin.TabularInline):
    model = Photo
    fields = ["image", "caption", "taken_on", "uploaded_by"]
    readonly_fields = ["uploaded_by"]
    extra = 0


@admin.register(LabourSession)
class LabourSessionAdmin(ScopedAdmin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = [
        "date",
        "start_time",
        "cell",
        "village",
        "commune",
        "directive",
        "status",
        "attendance_count",
    ]
    list_display_links = ["date"]
    list_filter = ["status", "directive", "cell__committee"]
    list_select_related = ["cell", "village__commune", "directive"]
    date_hierarchy = "date"
    search_fields = ["partner", "planned_work", "directive__symbol"]
    folded_search_fields = ("cell__search_name", "village__search_name")
    autocomplete_fields = ["directive", "cell", "village"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "directive",
                    "cell",
                    "village",
                    "date",
                    "start_time",
                    "partner",
                    "status",
                    "status_reason",
                    "other_village_reason",
                ]
            },
        ),
        (_("Work"), {"fields": ["planned_work", "notes"]}),
        (
            _("People not listed by name"),
            {"fields": ["unlisted_commune_cadres", "unlisted_armed_forces", "unlisted_villagers"]},
        ),
        (_("Record"), {"fields": ["created_by", "created_at", "updated_at"]}),
    ]
    inlines = [AttendanceInline, WorkOutputInline, PhotoInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(attendance_count=count_of(Attendance, "session"))
        )

    @admin.display(description=_("commune"), ordering="village__commune__name")
    def commune(self, session):
        return session.village.commune

    @admin.display(description=_("named participants"), ordering="attendance_count")
    def attendance_count(self, session):
        return session.attendance_count

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        if change:
            # An edit here must also invalidate forms opened elsewhere on the old version.
            obj.version += 1
            obj._before_admin_edit = services.session_snapshot(LabourSession.objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        session = form.instance
        # Edits in the admin site join the session's history like any other change.
        before = getattr(session, "_before_admin_edit", None)
        after = services.session_snapshot(session)
        changes = services.session_diff(before, after) if before else {}
        sections = {Attendance: "attendances", WorkOutput: "outputs", Photo: "photos"}
        for formset in formsets:
            key = sections.get(formset.model)
            if key is None:
                continue
            old = [str(obj) for obj in formset.deleted_objects]
            new = [str(obj) for obj in formset.new_objects]
            new += [str(obj) for obj, _fields in formset.changed_objects]
            if old or new:
                changes[key] = ["; ".join(old), "; ".join(new)]
        action = SessionChange.Action.UPDATED if change else SessionChange.Action.CREATED
        if changes or not change:
            services.record_change(
                session, request.user, action, changes, reason=_("in the admin site")
            )

    def save_formset(self, request, form, formset, change):
        if formset.model not in (Attendance, Photo):
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        # An edited row keeps what was copied when it was written, unless its member changed.
        member_changed = {obj for obj, fields in formset.changed_objects if "member" in fields}
        for obj in instances:
            if isinstance(obj, Attendance):
                if obj.pk is None or obj in member_changed:
                    obj.copy_from_member()
            elif obj.uploaded_by_id is None:
                obj.uploaded_by = request.user
            obj.save()
        formset.save_m2m()


@admin.register(WorkType)
class WorkTypeAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "name_en", "default_unit", "sort_order", "active"]
    list_editable = ["sort_order", "active"]
    list_filter = ["active", "default_unit"]
    search_fields = ["name", "name_en"]
    fields = ["name", "name_en", "default_unit", "sort_order", "active"]
