"""Small query helpers shared by the model admins."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_of(model, field: str):
    """How many ``model`` rows point at the outer row through ``field``.

    A subquery rather than ``Count()``: an aggregate adds GROUP BY, which makes the queryset
    unordered for autocomplete's paginator and multiplies with any other join.
    """
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)
