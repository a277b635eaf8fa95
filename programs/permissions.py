"""Every "may this user…" question, answered in one place.

Scopes come from ``Role`` rows: an officer or viewer of a committee covers that committee, every
committee below it and all their cells; a secretary covers one cell; a host commune's committee
(``Role.Kind.HOST``) reads the sessions any cell holds in the villages of its commune, and
nothing else of those cells. Superusers cover all. Officers manage (write); viewers,
secretaries and hosts read.

Nothing outside this module tests a role or reads ``Scope`` fields to decide what a user may
do: views call the fetch-and-check helpers at the bottom (404 for an object outside the user's
scope, 403 for a write the user may only read) and the named predicates; selectors narrow their
queries with the querysets here; templates ask the predicates through the ``may`` object of
``programs.context_processors``. The scope is read once per request (one query for the roles,
one more for the committee tree when the user has committee roles) and cached on the user.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from programs.models import (
    Assignment,
    Attendance,
    Commune,
    Directive,
    Household,
    IssuedReport,
    LabourSession,
    Member,
    PartyCell,
    PartyCommittee,
    Photo,
    Role,
    Village,
    VillageName,
    VillagerOpinion,
    WorkOutput,
    WorkType,
)


@dataclass(frozen=True)
class Scope:
    """The committees and cells a user reaches, split by what they may do there."""

    all: bool = False
    managed_committees: frozenset[int] = field(default_factory=frozenset)
    viewed_committees: frozenset[int] = field(default_factory=frozenset)
    secretary_cells: frozenset[int] = field(default_factory=frozenset)
    # Communes whose committee the user reads as host: the sessions held in their villages.
    host_communes: frozenset[int] = field(default_factory=frozenset)

    @property
    def committees(self) -> frozenset[int]:
        return self.managed_committees | self.viewed_committees

    @property
    def is_empty(self) -> bool:
        return not (self.all or self.committees or self.secretary_cells or self.host_communes)

    @property
    def follows_committees(self) -> bool:
        return self.all or bool(self.committees)

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

    def session_filter(self, prefix: str = "") -> Q:
        """A filter for sessions (or rows whose session is at ``prefix``) the user may read:
        those of the cells in scope, and those held in a host commune's villages (by the
        village's commune today: a village moved by the 2025 reform follows its new commune)."""
        cells = self.cell_filter(f"{prefix}cell__")
        if self.all or not self.host_communes:
            return cells
        return cells | Q(**{f"{prefix}village__commune_id__in": self.host_communes})


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


