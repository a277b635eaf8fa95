"""Reusable read queries, with the joins and prefetches their pages need."""

from programs.models import LabourSession, PartyCell, Role
from programs.permissions import scope_for


def roles_for(user):
    return list(
        Role.objects.filter(user=user)
        .select_related("committee", "cell__committee")
        .order_by("kind", "committee__name", "cell__name")
    )


def cells_in_scope(user):
    scope = scope_for(user)
    return PartyCell.objects.filter(scope.cell_filter()).select_related("committee")


def home_summary(user) -> dict:
    """What the home page shows: the user's roles and the size of what they reach."""
    scope = scope_for(user)
    cells = PartyCell.objects.filter(scope.cell_filter(), active=True)
    sessions = LabourSession.objects.filter(cell__in=cells)
    return {
        "roles": roles_for(user),
        "cell_count": cells.count(),
        "upcoming_sessions": list(
            sessions.planned()
            .select_related("cell", "village")
            .order_by("date", "start_time")[:5]
        ),
    }
