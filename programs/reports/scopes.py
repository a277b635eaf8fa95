"""Who a report is about: a committee with the cells below it, one cell, one commune or one
village — always within what the user may see."""

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _

from programs import permissions
from programs.models import Directive, VillageName

from .figures import ReportScope
from .places import in_commune_on_session_date


class ScopeError(ValueError):
    """A scope parameter that cannot be read; the message is for the user."""


def _pk(params, name):
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    # isascii(): str.isdigit() also accepts superscripts such as "²", which int() refuses.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise ScopeError(_("“%(value)s” is not a valid %(name)s.") % {"value": raw, "name": name})
    return int(raw)


def resolve_scope(user, params) -> ReportScope:
    """The report scope named by ``committee``, ``cell``, ``commune`` or ``village``.

    Without any, the user's first committee (or, for a secretary, their cell). A scope outside
    the user's reach is a 404, as for any other object.
    """
    if (pk := _pk(params, "cell")) is not None:
        return _cell_scope(permissions.get_cell_or_404(user, pk))
    if (pk := _pk(params, "village")) is not None:
        return _village_scope(user, permissions.get_village_or_404(user, pk))
    if (pk := _pk(params, "commune")) is not None:
        return _commune_scope(user, pk)
    if (pk := _pk(params, "committee")) is not None:
        return _committee_scope(permissions.get_committee_or_404(user, pk))
    committee = _default_committee(user)
    if committee is not None:
        return _committee_scope(committee)
    # A secretary's cell; a host alone has none here (reports are about cells in scope).
    cell = permissions.cells_visible_to(user).select_related("committee", "home_village").first()
    if cell is None:
        raise Http404
    return _cell_scope(cell)


def _cell_scope(cell) -> ReportScope:
    return ReportScope(
        kind="cell",
        obj=cell,
        session_filter=Q(cell=cell),
        rollup_filter=Q(cell=cell),
        label=str(cell),
        committee=cell.committee,
        listed_cells=Q(pk=cell.pk),
    )


def _village_scope(user, village) -> ReportScope:
    # The former names with their communes, for ``name_for_period`` (one query).
    prefetch_related_objects(
        [village],
        Prefetch(
            "names",
            queryset=VillageName.objects.select_related(
                "commune__district__province", "commune__province"
            ),
        ),
    )
    return ReportScope(
        kind="village",
        obj=village,
        session_filter=Q(village=village, cell__in=_visible_cells(user)),
        rollup_filter=Q(village=village, cell__in=_visible_cells(user)),
        label=str(village),
    )


def name_for_period(scope: ReportScope, period) -> None:
    """Name a village scope as the village was at the period's end: "thôn Phiêng Luông, xã Bình
    An, huyện Lâm Bình, tỉnh Tuyên Quang" for 2022, whatever it is called today."""
    if scope.kind == "village":
        scope.label = scope.obj.label_on(period.end)


def _commune_scope(user, pk: int) -> ReportScope:
    # Any commune the user's villages were ever in, those that ended in the 2025 reform too.
    commune = permissions.get_commune_or_404(user, pk)
    return ReportScope(
        kind="commune",
        obj=commune,
        # Sessions in villages that belonged to the commune on the session's date.
        session_filter=in_commune_on_session_date(commune) & Q(cell__in=_visible_cells(user)),
        # A roll-up row knows the former name its village bore then (``place``).
        rollup_filter=(Q(place__commune=commune) | Q(place__isnull=True, village__commune=commune))
        & Q(cell__in=_visible_cells(user)),
        label=commune.full_name,
    )


def _committee_scope(committee) -> ReportScope:
    committee_ids, branches = permissions.committee_branches(committee.pk)
    return ReportScope(
        kind="committee",
        obj=committee,
        session_filter=Q(cell__committee_id__in=committee_ids),
        rollup_filter=Q(cell__committee_id__in=committee_ids),
        label=str(committee),
        committee=committee,
        listed_cells=Q(committee_id__in=committee_ids, active=True),
        subordinates=branches,
    )


def _visible_cells(user):
    return permissions.cells_visible_to(user).values("id")


def _default_committee(user):
    """The topmost committee the user follows (None for a secretary)."""
    committees = list(permissions.committees_visible_to(user).values_list("id", "parent_id"))
    ids = {pk for pk, _parent in committees}
    tops = sorted(pk for pk, parent in committees if parent not in ids)
    if not tops:
        return None
    return permissions.committees_visible_to(user).get(pk=tops[0])


def resolve_directive(params):
    pk = _pk(params, "directive")
    if pk is None:
        return None
    directive = Directive.objects.filter(pk=pk).first()
    if directive is None:
        raise ScopeError(_("There is no directive with that number."))
    return directive
