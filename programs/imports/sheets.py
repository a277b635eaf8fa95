"""The six sheets: villages, households, party committees, party cells, members and
assignments — their columns (Vietnamese headers), natural keys, references and scope rules.

Codes: the first column holds each record's code, the sheet's prefix and its primary key
("TV-1234"); a row with a code updates that record in place. A row without one is matched by
the sheet's natural key:

| sheet | prefix | natural key |
|---|---|---|
| villages | TH | commune + name |
| households | HO | village + head of household |
| committees | DU | superior committee + name |
| cells | CB | committee + name |
| members | TV | cell + full name + distinguishing note |
| assignments | PC | cell + directive + start date |
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs import permissions
from programs.models import (
    Assignment,
    Household,
    Member,
    PartyCell,
    PartyCommittee,
    Village,
    VillageName,
)
from programs.services.places import village_change_date_error, village_update
from programs.text import vn_date

from . import refs
from .base import YES_NO, Column, Sheet, choice_labels
from .former_names import format_former_names, new_former_names, parse_former_names
from .order import superiors_first
from .values import CellError

CODE = Column("code", "Mã", kind="code", width=12)


class _References:
    """Reference helpers shared by the sheets that name villages and cells."""

    def communes(self):
        return self.context.index("communes", refs.commune_index)

    def villages(self):
        return self.context.index("villages", refs.village_index)

    def committees(self):
        return self.context.index("committees", refs.committee_index)

    def cells(self):
        return self.context.index("cells", refs.cell_index)

    def resolve_village(self, row, values, key, commune_key) -> None:
        commune = self.reference(row, values, commune_key, self.communes())
        if commune_key in row.positions and row.errors:
            values.pop(key, None)
            return
        within = (lambda v: v.commune_id == commune.pk) if commune else None
        hint = _("Fill in the commune column to choose one.")
        village = self.reference(row, values, key, self.villages(), within=within, hint=hint)
        if village is not None:
            values[key] = village

    def resolve_cell(self, row, values, key="cell", committee_key="cell_committee") -> None:
        committee = self.reference(row, values, committee_key, self.committees())
        if committee_key in row.positions and row.errors:
            values.pop(key, None)
            return
        within = (lambda c: c.committee_id == committee.pk) if committee else None
        hint = _("Fill in the party committee column to choose one.")
        cell = self.reference(row, values, key, self.cells(), within=within, hint=hint)
        if cell is not None:
            values[key] = cell


class _CellRows:
    """Rows that belong to a cell (members, assignments): written where the cell's committee
    is managed, before and after the change."""

    committee_path = "cell__committee"

    def scope_column(self):
        return "cell"

    def may_create(self, values):
        return self.scope.may_write_cell_of(values["cell"].committee_id)

    def may_change(self, obj, values):
        old = obj.cell.committee_id if obj.cell_id else None
        new = values.get("cell", obj.cell)
        return self.scope.may_write_cell_of(old) and self.scope.may_write_cell_of(new.committee_id)


class VillageSheet(_References, Sheet):
    kind = "villages"
    title = gettext_lazy("Villages")
    model = Village
    prefix = "TH"
    columns = (
        CODE,
        Column("name", "Tên thôn", required=True, example="Phiêng Luông"),
        Column("kind", "Loại", kind="choice", choices=Village.Kind, example="thôn"),
        Column("commune", "Xã", kind="ref", required=True, example="xã Bình An", width=36),
        Column("former_names", "Tên cũ", width=40),
    )
    key_fields = ("commune", "name")
    related = ("commune__district", "commune__province")
    lookup_prefetch = ("names",)
    chunk_size = 200

    def __init__(self, context):
        super().__init__(context)
        self.former: dict[int, list] = {}  # row number → the former names it gives
        self.new_names: list = []  # VillageName records staged for ``write``

    def resolve(self, row, values):
        commune = self.reference(row, values, "commune", self.communes())
        if commune is not None:
            values["commune"] = commune
        written = values.pop("former_names", "")
        if written:
            try:
                self.former[row.number] = parse_former_names(written, self.communes())
            except CellError as error:
                row.reject("former_names", error)

    def side_changes(self, row, obj):
        """The former names the row gives that the village has not recorded (never removes
        one)."""
        written = self.former.pop(row.number, None)
        if not written:
            return []
        existing = list(obj.names.all()) if obj.pk else []
        added, refusals = new_former_names(obj, written, existing)
        for reason in refusals:
            row.reject("former_names", reason)
        self.new_names.extend(added)
        return added

    def scope_column(self):
        return "name"

    def may_create(self, values):
        return self.scope.may_write_village(None)

    def may_change(self, obj, values):
        if not self.scope.may_write_village(obj.pk):
            return False
        moved = values.get("name", obj.name) != obj.name or (
            "commune" in values and values["commune"].pk != obj.commune_id
        )
        return not moved or self.scope.may_rename_village(obj)

    def check(self, row, obj, values):
        if not obj.pk or not ({"name", "commune"} & set(values)):
            return
        problem = village_change_date_error(obj, timezone.localdate())
        if problem is not None:
            row.reject("name", problem.messages[0])

    def write(self, created, changed):
        # The file's former names first; then a rename or a move keeps the current name as
        # the latest former one (places.village_update); the rest in bulk.
        moves = [(obj, fields) for obj, fields in changed if {"name", "commune"} & set(fields)]
        super().write(created, [item for item in changed if item not in moves])
        if self.new_names:
            VillageName.objects.bulk_create(self.new_names)
            self.new_names = []
        for obj, fields in moves:
            new = {name: getattr(obj, name) for name in fields}
            village_update(village=obj, user=self.context.user, **new)

    export_prefetch = ("names__commune",)

    def committee_filter(self, committees):
        return permissions.villages_of_committees(committees)

    def export_row(self, obj, names):
        former = format_former_names(obj.names.all(), names.commune)
        return [obj.name, names.label(Village.Kind, obj.kind), names.commune(obj.commune), former]


class HouseholdSheet(_References, Sheet):
    kind = "households"
    title = gettext_lazy("Households")
    model = Household
    prefix = "HO"
    columns = (
        CODE,
        Column("head_name", "Chủ hộ", required=True, example="Quan Văn Thính", width=28),
        Column("village", "Thôn", kind="ref", required=True, example="Phiêng Luông"),
        Column("village_commune", "Xã", kind="ref", example="xã Bình An", width=36),
        Column("status", "Hoàn cảnh", kind="choice", choices=Household.Status, example="hộ nghèo"),
        Column("note", "Ghi chú", width=30),
    )
    key_fields = ("village", "head_name")
    name_field = "head_name"
    related = ("village__commune",)

    def resolve(self, row, values):
        self.resolve_village(row, values, "village", "village_commune")

    def scope_column(self):
        return "village"

    def may_create(self, values):
        return self.scope.may_write_village(values["village"].pk)

    def may_change(self, obj, values):
        new = values.get("village", obj.village)
        return self.scope.may_write_village(obj.village_id) and self.scope.may_write_village(new.pk)

    export_related = ("village__commune__district", "village__commune__province")

    def committee_filter(self, committees):
        villages = Village.objects.filter(permissions.villages_of_committees(committees))
        return Q(village__in=villages)

    def export_row(self, obj, names):
        return [
            obj.head_name,
            obj.village.name,
            names.commune(obj.village.commune),
            names.label(Household.Status, obj.status),
            obj.note,
        ]


class CommitteeSheet(_References, Sheet):
    kind = "committees"
    title = gettext_lazy("Party committees")
    model = PartyCommittee
    prefix = "DU"
    columns = (
        CODE,
        Column("name", "Tên đảng ủy", required=True, example="Đảng ủy xã Bình An", width=36),
        Column("parent", "Cấp trên", kind="ref", example="Huyện ủy Lâm Bình", width=36),
        Column(
            "kind", "Loại", kind="choice", choices=PartyCommittee.Kind, example="Đảng ủy", width=30
        ),
        Column("abbreviation", "Viết tắt", example="ĐU", width=10),
    )
    key_fields = ("parent", "name")
    related = ("parent",)
    # Row by row, superiors first (``order``): a committee may sit under one the same file
    # creates, further up or further down.
    chunk_size = 1

    def __init__(self, context):
        super().__init__(context)
        self.cycles: dict[int, str] = {}  # row number → why its superior cannot be resolved

    def order(self, rows, positions):
        rows, self.cycles = superiors_first(list(rows), positions)
        return rows

    def resolve(self, row, values):
        if row.number in self.cycles:
            values.pop("parent", None)
            row.reject("parent", self.cycles[row.number])
            return
        if "parent" in values:
            errors = len(row.errors)
            parent = self.reference(row, values, "parent", self.committees())
            if len(row.errors) == errors:
                values["parent"] = parent  # empty: a top committee

    def scope_column(self):
        return "parent"

    def may_create(self, values):
        return self.scope.may_place_committee_under(_pk(values.get("parent")))

    def may_change(self, obj, values):
        parent = values.get("parent", obj.parent)
        return self.scope.may_change_committee(obj.pk) and (
            _pk(parent) == obj.parent_id or self.scope.may_place_committee_under(_pk(parent))
        )

    def write(self, created, changed):
        super().write(created, changed)
        for obj in created:
            self.committees().add(obj)

    export_related = ("parent",)
    committee_path = "pk"

    def export_row(self, obj, names):
        return [
            obj.name,
            names.committee(obj.parent) if obj.parent_id else "",
            names.label(PartyCommittee.Kind, obj.kind),
            obj.abbreviation,
        ]


class CellSheet(_References, Sheet):
    kind = "cells"
    title = gettext_lazy("Party cells")
    model = PartyCell
    prefix = "CB"
    columns = (
        CODE,
        Column("name", "Tên chi bộ", required=True, example="Chi bộ Văn phòng", width=32),
        Column("kind", "Loại", kind="choice", choices=PartyCell.Kind, example="chi bộ cơ quan"),
        Column("committee", "Đảng ủy", kind="ref", required=True, example="Đảng ủy xã Bình An"),
        Column("home_village", "Thôn (chi bộ thôn)", kind="ref"),
        Column("home_village_commune", "Xã của thôn", kind="ref", width=36),
        Column("active", "Hoạt động", kind="bool", example="Có", width=12),
    )
    key_fields = ("committee", "name")
    related = ("committee", "home_village")

    def resolve(self, row, values):
        committee = self.reference(row, values, "committee", self.committees())
        if committee is not None:
            values["committee"] = committee
        if row.has("home_village"):
            self.resolve_village(row, values, "home_village", "home_village_commune")
            values.setdefault("home_village", None)
        values.pop("home_village_commune", None)

    def scope_column(self):
        return "committee"

    def may_create(self, values):
        return self.scope.may_write_cell_of(values["committee"].pk)

    def may_change(self, obj, values):
        new = values.get("committee", obj.committee)
        return self.scope.may_write_cell_of(obj.committee_id) and self.scope.may_write_cell_of(
            new.pk
        )

    export_related = (
        "committee",
        "home_village__commune__district",
        "home_village__commune__province",
    )
    committee_path = "committee"

    def export_row(self, obj, names):
        village = obj.home_village
        return [
            obj.name,
            names.label(PartyCell.Kind, obj.kind),
            names.committee(obj.committee),
            village.name if village else "",
            names.commune(village.commune) if village else "",
            YES_NO[obj.active],
        ]


class MemberSheet(_CellRows, _References, Sheet):
    kind = "members"
    title = gettext_lazy("Members")
    model = Member
    prefix = "TV"
    columns = (
        CODE,
        Column("full_name", "Họ và tên", required=True, example="Hoàng Văn Lâm", width=28),
        Column("cell_committee", "Đảng ủy", kind="ref", example="Đảng ủy xã Bình An", width=32),
        Column("cell", "Chi bộ", kind="ref", required=True, example="Chi bộ Văn phòng", width=28),
        Column("distinguishing_note", "Phân biệt", example="", width=14),
        Column(
            "category",
            "Đối tượng",
            kind="choice",
            required=True,
            choices=Member.Category,
            example="công chức",
            width=24,
        ),
        Column(
            "level", "Cấp", kind="choice", required=True, choices=Member.Level, example="cấp xã"
        ),
        Column("is_party_member", "Đảng viên", kind="bool", example="Có", width=12),
        Column("active", "Đang hoạt động", kind="bool", example="Có", width=14),
        Column("phone", "Điện thoại", example="0912345678", width=16),
        Column("email", "Email", example="", width=28),
    )
    key_fields = ("cell", "full_name", "distinguishing_note")
    name_field = "full_name"
    related = ("cell",)
    # The export names each member's committee: read with the cell, not once per member.
    export_related = ("cell__committee",)
    chunk_size = 2000

    def resolve(self, row, values):
        self.resolve_cell(row, values)

    def export_row(self, obj, names):
        cell = obj.cell
        return [
            obj.full_name,
            names.committee(cell.committee) if cell else "",
            cell.name if cell else "",
            obj.distinguishing_note,
            names.label(Member.Category, obj.category),
            names.label(Member.Level, obj.level),
            YES_NO[obj.is_party_member],
            YES_NO[obj.active],
            obj.phone,
            obj.email,
        ]


class AssignmentSheet(_CellRows, _References, Sheet):
    kind = "assignments"
    title = gettext_lazy("Assignments")
    model = Assignment
    prefix = "PC"
    columns = (
        CODE,
        Column("cell_committee", "Đảng ủy", kind="ref", example="Đảng ủy xã Bình An", width=32),
        Column("cell", "Chi bộ", kind="ref", required=True, example="Chi bộ Văn phòng", width=28),
        Column("village", "Thôn", kind="ref", required=True, example="Phiêng Luông"),
        Column("village_commune", "Xã", kind="ref", example="xã Bình An", width=36),
        Column("directive", "Văn bản chỉ đạo", kind="ref", required=True, example="54-KH/HU"),
        Column("starts_on", "Từ ngày", kind="date", required=True, example="01/01/2026", width=12),
        Column("ends_on", "Đến ngày", kind="date", example="", width=12),
        Column("note", "Ghi chú", width=30),
    )
    key_fields = ("cell", "directive", "starts_on")
    name_field = None
    related = ("cell", "village", "directive")
    chunk_size = 500
    write_at_end = True

    def __init__(self, context):
        super().__init__(context)
        # (cell, directive) → the stored assignments when the file first names the pair, and
        # the rows of the file that stage one: overlaps are judged on the file's final state.
        self.stored: dict[tuple, list] = {}
        self.staged: dict[tuple, list] = {}

    def read(self, row):
        values = super().read(row)
        if values is not None and row.has("ends_on"):
            values.setdefault("ends_on", None)  # an empty end date: the assignment is open
        return values

    def resolve(self, row, values):
        self.resolve_cell(row, values)
        self.resolve_village(row, values, "village", "village_commune")
        directives = self.context.index("directives", refs.directive_index)
        directive = self.reference(row, values, "directive", directives)
        if directive is not None:
            values["directive"] = directive

    def key_filter(self, keys):
        return Q(cell_id__in={key[0] for key in keys})

    def check(self, row, obj, values):
        """Stage the row's period; ``finish`` judges the overlaps once every row is read, so
        a period the file closes further down does not block one it opens above."""
        obj.overlap_checked_elsewhere = True
        if not obj.starts_on or (obj.ends_on and obj.ends_on < obj.starts_on):
            return  # the model's own check names the reversed dates
        pair = (obj.cell_id, obj.directive_id)
        if pair not in self.stored:
            self.stored[pair] = list(obj.stored_siblings())
        self.staged.setdefault(pair, []).append((row, obj, obj.pk is None))

    def finish(self):
        """The staged rows whose final period overlaps another of the cell under the same
        directive: one further up the file, or a stored one the file leaves as it is."""
        refused = []
        for pair, staged in self.staged.items():
            kept = []
            in_file = {obj.pk for _row, obj, new in staged if not new}
            stored = [other for other in self.stored[pair] if other.pk not in in_file]
            for row, obj, new in staged:
                if row.errors:
                    continue
                reason = _overlap_reason(obj, kept, stored)
                if reason:
                    row.reject("starts_on", reason)
                    refused.append((row, new))
                else:
                    kept.append((row.number, obj))
        return refused

    def write(self, created, changed):
        # Closings first: a cell has one open assignment per directive at a time.
        closing = [(obj, fields) for obj, fields in changed if obj.ends_on is not None]
        super().write([], closing)
        super().write([], [(obj, fields) for obj, fields in changed if obj.ends_on is None])
        super().write(created, [])

    export_related = (
        "cell__committee",
        "village__commune__district",
        "village__commune__province",
        "directive",
    )

    def export_row(self, obj, names):
        return [
            names.committee(obj.cell.committee),
            obj.cell.name,
            obj.village.name,
            names.commune(obj.village.commune),
            names.directive(obj.directive),
            vn_date(obj.starts_on),
            vn_date(obj.ends_on),
            obj.note,
        ]


def _pk(obj):
    return obj.pk if obj is not None else None


def _overlap_reason(obj, kept, stored) -> str:
    """Why ``obj``'s period may not be kept beside the file's ``kept`` rows and the ``stored``
    assignments (same cell and directive), or ""."""
    for number, other in kept:
        if obj.overlaps(other):
            return _("This period overlaps row %(row)s of the file (same cell and directive).") % {
                "row": number
            }
    other = obj.first_overlap(stored)
    return obj.overlap_error(other).messages[0] if other is not None else ""


SHEETS = {
    sheet.kind: sheet
    for sheet in (
        VillageSheet,
        HouseholdSheet,
        CommitteeSheet,
        CellSheet,
        MemberSheet,
        AssignmentSheet,
    )
}
SHEET_PREFIXES = {sheet.model: sheet.prefix for sheet in SHEETS.values()}

__all__ = ["SHEETS", "SHEET_PREFIXES", "choice_labels"]
