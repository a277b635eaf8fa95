"""Sessions in the admin site: their core fields go through the same services as the pages.

A session's fields are saved by ``services.sessions.session_create`` / ``session_update``
(version check under a row lock, history entry). What its log records — attendance, work done,
photos, the counts of people not listed by name, notes — is shown read-only, with a link to the
log page that writes it through ``programs.services.logbook`` (photos re-encoded without their GPS
position, real thumbnails, sign-off rules).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from programs.forms.fields import check_holiday, check_in_window, holiday_confirmation_field
from programs.models import (
    Attendance,
    LabourSession,
    Photo,
    VillagerOpinion,
    WorkOutput,
    WorkType,
)
from programs.services import sessions as session_services

from .base import ScopedAdmin, ScopedInline
from .labels import PlaceLabelMixin
from .search import FoldedSearchMixin
from .utils import count_of

# What the admin form edits; everything a log records is read-only here.
SESSION_CORE_FIELDS = [
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
SESSION_FIELDS = [*SESSION_CORE_FIELDS, "planned_work"]
# The admin form's own fields, not the model's.
FORM_ONLY_FIELDS = ("version", "confirm_holiday")
LOG_FIELDS = ["notes", "unlisted_commune_cadres", "unlisted_armed_forces", "unlisted_villagers"]


def _log_link(session):
    if session is None or session.pk is None:
        return "—"
    return format_html(
        '<a href="{}">{}</a>',
        reverse("programs:session-log", args=[session.pk]),
        _("Open the log page to change attendance, work done and photos"),
    )


class ReadOnlyLogInline(ScopedInline, admin.TabularInline):
    """A part of the log, shown but not edited: the log page is its only write path."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AttendanceInline(ReadOnlyLogInline):
    model = Attendance
    fields = ["member", "workdays", "category", "level", "is_party_member"]


class WorkOutputInline(ReadOnlyLogInline):
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


class PhotoInline(ReadOnlyLogInline):
    model = Photo
    fields = ["preview", "caption", "taken_on", "keeps_location", "uploaded_by"]

    @admin.display(description=_("photo"))
    def preview(self, photo):
        url = reverse("programs:session-photo", args=[photo.session_id, photo.pk])
        return format_html('<a href="{}">{}</a>', url, _("View"))


class VillagerOpinionInline(ReadOnlyLogInline):
    """Opinions are written with the log and followed up from the session page (history and
    version checked there), never here."""

    model = VillagerOpinion
    fields = ["text", "field", "village", "status", "resolver", "resolved_on"]


class LabourSessionAdminForm(forms.ModelForm):
    """Carries the version the form was opened on (a save from an older one is refused) and
    asks what the page's form asks: a date inside the application's window, and a confirmation
    for a public holiday."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm_holiday = holiday_confirmation_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_date(self):
        day = self.cleaned_data.get("date")
        check_in_window(day)
        return day

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        # The model form checks only the rules whose fields it shows; the log's own fields
        # (shown read-only here) take part in rules too, e.g. a submitted log is held.
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            self.add_error(None, error.messages)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or "date" in self.changed_data:
            check_holiday(self, cleaned.get("date"))
        if self.instance.pk is None:
            return cleaned
        sent = cleaned.get("version")
        stored = LabourSession.objects.filter(pk=self.instance.pk)
        # The admin runs the whole request in a transaction: the lock taken here holds until
        # the save, so no other save can slip in between this check and the write.
        if transaction.get_connection().in_atomic_block:
            stored = stored.select_for_update()
        current = stored.values_list("version", flat=True).first()
        if sent is None or sent != current:
            raise forms.ValidationError(stale_message(), code="stale")
        return cleaned


def stale_message():
    return _(
        "Someone else saved this session after you opened it. Your changes were not saved: "
        "open the session again to see the current values, then redo your changes."
    )


@admin.register(LabourSession)
class LabourSessionAdmin(ScopedAdmin, PlaceLabelMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = LabourSessionAdminForm
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
    # Postponing and cancelling have their own pages (a reason, a replacement date, history).
    readonly_fields = [
        "status",
        "status_reason",
        "log_link",
        *LOG_FIELDS,
        "log_status",
        "created_by",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {"fields": [*SESSION_CORE_FIELDS, "confirm_holiday", "version"]},
        ),
        (_("Work"), {"fields": ["planned_work"]}),
        (_("Log"), {"fields": ["log_link", "log_status", *LOG_FIELDS]}),
        (_("Record"), {"fields": ["created_by", "created_at", "updated_at"]}),
    ]
    inlines = [AttendanceInline, WorkOutputInline, PhotoInline, VillagerOpinionInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(attendance_count=count_of(Attendance, "session"))
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        # ``version`` is the form's own field (the model's is not editable): kept out of the
        # model fields the form is built from, it is still rendered in its fieldset.
        fields = kwargs.get("fields")
        if fields is None:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [name for name in fields if name not in FORM_ONLY_FIELDS]
        return super().get_form(request, obj, change, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Only a planned session is edited (services.sessions.session_update says so too); a held,
        # postponed or cancelled one is shown read-only, its log on the log page.
        if obj is not None and not obj.is_open:
            return False
        return super().has_change_permission(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except session_services.StaleEditError:
            self.message_user(request, stale_message(), level=messages.ERROR)
        except ValidationError as error:
            # What the service refused at the last moment (another save got there first):
            # nothing was written; show why on the page as it is now.
            self.message_user(request, " ".join(error.messages), level=messages.ERROR)
        return HttpResponseRedirect(request.path)

    def get_inlines(self, request, obj):
        # A new session has no log yet; its log is written on the log page once it exists.
        return self.inlines if obj is not None else []

    @admin.display(description=_("commune"), ordering="village__commune__name")
    def commune(self, session):
        return session.village.commune

    @admin.display(description=_("named participants"), ordering="attendance_count")
    def attendance_count(self, session):
        return session.attendance_count

    @admin.display(description=_("log"))
    def log_link(self, session):
        return _log_link(session)

    def save_model(self, request, obj, form, change):
        """Write through the services: the session's version check, row lock and history."""
        fields = {
            name: form.cleaned_data[name]
            for name in SESSION_FIELDS
            if name in form.cleaned_data and (not change or name in form.changed_data)
        }
        if change:
            saved = session_services.session_update(
                session=obj, user=request.user, version=form.cleaned_data["version"], **fields
            )
        else:
            saved = session_services.session_create(user=request.user, **fields)
        # The admin goes on with ``obj`` (its history entry, the redirect): make it the saved row.
        obj.pk = saved.pk
        obj.refresh_from_db()
        obj._state.adding = False


@admin.register(WorkType)
class WorkTypeAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "name_en", "default_unit", "sort_order", "active"]
    list_editable = ["sort_order", "active"]
    list_filter = ["active", "default_unit"]
    search_fields = ["name", "name_en"]
    fields = ["name", "name_en", "default_unit", "sort_order", "active"]
