"""Reads for the officers' review of session logs."""

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from programs.models import Attendance, WorkOutput
from programs.permissions import sessions_to_review_for

__all__ = ["logs_waiting_for_review"]


def _count_of(model):
    """A correlated COUNT of ``model`` rows of the outer session (0 when there are none).

    Two subqueries rather than two joined Counts: joining attendance and outputs together would
    multiply the rows and need DISTINCT on both."""
    rows = (
        model.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def logs_waiting_for_review(user):
    """Logs submitted for confirmation in the cells the user follows, oldest submitted first,
    with ``named`` (named participants), ``person_visits`` (named + counted without names) and
    ``output_count``. One query per page, whatever the number of logs."""
    return (
        sessions_to_review_for(user)
        .select_related("cell__committee", "village", "log_submitted_by")
        .annotate(named=_count_of(Attendance), output_count=_count_of(WorkOutput))
        .annotate(
            person_visits=F("named")
            + F("unlisted_commune_cadres")
            + F("unlisted_armed_forces")
            + F("unlisted_villagers")
        )
        # session_log_review_idx (log_status, log_submitted_at) serves this order.
        .order_by("log_submitted_at", "id")
    )