def committee_branches(committee_id: int) -> tuple[frozenset[int], dict[int, frozenset[int]]]:
    """The committee's subtree, and for each committee directly below it, that one's subtree
    (one query): what a higher committee's report adds up by subordinate."""
    children = _committee_children()
    branches = {pk: _descendants({pk}, children) for pk in children.get(committee_id, ())}
    return _descendants({committee_id}, children), branches


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
        managed, viewed, cells, communes = set(), set(), set(), set()
        # The host committee's commune comes with the roles (a join, not another query).
        for kind, committee_id, cell_id, commune_id in Role.objects.filter(user=user).values_list(
            "kind", "committee_id", "cell_id", "committee__commune_id"
        ):
            if kind == Role.Kind.OFFICER:
                managed.add(committee_id)
            elif kind == Role.Kind.VIEWER:
                viewed.add(committee_id)
            elif kind == Role.Kind.HOST:
                if commune_id is not None:
                    communes.add(commune_id)
            else:
                cells.add(cell_id)
        # The committee tree is read (one query) only for users with committee roles.
        children = _committee_children() if managed or viewed else {}
        managed_all = _descendants(managed, children)
        scope = Scope(
            managed_committees=managed_all,
            viewed_committees=_descendants(viewed, children) - managed_all,
            secretary_cells=frozenset(cells),
            host_communes=frozenset(communes),
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


def committees_with_officer_role(user) -> QuerySet:
    """The committees the user is an officer of by a role (not those below): where they set
    the reminder day counts (superusers: every committee with officers)."""
    if scope_for(user).all:
        return PartyCommittee.objects.filter(roles__kind=Role.Kind.OFFICER).distinct()
    return PartyCommittee.objects.filter(roles__user=user, roles__kind=Role.Kind.OFFICER)


def cells_visible_to(user) -> QuerySet:
    return PartyCell.objects.filter(scope_for(user).cell_filter())


def cells_managed_by(user) -> QuerySet:
    scope = scope_for(user)
    if not scope.manages_anything:
        return PartyCell.objects.none()
    return PartyCell.objects.filter(scope.managed_cell_filter())


def sessions_visible_to(user) -> QuerySet:
    """Sessions the user may read: their cells' and, as host, those held in their commune."""
    scope = scope_for(user)
    if scope.is_empty:
        return LabourSession.objects.none()
    return LabourSession.objects.filter(scope.session_filter())


def sessions_of_cells_visible_to(user) -> QuerySet:
    """Sessions of the cells in the user's scope, without those read as host: the lists that
    are about the cells' work (reviews, dashboards), not about a commune's villages."""
    scope = scope_for(user)
    if scope.is_empty:
        return LabourSession.objects.none()
    return LabourSession.objects.filter(scope.cell_filter("cell__"))


def sessions_hosted_for(user) -> QuerySet:
    """Sessions other committees' cells hold in the villages of the user's host communes."""
    scope = scope_for(user)
    if not scope.host_communes:
        return LabourSession.objects.none()
    return LabourSession.objects.filter(village__commune_id__in=scope.host_communes).exclude(
        scope.cell_filter("cell__")
    )


def assignments_visible_to(user) -> QuerySet:
    return Assignment.objects.filter(scope_for(user).cell_filter("cell__"))


def cells_followed_by(user) -> QuerySet:
    """Active cells under the committees the user follows as officer or viewer (every active
    cell for a superuser); none for a secretary or a host: the dashboard's cells."""
    scope = scope_for(user)
    if not scope.follows_committees:
        return PartyCell.objects.none()
    cells = PartyCell.objects.filter(active=True)
    if not scope.all:
        cells = cells.filter(committee_id__in=scope.committees)
    return cells


def cells_of_secretary(user) -> QuerySet:
    """The cells the user is secretary of (their overview)."""
    return PartyCell.objects.filter(id__in=scope_for(user).secretary_cells)


def sessions_to_review_for(user) -> QuerySet:
    """Logs submitted for confirmation in the cells the user follows (officers, viewers)."""
    if not can_see_reviews(user):
        return LabourSession.objects.none()
    return sessions_of_cells_visible_to(user).filter(log_status=LabourSession.LogStatus.SUBMITTED)


def members_for_session_log(session: LabourSession) -> QuerySet:
    """The people a session's log may name besides those already recorded: active members of
    the cells of the session's own committee, and active people attached to no cell (commune
    cadres, soldiers who come along).

    The cadres who turn out with a cell are those of its own committee's agencies; the members
    of other committees are not this cell's to record, and the log form's search must not let
    a cell secretary browse every committee's names. One join, no extra query."""
    return Member.objects.filter(
        Q(cell__committee_id=session.cell.committee_id) | Q(cell__isnull=True), active=True
    )


def villages_visible_to(user) -> QuerySet:
    """Villages a visible cell is (or was) assigned to, holds sessions in, or belongs to.

    A host's communes add nothing here: a host reads sessions, not the village pages, filters
    and reports, which show the other committees' assignments and figures."""
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


def communes_visible_to(user) -> QuerySet:
    """Communes a user may report on: every commune for a superuser (those that ended in a
    reform included); otherwise the communes the user's villages belong to today or belonged
    to under a former name (``VillageName``), so an officer still reaches the pre-2025 commune
    their villages were in."""
    scope = scope_for(user)
    if scope.all:
        return Commune.objects.all()
    if scope.is_empty:
        return Commune.objects.none()
    villages = villages_visible_to(user).values("id")
    return Commune.objects.filter(
        Q(pk__in=Village.objects.filter(pk__in=villages).values("commune_id"))
        | Q(pk__in=VillageName.objects.filter(village__in=villages).values("commune_id"))
    )


# --- Named predicates -----------------------------------------------------------------------


def can_view_cell(user, cell: PartyCell) -> bool:
    scope = scope_for(user)
    return scope.all or cell.committee_id in scope.committees or cell.pk in scope.secretary_cells


def can_manage_cell(user, cell: PartyCell) -> bool:
    scope = scope_for(user)
    return scope.all or cell.committee_id in scope.managed_committees


def can_view_session(user, session: LabourSession) -> bool:
    """Read a session: its cell is in scope, or it was held in a host commune's village."""
    if can_view_cell(user, session.cell):
        return True
    return session.village.commune_id in scope_for(user).host_communes


def reads_as_host(user, session: LabourSession) -> bool:
    """The user sees this session only as the host commune: its cell's and village's pages and
    every other record of that committee stay closed to them."""
    return not can_view_cell(user, session.cell) and can_view_session(user, session)


def can_manage_session(user, session: LabourSession) -> bool:
    """Create, edit, postpone or cancel: officers of the cell's committee (or above)."""
    return can_manage_cell(user, session.cell)


def can_log_session(user, session: LabourSession) -> bool:
    """Write a session's log (who came, what was done, photos): the cell's own secretary, or an
    officer who manages the cell. Whether the log is still open is the session's own question
    (``session.can_be_logged``)."""
    return session.cell_id in scope_for(user).secretary_cells or can_manage_session(user, session)


def can_follow_up_opinions(user, session: LabourSession) -> bool:
    """Record what became of the villagers' opinions of a confirmed log (forwarded, resolved,
    by whom, when) without reopening it: the officers who manage the cell, and the cell's own
    secretary. Whether the log is confirmed is the session's own question."""
    return can_log_session(user, session)


def can_see_opinions(user) -> bool:
    """The list of villagers' opinions (/opinions/), over the cells in scope: officers,
    viewers and cell secretaries, as for reports (a host reads them on the session pages)."""
    return can_see_reports(user)


def can_review_log(user, session: LabourSession) -> bool:
    """Confirm, return or reopen a session's log: officers who manage the cell."""
    return can_manage_session(user, session)


def can_read_news(user, session: LabourSession) -> bool:
    """A session's news page: people of its cell's committee or the cell itself (officers,
    viewers, the cell's secretary). A host reads the session, not the committee's news, which
    may combine other sessions of that committee."""
    return can_view_cell(user, session.cell)


def can_write_news(user, session: LabourSession) -> bool:
    """Edit and save a session's news item: the cell's secretary and the officers who manage
    the cell (those who may write its log)."""
    return can_log_session(user, session)


def can_publish_news(user, session: LabourSession) -> bool:
    """Turn the public share card on ("Công khai") or off ("Thu hồi"): officers only, as a
    public page speaks for the committee."""
    return can_manage_session(user, session)


def can_see_reviews(user) -> bool:
    """The list of logs waiting for confirmation: officers (who act on it) and viewers (who
    follow it read-only); a cell secretary has their own cell on the overview instead."""
    return scope_for(user).follows_committees


def can_see_dashboard(user) -> bool:
    """The month at a glance of the committees followed: officers, viewers, superusers."""
    return scope_for(user).follows_committees


def can_see_compliance(user) -> bool:
    """The compliance grid is a committee's: officers, viewers, superusers."""
    return scope_for(user).follows_committees


def is_cell_secretary(user) -> bool:
    return bool(scope_for(user).secretary_cells)


def is_host(user) -> bool:
    """Reads the sessions held in the villages of some commune, as its committee."""
    return bool(scope_for(user).host_communes)


def has_any_role(user) -> bool:
    """Any role at all (or a superuser): the calendar and the session list are theirs."""
    return not scope_for(user).is_empty


def can_see_sessions(user) -> bool:
    """The calendar, the session list and the calendar feed: anyone who may read a session."""
    return has_any_role(user)


def can_see_reports(user) -> bool:
    """Reports are about cells in scope: a host alone has none (reports of another committee
    are that committee's)."""
    scope = scope_for(user)
    return scope.follows_committees or bool(scope.secretary_cells)


def can_read_issued_reports(user, committee: PartyCommittee) -> bool:
    """A committee's register of issued reports: its officers and viewers (and those of the
    committees above it). Issuing is ``can_plan``."""
    scope = scope_for(user)
    return scope.all or committee.pk in scope.committees


def can_open_admin(user) -> bool:
    """The admin site lets in active staff users (Django's own rule, named here)."""
    return bool(user.is_active and user.is_staff)


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
        # A list, not get(): get() adds LIMIT 21, and under a LIMIT PostgreSQL's planner
        # weighs fast-start plans for every order of the joins. The session page's query
        # joins fourteen tables (selectors.session_detail_queryset): about 10 ms to plan with
        # the LIMIT, 2.6 ms without. A primary key matches one row at most.
        found = list(queryset.filter(scope_for(user).session_filter(), pk=pk))
    except (ValueError, TypeError):
        raise Http404 from None
    if not found:
        raise Http404
    session = found[0]
    if write and not can_manage_session(user, session):
        raise PermissionDenied
    return session


def get_session_for_log_or_404(user, pk, *, queryset=None) -> LabourSession:
    """The session ``pk`` if the user may see it (else 404), and 403 unless they may log it."""
    session = get_session_or_404(user, pk, queryset=queryset)
    if not can_log_session(user, session):
        raise PermissionDenied
    return session


def get_session_for_news_or_404(user, pk, *, write: bool = False, queryset=None):
    """The session ``pk`` for its news page: 404 unless the user may read its news, and with
    ``write`` 403 unless they may also edit it."""
    session = get_session_or_404(user, pk, queryset=queryset)
    if not can_read_news(user, session):
        raise Http404
    if write and not can_write_news(user, session):
        raise PermissionDenied
    return session


def get_opinion_or_404(user, pk, *, write: bool = False) -> VillagerOpinion:
    """An opinion of a session the user may read (404 otherwise); with ``write``, 403 unless
    the user may follow it up."""
    try:
        opinion = (
            VillagerOpinion.objects.select_related(
                "session__cell__committee", "session__village", "village"
            )
            .filter(scope_for(user).session_filter("session__"))
            .get(pk=pk)
        )
    except (VillagerOpinion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not can_follow_up_opinions(user, opinion.session):
        raise PermissionDenied
    return opinion


def opinions_of_cells_visible_to(user) -> QuerySet:
    """Opinions heard at the sessions of the cells in the user's scope (not those read as a
    host commune): the list of opinions, like the reports, is about the cells' work."""
    if not can_see_opinions(user):
        return VillagerOpinion.objects.none()
    return VillagerOpinion.objects.filter(scope_for(user).cell_filter("session__cell__"))


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


def get_issued_report_or_404(user, committee_pk, pk):
    """An issued report of a committee in the user's scope (404 otherwise)."""
    committee = get_committee_or_404(user, committee_pk)
    try:
        return IssuedReport.objects.select_related("committee", "issued_by").get(
            committee=committee, pk=pk
        )
    except (IssuedReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_commune_or_404(user, pk) -> Commune:
    try:
        return (
            communes_visible_to(user).select_related("district", "province", "successor").get(pk=pk)
        )
    except (Commune.DoesNotExist, ValueError, TypeError):
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


# --- The admin site -----------------------------------------------------------------------
#
# The admin site asks the same questions as the pages, one model at a time, and gets its
# answers as filters to apply to any queryset of that model. Django's model permissions stay
# the first gate (``programs.admin.base`` checks them before asking here); these rules are the
# second:
#
# - Superusers see and change everything.
# - Scoped data (villages, households, committees, cells, members, assignments, sessions and
#   their attendance, outputs and photos): a user sees what the pages show them (their
#   committees' subtree, or their cell); an officer changes what they manage. An officer also
#   sees and changes the villages no cell uses yet (a village they just added would otherwise
#   vanish from their own list before they could assign it). Committees: an officer changes the
#   ones *below* their own, not their own (that one decides their scope).
# - Reference data (communes, directives, work types) is shared by every committee: anyone with
#   a scope sees it and may pick it in a form (the village form's commune picker needs the
#   commune admin to answer); only superusers change it.
# - Provinces, districts, roles, user accounts, groups and login records: superusers only.
#
# Nothing: compiles to an empty result without a query.
_NOTHING = Q(pk__in=[])

ADMIN_REFERENCE_MODELS = frozenset({Commune, Directive, WorkType})
# Scoped models and the path from each to its party cell ("" for the cell itself).
_ADMIN_CELL_PATHS = {
    PartyCell: "",
    Member: "cell__",
    Assignment: "cell__",
    LabourSession: "cell__",
    Attendance: "session__cell__",
    WorkOutput: "session__cell__",
    Photo: "session__cell__",
    VillagerOpinion: "session__cell__",
}
_ADMIN_VILLAGE_PATHS = {Village: "", Household: "village__", VillageName: "village__"}
ADMIN_SCOPED_MODELS = frozenset({PartyCommittee, *_ADMIN_CELL_PATHS, *_ADMIN_VILLAGE_PATHS})


def _unclaimed_villages() -> Q:
    """Villages no cell is assigned to, holds sessions in, or lives in."""
    return Q(
        ~Exists(Assignment.objects.filter(village=OuterRef("pk"))),
        ~Exists(LabourSession.objects.filter(village=OuterRef("pk"))),
        ~Exists(PartyCell.objects.filter(home_village=OuterRef("pk"))),
    )


def _villages_of_cells(cells: Q, *, unclaimed: bool) -> Q:
    ids = PartyCell.objects.filter(cells).values("id")
    found = (
        Q(pk__in=Assignment.objects.filter(cell__in=ids).values("village_id"))
        | Q(pk__in=LabourSession.objects.filter(cell__in=ids).values("village_id"))
        | Q(
            pk__in=PartyCell.objects.filter(pk__in=ids, home_village__isnull=False).values(
                "home_village_id"
            )
        )
    )
    return found | _unclaimed_villages() if unclaimed else found


def _admin_villages(user, *, write: bool) -> Q:
    scope = scope_for(user)
    if scope.all:
        return Q()
    if write:
        if not scope.managed_committees:
            return _NOTHING
        return _villages_of_cells(scope.managed_cell_filter(), unclaimed=True)
    if scope.is_empty:
        return _NOTHING
    return _villages_of_cells(scope.cell_filter(), unclaimed=scope.manages_anything)


def committees_below_officer_roles(user) -> frozenset[int]:
    """The committees strictly below those the user is an officer of (their own excluded)."""
    cached = getattr(user, "_civic_committees_below", None)
    if cached is not None:
        return cached
    roots = set(
        Role.objects.filter(user=user, kind=Role.Kind.OFFICER).values_list(
            "committee_id", flat=True
        )
    )
    below = frozenset()
    if roots:
        children = _committee_children()
        below = _descendants({c for root in roots for c in children.get(root, ())}, children)
    user._civic_committees_below = below
    return below


def admin_visible_filter(user, model: type[Model]) -> Q:
    """A filter for the rows of ``model`` the user may see in the admin site (change lists,
    read-only change pages, list filters)."""
    scope = scope_for(user)
    if scope.all:
        return Q()
    if scope.is_empty:
        return _NOTHING
    if model in ADMIN_REFERENCE_MODELS:
        return Q()
    if model is PartyCommittee:
        return Q(pk__in=scope.committees)
    if model in _ADMIN_CELL_PATHS:
        return scope.cell_filter(_ADMIN_CELL_PATHS[model])
    if model in _ADMIN_VILLAGE_PATHS:
        return _village_rows(model, _admin_villages(user, write=False))
    return _NOTHING


def admin_changeable_filter(user, model: type[Model]) -> Q:
    """A filter for the rows of ``model`` the user may change or delete in the admin site."""
    scope = scope_for(user)
    if scope.all:
        return Q()
    if not scope.managed_committees or model not in ADMIN_SCOPED_MODELS:
        return _NOTHING
    if model is PartyCommittee:
        return Q(pk__in=committees_below_officer_roles(user))
    if model in _ADMIN_CELL_PATHS:
        return scope.managed_cell_filter(_ADMIN_CELL_PATHS[model])
    return _village_rows(model, _admin_villages(user, write=True))


def admin_choice_filter(user, model: type[Model]) -> Q:
    """A filter for the rows of ``model`` the user may pick as a value in an admin form (its
    drop-downs and autocomplete): reference data, and the scoped rows they manage — a new cell
    goes under their own committee too, so committees here include it."""
    scope = scope_for(user)
    if scope.all:
        return Q()
    if model in ADMIN_REFERENCE_MODELS:
        return Q() if not scope.is_empty else _NOTHING
    if model is PartyCommittee:
        return Q(pk__in=scope.managed_committees)
    return admin_changeable_filter(user, model)


def _village_rows(model, villages: Q) -> Q:
    if model is Village:
        return villages
    return Q(village__in=Village.objects.filter(villages).values("pk"))


def can_admin_view_model(user, model: type[Model]) -> bool:
    """Whether the model's pages exist for the user at all (the index lists it)."""
    scope = scope_for(user)
    if scope.all:
        return True
    return not scope.is_empty and (model in ADMIN_SCOPED_MODELS or model in ADMIN_REFERENCE_MODELS)


def can_admin_add(user, model: type[Model]) -> bool:
    """Officers add scoped rows (inside what they manage, which the form's choices enforce);
    reference data and everything else is added by superusers."""
    scope = scope_for(user)
    if scope.all:
        return True
    return bool(scope.managed_committees) and model in ADMIN_SCOPED_MODELS


def can_admin_change(user, obj: Model | None, model: type[Model] | None = None) -> bool:
    """Change (or delete) ``obj`` in the admin site; without an object, whether the user may
    change any row of ``model`` (the change list's editable columns and actions)."""
    model = model or type(obj)
    if obj is None:
        return can_admin_add(user, model)
    if scope_for(user).all:
        return True
    if model not in ADMIN_SCOPED_MODELS:
        return False
    return model._default_manager.filter(admin_changeable_filter(user, model), pk=obj.pk).exists()


# The foreign key that places a new row in someone's scope; empty, the row would belong to
# nobody but superusers and vanish from the list of the officer who just added it.
_ADMIN_SCOPE_FIELDS = {(Member, "cell"), (PartyCommittee, "parent")}


def can_rename_village(user, village: Village) -> bool:
    """Rename a village or move it to another commune: superusers, or officers when no cell
    outside the committees they manage uses it. A shared village's name and commune print in
    the other committees' reports and decide which host commune reads their sessions there."""
    scope = scope_for(user)
    if scope.all:
        return True
    if not scope.managed_committees:
        return False
    others = PartyCell.objects.exclude(committee_id__in=scope.managed_committees)
    return not (
        Assignment.objects.filter(village=village, cell__in=others).exists()
        or LabourSession.objects.filter(village=village, cell__in=others).exists()
        or others.filter(home_village=village).exists()
    )


def can_set_committee_commune(user) -> bool:
    """A committee's commune decides what its host users read (the sessions other committees
    hold in that commune's villages): like roles, it is set by superusers only."""
    return scope_for(user).all


def admin_requires(user, model: type[Model], field_name: str) -> bool:
    """Whether the admin form must insist on ``field_name`` for this user."""
    return not scope_for(user).all and (model, field_name) in _ADMIN_SCOPE_FIELDS


def admin_rows_out_of_sight(user, rows: dict[type[Model], set]) -> bool:
    """Whether any of ``rows`` (primary keys by model, e.g. what deleting an object would
    delete or is protected by) is outside what the user may see in the admin site. Rows of
    other models (history, form tokens…) belong to one of the scoped rows and go with it; roles
    are refused by Django itself, since only superusers have the delete permission for them."""
    if scope_for(user).all:
        return False
    for model, pks in rows.items():
        if model not in ADMIN_SCOPED_MODELS and model not in ADMIN_REFERENCE_MODELS:
            continue
        visible = model._default_manager.filter(admin_visible_filter(user, model), pk__in=pks)
        if visible.count() < len(pks):
            return True
    return False


# --- Spreadsheet import and export (programs.imports) ---------------------------------------
#
# The /imports/ page and the import_sheet command write with the admin site's rules: officers
# write the rows of their committees' subtree (the villages and households their cells use or
# no cell uses yet, the committees below their own), superusers everything. A row the user may
# only read comes back unchanged from an export and is left alone; changing it is refused.


def can_use_imports(user) -> bool:
    """The import page and its exports: officers and superusers."""
    return scope_for(user).manages_anything


@dataclass
class ImportScope:
    """What an import may write for one user, read once per import."""

    user: object
    all: bool
    managed_committees: frozenset[int]
    _villages: frozenset[int] | None = None
    _committees_below: frozenset[int] | None = None

    def may_write_cell_of(self, committee_id: int | None) -> bool:
        """A cell (or its members and assignments) under ``committee_id``."""
        return self.all or committee_id in self.managed_committees

    def may_place_committee_under(self, parent_id: int | None) -> bool:
        return self.all or parent_id in self.managed_committees

    def may_change_committee(self, committee_id: int) -> bool:
        if self.all:
            return True
        if self._committees_below is None:
            self._committees_below = committees_below_officer_roles(self.user)
        return committee_id in self._committees_below

    def may_write_village(self, village_id: int | None) -> bool:
        """A village (or its households): new villages, and those the user's cells use or no
        cell uses yet."""
        if self.all or village_id is None:
            return self.all or bool(self.managed_committees)
        if self._villages is None:
            changeable = admin_changeable_filter(self.user, Village)
            self._villages = frozenset(
                Village.objects.filter(changeable).values_list("pk", flat=True)
            )
        return village_id in self._villages

    def may_rename_village(self, village: Village) -> bool:
        return self.all or can_rename_village(self.user, village)


def import_scope_for(user) -> ImportScope:
    scope = scope_for(user)
    return ImportScope(user=user, all=scope.all, managed_committees=scope.managed_committees)


def export_filter(user, model: type[Model]) -> Q:
    """The rows of ``model`` an export holds for the user: what the admin site shows them."""
    return admin_visible_filter(user, model)


def villages_of_committees(committee_ids) -> Q:
    """A filter for the villages the cells of these committees use (assigned, sessions held
    there, home village): an export of one committee's villages and households."""
    return _villages_of_cells(Q(committee_id__in=committee_ids), unclaimed=False)
