"""Reads for the list of villagers' opinions (/opinions/)."""

from programs.models import OpinionStatus, Village
from programs.permissions import opinions_of_cells_visible_to

__all__ = ["OPINIONS_PER_PAGE", "opinion_villages", "opinions_filtered"]

OPINIONS_PER_PAGE = 50


def opinions_filtered(user, *, status: str, field: str = "", village: int | None = None):
    """The opinions of confirmed logs of the user's cells, oldest first (the longest waiting on
    top): ``status`` "open" (received or forwarded), one status, or "all"; by field and
    village when given. Each row comes with its session, cell and village (one query a page)."""
    opinions = opinions_of_cells_visible_to(user).of_confirmed_logs()
    if status == "open":
        opinions = opinions.open()
    elif status in OpinionStatus.values:
        opinions = opinions.filter(status=status)
    if field:
        opinions = opinions.filter(field=field)
    if village:
        opinions = opinions.filter(village_id=village)
    return opinions.select_related("session__cell", "village").order_by("heard_on", "pk")


def opinion_villages(user) -> list:
    """The villages the user's opinions concern, for the filter: not every village of a
    province, only those with an opinion (one query)."""
    return list(
        Village.objects.filter(
            pk__in=opinions_of_cells_visible_to(user).of_confirmed_logs().values("village_id")
        )
        .select_related("commune")
        .order_by("search_name", "pk")
    )
