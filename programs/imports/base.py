"""What every sheet shares: its columns, how a row's cells are read into model values, how a
row finds the record it updates (its code, or the sheet's natural key), and how the changes are
checked and written in bulk."""

import functools
from dataclasses import dataclass
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from programs.text import fold

from . import values as cell_values
from .refs import parse_code
from .values import CellError

MISSING = object()
EXAMPLE_MARK = "vi du"  # the code cell of a template's example row: "Ví dụ", skipped


@dataclass(frozen=True)
class Column:
    """One column of a sheet. ``key`` is the model field it fills, or a reference the sheet
    resolves itself (kind "ref"). Headers are Vietnamese whatever the interface language: the
    files are the office's own."""

    key: str
    header: str
    kind: str = "text"  # text, choice, bool, date, ref, code, info (exported, not imported)
    required: bool = False
    example: str = ""
    width: int = 22
    choices: object = None  # the model's TextChoices for a closed list


@functools.cache
def choice_labels(choices) -> dict[str, str]:
    """Stored value → the Vietnamese label a file shows (the closed lists of the template)."""
    with translation.override("vi"):
        return {value: str(label) for value, label in choices.choices}


YES_NO = {True: "Có", False: "Không"}


class RowCells:
    """One data row of the file, read through the sheet's columns; collects its rejections."""

    def __init__(self, row, positions: dict[str, int], sheet):
        self.number = row.number
        self.cells = row.cells
        self.positions = positions
        self.sheet = sheet
        self.errors: list[tuple[str, str]] = []
        self.code: int | None = None

    def has(self, key: str) -> bool:
        return key in self.positions

    def raw(self, key: str):
        position = self.positions.get(key)
        if position is None:
            return MISSING
        return self.cells[position] if position < len(self.cells) else None

    def reject(self, key: str, reason) -> None:
        self.errors.append((key, str(reason)))


def _parse(column: Column, raw):
    if column.kind == "choice":
        return cell_values.choice(raw, choice_labels(column.choices))
    if column.kind == "bool":
        return cell_values.yes_no(raw)
    if column.kind == "date":
        return cell_values.day(raw)
    return cell_values.text(raw)


