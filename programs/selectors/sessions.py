"""Reads for one session's pages and the month planner."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from programs.models import LabourSession, PartyCell, SessionChange

__all__ = ["history_entries", "plan_cells", "session_detail_queryset"]


def session_detail_queryset():
    """A session with everything its page shows, in a fixed number of queries."""
    return LabourSession.objects.select_related(
        "cell__committee",
        "directive",
        "village__commune__district__province",
        "village__commune__province",
        "created_by",
        "rescheduled_from",
        "rescheduled_as",
    ).prefetch_related(
        "village__names__commune__district__province",
        "village__names__commune__province",
        Prefetch("changes", queryset=SessionChange.objects.select_related("user")),
    )


def plan_cells(committee, directive):
    """The cells of ``committee`` that have an assignment under ``directive`` (for the planner's
    per-cell lines)."""
    return list(
        PartyCell.objects.filter(committee=committee, active=True, assignments__directive=directive)
        .distinct()
        .order_by("name")
    )


def history_entries(changes) -> list:
    """Session changes with their field names as people read them ("Ngày", not "date")."""
    labels = {
        f.name: f.verbose_name
        for f in LabourSession._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    labels.update(
        {
            "attendances": _("participants"),
            "outputs": _("work done"),
            "photos": _("photos"),
        }
    )
    entries = list(changes)
    for entry in entries:
        entry.rows = [
            (labels.get(name, name), values[0], values[1]) for name, values in entry.changes.items()
        ]
    return entries
