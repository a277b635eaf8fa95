"""Search that ignores Vietnamese diacritics, for changelists and autocomplete alike."""

from django.contrib.admin.utils import lookup_spawns_duplicates
from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal

from programs.text import fold


class FoldedSearchMixin:
    """Matches each word of the search term, folded with :func:`programs.text.fold`, against
    ``folded_search_fields`` (``search_name`` columns, which hold the folded names), or against
    the ordinary ``search_fields``.

    People type "na cooc" for "Nà Coóc", and SQLite cannot compare without diacritics, so the
    stored folded copy is the only search that works the same on both databases. Autocomplete
    widgets call ``get_search_results`` too, so they get the same behaviour.
    """

    folded_search_fields: tuple[str, ...] = ("search_name",)

    def get_search_results(self, request, queryset, search_term):
        if not self.folded_search_fields or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        plain_search = bool(self.get_search_fields(request))
        # Like Django's own search: every word must match one of the fields.
        for bit in smart_split(search_term):
            word = bit
            if len(bit) > 1 and bit[0] in "\"'" and bit[0] == bit[-1]:
                word = unescape_string_literal(bit)
            folded = fold(word)
            if not folded:
                continue
            condition = Q.create(
                [(f"{field}__contains", folded) for field in self.folded_search_fields],
                connector=Q.OR,
            )
            if plain_search:
                # The ordinary lookups run as a subquery, so the caller's queryset (with its
                # annotations, filters and ordering) stays as it is.
                plain, _ = super().get_search_results(
                    request, self.model._default_manager.all(), bit
                )
                condition |= Q(pk__in=plain.values("pk"))
            queryset = queryset.filter(condition)
        may_have_duplicates = any(
            lookup_spawns_duplicates(self.opts, field) for field in self.folded_search_fields
        )
        return queryset, may_have_duplicates
