"""The admin site's scope: every model admin and inline asks ``programs.permissions`` which rows
a user may see, change and pick, so the admin site is no way around the pages' rules.

Django's model permissions (the "office" group of the demo, say) stay the first gate: a user
without ``programs.change_village`` changes no village. The scope is the second gate: with the
permission, an officer still changes only the villages their cells use. Outside the scope a
row does not exist: change lists and list filters leave it out, change, delete and history
pages answer 404, drop-downs and autocomplete do not offer it, and "delete selected" skips it.
"""

from collections import defaultdict

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import router
from django.http import Http404
from django.utils.translation import gettext

from programs.admin.tokens import OneTimeFormAdmin
from programs.permissions import (
    admin_changeable_filter,
    admin_choice_filter,
    admin_requires,
    admin_rows_out_of_sight,
    admin_visible_filter,
    can_admin_add,
    can_admin_change,
    can_admin_view_model,
)


class ScopedRelatedFieldListFilter(admin.RelatedOnlyFieldListFilter):
    """A foreign-key filter offering only the values the user's own rows use.

    Django's ``RelatedFieldListFilter`` lists every row of the related model: the
    "party committee" filter of the member list would name every committee in the province.
    ``RelatedOnlyFieldListFilter`` reads the values from the model admin's (scoped) queryset.
    """

    def has_output(self):
        # Django drops a filter without output *and its parameter*: with one committee left to
        # choose, "?cell__committee__id__exact=<another>" would list every row instead of none.
        return super().has_output() or bool(self.lookup_val or self.lookup_val_isnull)


def _is_autocomplete(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


class _ScopedChoices:
    """Querysets and form choices, shared by model admins and inlines."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(admin_visible_filter(request.user, self.model))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._limit_choices(db_field, request, kwargs)
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and admin_requires(request.user, self.model, db_field.name):
            formfield.required = True
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._limit_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _limit_choices(self, db_field, request, kwargs):
        related = db_field.remote_field.model
        queryset = kwargs.get("queryset")
        if queryset is None:
            # The related admin's ordering, as Django would use it.
            queryset = self.get_field_queryset(None, db_field, request)
        if queryset is None:
            queryset = related._default_manager.all()
        kwargs["queryset"] = queryset.filter(admin_choice_filter(request.user, related))

    def _may_change(self, request, obj, model) -> bool:
        """``can_admin_change``, asked once per object and request (a change page asks often)."""
        if obj is None:
            return can_admin_change(request.user, None, model)
        answers = request.__dict__.setdefault("_civic_admin_may_change", {})
        key = (obj._meta.label, obj.pk)
        if key not in answers:
            answers[key] = can_admin_change(request.user, obj)
        return answers[key]


class ScopedAdmin(OneTimeFormAdmin, _ScopedChoices):
    """Put first in the bases of every ``ModelAdmin`` of the site (it brings the one-time form
    token of ``programs.admin.tokens`` along)."""

    def has_module_permission(self, request):
        return super().has_module_permission(request) and can_admin_view_model(
            request.user, self.model
        )

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and can_admin_view_model(
            request.user, self.model
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and can_admin_add(request.user, self.model)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change(
            request, obj, self.model
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change(
            request, obj, self.model
        )

    def get_object(self, request, object_id, from_field=None):
        # Django redirects to the index with "… does not exist" for a missing object, after
        # fetching it; a page of a model the user may not open at all is refused first (403),
        # and a row outside their scope is simply not there (404), like on the pages.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def get_search_results(self, request, queryset, search_term):
        if _is_autocomplete(request):
            # Autocomplete fills a form field: offer only what the form will accept.
            queryset = queryset.filter(admin_choice_filter(request.user, self.model))
        return super().get_search_results(request, queryset, search_term)

    def get_list_filter(self, request):
        return [self._scoped_filter(item) for item in super().get_list_filter(request)]

    def _scoped_filter(self, item):
        if not isinstance(item, str):
            return item
        try:
            path = get_fields_from_path(self.model, item)
        except FieldDoesNotExist:
            return item
        return (item, ScopedRelatedFieldListFilter) if path[-1].is_relation else item

    def get_deleted_objects(self, objs, request):
        # The confirmation page names every row a delete would take along or is protected
        # by, and those may be another committee's (their attendance at this member's
        # session, their cell's assignment to a shared village). Then it names none and the
        # delete is refused.
        found = super().get_deleted_objects(objs, request)
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(objs)
        rows = defaultdict(set)
        for model, instances in collector.model_objs.items():
            rows[model] |= {obj.pk for obj in instances}
        for obj in collector.protected:
            rows[type(obj)].add(obj.pk)
        if admin_rows_out_of_sight(request.user, rows):
            return [], {}, set(), [gettext("Rows of other committees or cells depend on it.")]
        return found

    def response_action(self, request, queryset):
        # Actions ("delete selected") act only on rows the user may change, even when they
        # may see more (a viewer's committee next to an officer's).
        changeable = admin_changeable_filter(request.user, self.model)
        return super().response_action(request, queryset.filter(changeable))


class ScopedInline(_ScopedChoices):
    """Put first in the bases of every inline: the parent's scope decides what may change."""

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and can_admin_view_model(
            request.user, self.model
        )

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._may_write(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_write(request, obj)

    def _may_write(self, request, parent) -> bool:
        if not can_admin_add(request.user, self.model):
            return False
        return parent is None or self._may_change(request, parent, type(parent))


class SuperuserOnly:
    """For the models only superusers manage: user accounts, groups, login records."""

    def has_module_permission(self, request):
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


def restrict_to_superusers(site, models) -> None:
    """Register ``models`` again with their admin class wrapped in :class:`SuperuserOnly`.

    Django's user and group admins and django-axes' login records are registered by those
    apps; a staff member given their model permissions would otherwise read every account and
    every login attempt."""
    for model in models:
        if not site.is_registered(model):
            continue
        current = type(site.get_model_admin(model))
        site.unregister(model)
        site.register(model, type(current.__name__, (SuperuserOnly, current), {}))
