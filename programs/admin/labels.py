"""Commune and village pickers that tell records of the same name apart.

Two communes called "xã Bình An" exist side by side (before and after the 2025 reform), and
villages of one name exist in several communes. Wherever the admin site offers a commune or a
village to pick it shows ``label_with_context`` instead of the bare name that documents print:
in a plain select and in the selected value of an autocomplete box (here), and in the
autocomplete's search results (``programs.admin_site``).
"""

from django import forms

from programs.admin_site import label_related, place_label


class PlaceChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs):
        related = label_related(queryset.model)
        if related:
            queryset = queryset.select_related(*related)
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj):
        return place_label(obj)


class PlaceLabelMixin:
    """For a ModelAdmin or inline: its commune and village fields use ``PlaceChoiceField``."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if label_related(db_field.related_model):
            kwargs.setdefault("form_class", PlaceChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
