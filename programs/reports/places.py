"""Places as they were on a session's date, in SQL: which former name (``VillageName``) of the
session's village held that day, and whether the village was in a given commune then.

``Village.placement_on`` answers the same question in Python for one village; these let a
grouped query split and filter its rows by it, so a report reads the same few queries however
many villages and renames there are.
"""

from django.db.models import Exists, OuterRef, Q, Subquery

from programs.models import VillageName


def former_names_on(village="village_id", day="date"):
    """The former names of the village ``village`` (a field of the outer row) valid on the
    outer row's ``day``. A village has at most one: former names do not overlap."""
    return VillageName.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=OuterRef(day)),
        village_id=OuterRef(village),
        valid_until__gte=OuterRef(day),
    )


def former_name_id(village="village_id", day="date"):
    """The id of the former name the village bore on the day, or NULL while it bore today's
    name and commune: with the village, what a row of the per-village table is keyed by."""
    return Subquery(former_names_on(village, day).order_by("valid_from").values("id")[:1])


def in_commune_on_session_date(commune) -> Q:
    """Sessions held in a village that belonged to ``commune`` on the session's date: under a
    former name recorded with that commune, or (without a former name for that day) because
    it belongs to it today."""
    former = former_names_on()
    return Q(Exists(former.filter(commune=commune))) | (
        Q(village__commune=commune) & ~Q(Exists(former))
    )