class Sheet:
    """A sheet: its model, columns and rules. Subclasses resolve their references
    (``resolve``), may refuse writes outside the user's scope (``may_create``,
    ``may_change``) and add checks of their own (``check``)."""

    kind: ClassVar[str]
    model: ClassVar[type]
    prefix: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    key_fields: ClassVar[tuple[str, ...]]
    name_field: ClassVar[str | None] = "name"
    related: ClassVar[tuple[str, ...]] = ()
    lookup_prefetch: ClassVar[tuple[str, ...]] = ()
    chunk_size: ClassVar[int] = 1000
    # Write every row once the whole file is judged (``finish``), not chunk by chunk.
    write_at_end: ClassVar[bool] = False
    # Templates list the sheet classes: they must not call (instantiate) them.
    do_not_call_in_templates = True

    def __init__(self, context):
        self.context = context
        self.scope = context.scope
        self.columns_by_key = {column.key: column for column in self.columns}

    # --- reading a row -------------------------------------------------------------------

    def read(self, row: RowCells) -> dict | None:
        """The row's values by model field; None for the template's example row."""
        values = {}
        for column in self.columns:
            raw = row.raw(column.key)
            if raw is MISSING or column.kind == "info":
                continue
            if column.kind == "code":
                written = cell_values.text(raw)
                if fold(written) == EXAMPLE_MARK:
                    return None
                if written:
                    try:
                        row.code = parse_code(written, self.prefix)
                    except CellError as error:
                        row.reject(column.key, error)
                continue
            try:
                value = _parse(column, raw)
            except CellError as error:
                row.reject(column.key, error)
                continue
            if value in (None, ""):
                if column.required:
                    row.reject(column.key, _("This cell must not be empty."))
                    continue
                if value is None:
                    continue
            values[column.key] = value
        self.resolve(row, values)
        return values

    def resolve(self, row: RowCells, values: dict) -> None:
        """Turn the reference columns of ``values`` into records (in place)."""

    def reference(self, row, values, key, index, **options):
        """Resolve ``values[key]`` through ``index``; a failure rejects the cell."""
        written = values.pop(key, None)
        if written is None:
            return None
        try:
            return index.resolve(written, **options)
        except CellError as error:
            row.reject(key, error)
            return None

    # --- matching ------------------------------------------------------------------------

    def key_of(self, obj=None, values=None) -> tuple:
        """The natural key: the key fields' values (records by primary key), ``values``
        taking precedence over ``obj``'s own."""
        values = values or {}
        parts = []
        for name in self.key_fields:
            if name in values:
                value = values[name]
            elif obj is not None:
                value = getattr(obj, name)
            else:
                value = self.model._meta.get_field(name).get_default()
            parts.append(getattr(value, "pk", value) if value != "" else "")
        return tuple(parts)

    @staticmethod
    def folded(key: tuple) -> tuple:
        return tuple(fold(part) if isinstance(part, str) else part for part in key)

    def lookup(self, codes: set[int], keys: set[tuple]) -> tuple[dict, dict]:
        """The stored records the chunk names: by primary key, and by folded natural key."""
        queryset = self.model._default_manager.select_related(*self.related)
        queryset = queryset.prefetch_related(*self.lookup_prefetch)
        by_pk = {obj.pk: obj for obj in queryset.filter(pk__in=codes)} if codes else {}
        by_key: dict[tuple, list] = {}
        if keys:
            for obj in queryset.filter(self.key_filter(keys)):
                by_key.setdefault(self.folded(self.key_of(obj)), []).append(obj)
        return by_pk, by_key

    def key_filter(self, keys: set[tuple]) -> Q:
        first = self.key_fields[0]
        ids = {key[0] for key in keys}
        condition = Q(**{f"{first}_id__in": [pk for pk in ids if pk is not None]})
        if None in ids:
            condition |= Q(**{f"{first}__isnull": True})
        if self.name_field:
            position = self.key_fields.index(self.name_field)
            condition &= Q(search_name__in={fold(key[position]) for key in keys})
        return condition

    # --- rules -----------------------------------------------------------------------------

    def may_create(self, values: dict) -> bool:
        return True

    def may_change(self, obj, values: dict) -> bool:
        return True

    def scope_column(self) -> str:
        """The column a refusal for scope is reported on."""
        return self.key_fields[0]

    @property
    def key_column(self) -> str:
        """The column a duplicate or ambiguous natural key is reported on."""
        return self.name_field or self.key_fields[-1]

    def check(self, row: RowCells, obj, values: dict) -> None:
        """Checks beyond the model's own (``Assignment`` overlaps)."""

    def side_changes(self, row: RowCells, obj) -> list:
        """Records the row adds beside ``obj``'s own fields (a village's former names), staged
        for ``write`` and listed in the history; a row adding any is changed, not unchanged."""
        return []

    def order(self, rows, positions: dict[str, int]):
        """The file's rows in the order they are handled: as they come by default."""
        return rows

    def finish(self) -> list[tuple[RowCells, bool]]:
        """Rules judged once every row is staged: the rows they refuse, each with whether it
        was new (True) or changed; ``row.errors`` says why."""
        return []

    def validate(self, row: RowCells, obj) -> None:
        """The model's rules (``full_clean`` without the queries for uniqueness, which the
        natural key has checked); errors reported on their columns."""
        # Linked records were found in the database by the sheet: no query to check them again.
        linked = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        try:
            obj.full_clean(exclude=linked, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                key = field_name if field_name in self.columns_by_key else ""
                for message in messages:
                    row.reject(key, message)

    # --- writing ---------------------------------------------------------------------------

    def write(self, created: list, changed: list[tuple]) -> None:
        """Save the chunk's new records and its changed ones (``(obj, fields)``) in bulk."""
        now = timezone.now()
        for obj in created:
            self._fold(obj)
        if created:
            self.model._default_manager.bulk_create(created)
        by_fields: dict[tuple, list] = {}
        for obj, fields in changed:
            obj.updated_at = now
            self._fold(obj)
            by_fields.setdefault(tuple(sorted(fields)), []).append(obj)
        for fields, objs in by_fields.items():
            extra = ["updated_at"] + (["search_name"] if hasattr(objs[0], "search_name") else [])
            self.model._default_manager.bulk_update(objs, [*fields, *extra])

    @staticmethod
    def _fold(obj) -> None:
        if hasattr(obj, "folded_source"):
            obj.search_name = fold(obj.folded_source())[:255]

    # --- export ----------------------------------------------------------------------------

    export_related: ClassVar[tuple[str, ...]] = ()
    export_prefetch: ClassVar[tuple[str, ...]] = ()
    committee_path: ClassVar[str] = ""  # from a row to its committee, for --committee

    def committee_filter(self, committees) -> Q:
        return Q(**{f"{self.committee_path}__in": committees})

    def export_queryset(self, user, committees=None):
        """The rows the user may see (``export_filter``), of ``committees`` when given."""
        from programs.permissions import export_filter

        queryset = self.model._default_manager.filter(export_filter(user, self.model))
        if committees is not None:
            queryset = queryset.filter(self.committee_filter(committees))
        related = self.export_related or self.related
        queryset = queryset.select_related(*related).prefetch_related(*self.export_prefetch)
        return queryset.order_by("pk")

    def export_row(self, obj, names) -> list:
        raise NotImplementedError
