"""The project's admin site class, installed as ``admin.site`` (``civic_labour.apps``).

Django's default site with one change: its autocomplete answers with the labels that tell
communes and villages apart ("xã Bình An (huyện Lâm Bình, đến 30/06/2025)"), as the admin's
selects do (``programs.admin.labels``). It lives outside ``programs.admin``: the site is built
while that package registers its model admins, and must not import it.
"""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


def label_related(model) -> tuple[str, ...]:
    """What a model's picker label reads, to select with its rows (one query per list)."""
    from programs.models import Commune, Village

    return {Commune: ("district", "province"), Village: ("commune",)}.get(model, ())


def place_label(obj) -> str:
    return getattr(obj, "label_with_context", None) or str(obj)


class PlaceAutocompleteJsonView(AutocompleteJsonView):
    def get_queryset(self):
        queryset = super().get_queryset()
        related = label_related(queryset.model)
        return queryset.select_related(*related) if related else queryset

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": place_label(obj)}


class CivicAdminSite(admin.AdminSite):
    def autocomplete_view(self, request):
        return PlaceAutocompleteJsonView.as_view(admin_site=self)(request)
