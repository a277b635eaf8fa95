"""Admin history that says what changed: each field's old and new value, not only its name.

Django's own entry reads "Changed Name." For a village renamed or a member moved to another
cell, the office needs "Name: Nà Coóc → Nà Coóc Trên". ``ValueHistoryMixin`` adds, to the change
message Django stores, the old and new value of every changed field (of the object and of its
inline rows), and shows them on the object's history page.

Values are stored so that they can be shown in the reader's language: field names and choice
labels are looked up when the page is shown, booleans and dates kept as values; only linked
objects are stored as their names (which are data, not interface text).
"""

import contextlib
import datetime
import json
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from programs.text import vn_date, vn_datetime

EMPTY = "—"


def _stored(field, value):
    """A value as kept in the history entry: JSON, language-neutral where a label is
    translated."""
    if value is None or value == "":
        return None
    if isinstance(field, models.ForeignKey):
        if not isinstance(value, models.Model):
            # The form's initial data holds the related object's key.
            value = field.related_model._default_manager.filter(pk=value).first() or value
        return str(value)
    if isinstance(field, models.ManyToManyField):
        return ", ".join(str(item) for item in value) or None
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, int | float):
        return value
    return str(value)


def stored_value(field, value):
    """A field's value as a history entry keeps it (imports write their entries with it)."""
    return _stored(field, value)


def _shown(field, value) -> str:
    """A stored value as a person reads it, in the active language."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field is None or isinstance(field, models.ForeignKey | models.ManyToManyField):
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    try:
        if isinstance(field, models.DateTimeField):
            moment = timezone.localtime(datetime.datetime.fromisoformat(value))
            return vn_datetime(moment)
        if isinstance(field, models.DateField):
            return vn_date(datetime.date.fromisoformat(value))
        if isinstance(field, models.DecimalField):
            return number_format(Decimal(value))
    except (TypeError, ValueError):
        pass
    return str(value)


def form_value_changes(form) -> list[dict]:
    """[{"field", "old", "new"}, …] for the model fields the form changed."""
    opts = form._meta.model._meta
    rows = []
    for name in form.changed_data:
        try:
            field = opts.get_field(name)
        except FieldDoesNotExist:
            continue  # A form-only field (a confirmation box…), not data.
        old = _stored(field, form.initial.get(name))
        new = _stored(field, form.cleaned_data.get(name))
        if old != new:
            rows.append({"field": name, "old": old, "new": new})
    return rows


def _model_field_labels(form) -> list[str]:
    """The verbose names of the changed model fields, untranslated.

    Django stores the form's labels ("Active") and translates them when the page is shown;
    the catalogue holds the verbose names ("active"), so those are what is stored here.
    Form-only fields (the date a rename takes effect…) are left out: they are not data.
    """
    opts = form._meta.model._meta
    labels = []
    with translation.override(None):
        for name in form.changed_data:
            try:
                labels.append(str(opts.get_field(name).verbose_name))
            except FieldDoesNotExist:
                continue
    return labels


def value_changes(entry) -> list[dict]:
    """The old → new rows of a LogEntry, ready to show: label, old, new and, for an inline
    row, which object it was."""
    message = entry.change_message
    if not message or not message.startswith("["):
        return []
    try:
        parts = json.loads(message)
    except json.JSONDecodeError:
        return []
    rows = []
    for part in parts:
        changed = part.get("changed") if isinstance(part, dict) else None
        if not isinstance(changed, dict) or not changed.get("values"):
            continue
        model = entry.content_type.model_class()
        if changed.get("model"):
            with contextlib.suppress(LookupError, ValueError):
                model = apps.get_model(changed["model"])
        for value in changed["values"]:
            try:
                field = model._meta.get_field(value["field"])
                label = capfirst(field.verbose_name)
            except (FieldDoesNotExist, AttributeError, KeyError):
                field, label = None, value.get("field", "")
            rows.append(
                {
                    "object": changed.get("object", ""),
                    "label": label,
                    "old": _shown(field, value.get("old")),
                    "new": _shown(field, value.get("new")),
                }
            )
    return rows


class ValueHistoryMixin:
    """For a ModelAdmin: the history keeps every changed field's old and new value."""

    object_history_template = "admin/programs/object_history_values.html"

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if add:
            return message
        inline_values = []
        for formset in formsets or []:
            forms_by_pk = {f.instance.pk: f for f in formset.initial_forms}
            for obj, _fields in formset.changed_objects:
                inline_form = forms_by_pk.get(obj.pk)
                if inline_form is None:
                    inline_values.append(None)
                    continue
                inline_values.append(
                    (
                        formset.model._meta.label_lower,
                        form_value_changes(inline_form),
                        _model_field_labels(inline_form),
                    )
                )
        inline_values = iter(inline_values)
        kept = []
        for part in message:
            changed = part.get("changed")
            if changed is None:
                kept.append(part)
                continue
            if "name" in changed:
                inline = next(inline_values, None)
                if inline is not None:
                    changed["model"], changed["values"], changed["fields"] = inline
            else:
                changed["model"] = self.model._meta.label_lower
                changed["values"] = form_value_changes(form)
                changed["fields"] = _model_field_labels(form)
                if not changed["fields"]:
                    continue
            kept.append(part)
        return kept

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        actions = getattr(response, "context_data", {}).get("action_list")
        for entry in actions or []:
            entry.value_changes = value_changes(entry)
        return response
