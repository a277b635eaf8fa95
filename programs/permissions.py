"""Every "may this user…" question, answered in one place.

Scopes are computed from ``Role`` rows: an officer or viewer of a committee covers that committee,
every committee below it and all their cells; a secretary covers one cell. Superusers cover all.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from programs.models import PartyCommittee, Role


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

    def cell_filter(self, prefix: str = "") -> Q:
        """A filter for rows whose cell (at ``prefix``) is in this scope."""
        if self.all:
            return Q()
        return Q(**{f"{prefix}committee_id__in": self.committees}) | Q(
            **{f"{prefix}id__in": self.secretary_cells}
        )


def _descendants(roots: set[int]) -> frozenset[int]:
    if not roots:
        return frozenset()
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in PartyCommittee.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), list(roots)
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, ()))
    return frozenset(found)


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
        managed_all = _descendants(managed)
        scope = Scope(
            managed_committees=managed_all,
            viewed_committees=_descendants(viewed) - managed_all,
            secretary_cells=frozenset(cells),
        )
    user._civic_scope = scope
    return scope
