"""Every "may this user…" question, answered in one place.

Scopes come from ``Role`` rows: an officer or viewer of a committee covers that committee, every
committee below it and all their cells; a secretary covers one cell. Superusers cover all.
Officers manage (write); viewers and secretaries read. Views never test roles themselves: they
call the fetch-and-check helpers at the bottom, which answer 404 for an object outside the
user's scope and 403 for a write the user may only read.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from programs.models import Assignment, LabourSession, PartyCell, PartyCommittee, Role, Village


@dataclass(frozen=True)
class Scope:
    """The committees and cells a user reaches, split by what they may do there."""

    all: bool = False
    managed_committees: frozenset[int] = field(default_factory=frozenset)
    viewed_committees: frozenset[int] = field(default_factory=frozenset)
    secretary_cells: frozenset[int] = field(default_factory=frozenset)

    @property
    def committees(self) -> frozenset[int]:
        return self.managed_committees | self.viewed_committees

    @property
    def is_empty(self) -> bool:
        return not (self.all or self.committees or self.secretary_cells)

    @property
    def manages_anything(self) -> bool:
        return self.all or bool(self.managed_committees)

    def cell_filter(self, prefix: str = "") -> Q:
        """A filter for cells (or rows whose cell is at ``prefix``, e.g. "cell__") in scope."""
        if self.all:
            return Q()
        return Q(**{f"{prefix}committee_id__in": self.committees}) | Q(
            **{f"{prefix}id__in": self.secretary_cells}
        )

    def managed_cell_filter(self, prefix: str = "") -> Q:
        if self.all:
            return Q()
        return Q(**{f"{prefix}committee_id__in": self.managed_committees})


def _committee_children() -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in PartyCommittee.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    return children


def _descendants(roots: set[int], children: dict[int | None, list[int]]) -> frozenset[int]:
    found, stack = set(), list(roots)
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, ()))
    return frozenset(found)


def committee_subtree_ids(committee_id: int) -> frozenset[int]:
    """The committee and every committee below it (one query)."""
    return _descendants({committee_id}, _committee_children())


def scope_for(user) -> Scope:
    """The user's scope, computed once per request and cached on the user object."""
    cached = getattr(user, "_civic_scope", None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        scope = Scope()
    elif user.is_superuser:
        scope = Scope(all=True)
    else:
        managed, viewed, cells = set(), set(), set()
        for kind, committee_id, cell_id in Role.objects.filter(user=user).values_list(
            "kind", "committee_id", "cell_id"
        ):
            if kind == Role.Kind.OFFICER:
                managed.add(committee_id)
            elif kind == Role.Kind.VIEWER:
                viewed.add(committee_id)
            else:
                cells.add(cell_id)
        # The committee tree is read (one query) only for users with committee roles.
        children = _committee_children() if managed or viewed else {}
        managed_all = _descendants(managed, children)
        scope = Scope(
            managed_committees=managed_all,
            viewed_committees=_descendants(viewed, children) - managed_all,
            secretary_cells=frozenset(cells),
        )
    user._civic_scope = scope
    return scope


# --- Querysets of what a user may see or manage -------------------------------------------


def committees_visible_to(user) -> QuerySet:
    scope = scope_for(user)
    if scope.all:
        return PartyCommittee.objects.all()
    return PartyCommittee.objects.filter(id__in=scope.committees)


def committees_managed_by(user) -> QuerySet:
    scope = scope_for(user)
    if scope.all:
        return PartyCommittee.objects.all()
    return PartyCommittee.objects.filter(id__in=scope.managed_committees)


def cells_visible_to(user) -> QuerySet:
    return PartyCell.objects.filter(scope_for(user).cell_filter())


def cells_managed_by(user) -> QuerySet:
    scope = scope_for(user)
    if not scope.manages_anything:
        return PartyCell.objects.none()
    return PartyCell.objects.filter(scope.managed_cell_filter())


def sessions_visible_to(user) -> QuerySet:
    scope = scope_for(user)
    if scope.is_empty:
        return LabourSession.objects.none()
    return LabourSession.objects.filter(scope.cell_filter("cell__"))


def villages_visible_to(user) -> QuerySet:
    """Villages a visible cell is (or was) assigned to, holds sessions in, or belongs to."""
    scope = scope_for(user)
    if scope.all:
        return Village.objects.all()
    if scope.is_empty:
        return Village.objects.none()
    cells = PartyCell.objects.filter(scope.cell_filter()).values("id")
    # Three id subqueries rather than joins made unique with DISTINCT: the joins multiplied
    # every village by its sessions (56,000 rows for a province officer) before DISTINCT.
    return Village.objects.filter(
        Q(pk__in=Assignment.objects.filter(cell__in=cells).values("village_id"))
        | Q(pk__in=LabourSession.objects.filter(cell__in=cells).values("village_id"))
        | Q(
            pk__in=PartyCell.objects.filter(pk__in=cells, home_village__isnull=False).values(
                "home_village_id"
            )
        )
    )


# --- Named predicates -----------------------------------------------------------------------


def can_view_cell(user, cell: PartyCell) -> bool:
    scope = scope_for(user)
    return scope.all or cell.committee_id in scope.committees or cell.pk in scope.secretary_cells


def can_manage_cell(user, cell: PartyCell) -> bool:
    scope = scope_for(user)
    return scope.all or cell.committee_id in scope.managed_committees


def can_view_session(user, session: LabourSession) -> bool:
    return can_view_cell(user, session.cell)


def can_manage_session(user, session: LabourSession) -> bool:
    """Create, edit, postpone or cancel: officers of the cell's committee (or above)."""
    return can_manage_cell(user, session.cell)


def can_log_session(user, session: LabourSession) -> bool:
    """Write a session's log (who came, what was done, photos): the cell's own secretary, or an
    officer who manages the cell. Whether the log is still open is the session's own question
    (``session.can_be_logged``)."""
    return session.cell_id in scope_for(user).secretary_cells or can_manage_session(user, session)


def can_review_log(user, session: LabourSession) -> bool:
    """Confirm, return or reopen a session's log: officers who manage the cell."""
    return can_manage_session(user, session)


def can_see_reviews(user) -> bool:
    """The list of logs waiting for confirmation: officers (who act on it) and viewers (who
    follow it read-only); a cell secretary has their own cell on the overview instead."""
    scope = scope_for(user)
    return scope.all or bool(scope.committees)


def can_view_committee(user, committee: PartyCommittee) -> bool:
    scope = scope_for(user)
    return scope.all or committee.pk in scope.committees


def can_plan(user, committee: PartyCommittee | None = None) -> bool:
    """Plan months: officers (of ``committee``, when given)."""
    scope = scope_for(user)
    if committee is None:
        return scope.manages_anything
    return scope.all or committee.pk in scope.managed_committees


def can_create_sessions(user) -> bool:
    return scope_for(user).manages_anything


# --- Fetch and check ------------------------------------------------------------------------


def get_session_or_404(user, pk, *, write: bool = False, queryset=None) -> LabourSession:
    """The session ``pk`` if the user may see it (else 404); with ``write``, 403 unless the
    user may also change it."""
    queryset = queryset if queryset is not None else LabourSession.objects.all()
    queryset = queryset.select_related("cell__committee", "village", "directive")
    try:
        session = queryset.filter(scope_for(user).cell_filter("cell__")).get(pk=pk)
    except (LabourSession.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_manage_session(user, session):
        raise PermissionDenied
    return session


def get_session_for_log_or_404(user, pk, *, queryset=None) -> LabourSession:
    """The session ``pk`` if the user may see it (else 404), and 403 unless they may log it."""
    session = get_session_or_404(user, pk, queryset=queryset)
    if not can_log_session(user, session):
        raise PermissionDenied
    return session


def get_cell_or_404(user, pk) -> PartyCell:
    try:
        return (
            PartyCell.objects.select_related("committee", "home_village")
            .filter(scope_for(user).cell_filter())
            .get(pk=pk)
        )
    except (PartyCell.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_village_or_404(user, pk) -> Village:
    try:
        return (
            villages_visible_to(user)
            .select_related("commune__district__province", "commune__province")
            .get(pk=pk)
        )
    except (Village.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_committee_or_404(user, pk, *, manage: bool = False) -> PartyCommittee:
    """A committee in the user's scope (404 otherwise); with ``manage``, 403 unless officer."""
    try:
        committee = committees_visible_to(user).get(pk=pk)
    except (PartyCommittee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if manage and not can_plan(user, committee):
        raise PermissionDenied
    return committee
