"""The import service the /imports/ page and the ``import_sheet`` command share.

``run_import`` reads the file row by row, in chunks, and carries every chunk out inside one
transaction: a preview (``apply=False``) and an import with any rejected row are rolled back at
the end, so the preview's counts are exactly what the import will do, rows may name records
created further up the same file, and an import writes everything or nothing. Memory holds one
chunk of rows, the reference lists (communes, villages, committees, cells, directives) and the
codes and keys already seen in the file (to refuse duplicates). Two sheets bend this: the
committees sheet is read whole and handled superiors first (a committee may sit under one
further down the file), and the assignments sheet holds its writes until every row is judged,
so overlaps are checked against the file's final periods (a period closed further down does not
block one opened above it).

Side effects of an applied import: the new and changed records, saved in bulk without touching
unchanged ones (a second import of the same file writes nothing), and one admin history entry
(``LogEntry``) per record, in the format of ``programs.admin.history``: "added", or every
changed field as old → new.
"""

import json
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from programs import permissions
from programs.admin.history import stored_value

from .base import RowCells
from .readers import FileError, header_positions, read_rows
from .report import ImportReport
from .sheets import SHEETS


class _RollBack(Exception):
    """Ends the import's transaction without writing (a preview, or a rejected row)."""


@dataclass
class ImportContext:
    """Who imports, what they may write, and the reference lists read once per import."""

    user: object
    scope: permissions.ImportScope
    indexes: dict = field(default_factory=dict)

    def index(self, name, build):
        if name not in self.indexes:
            self.indexes[name] = build()
        return self.indexes[name]


def run_import(*, kind: str, stream, name: str, user, apply: bool, progress=None) -> ImportReport:
    """Preview (``apply=False``) or carry out the import of the file ``stream`` (named
    ``name``, for its type) as ``user``, whose scope decides what may be written. Returns the
    report; ``report.applied`` is True only when everything was written."""
    report = ImportReport(kind=kind)
    sheet = SHEETS[kind](ImportContext(user=user, scope=permissions.import_scope_for(user)))
    try:
        header, rows = read_rows(stream, name)
        positions, missing = header_positions(header, sheet.columns)
        if missing:
            raise FileError(
                _("The first row must hold the sheet's headers; missing: %(columns)s.")
                % {"columns": ", ".join(missing)}
            )
        with transaction.atomic():
            _Run(sheet, report, positions, user).run(rows, progress)
            if not apply or not report.ok:
                raise _RollBack
        report.applied = True
    except _RollBack:
        pass
    except FileError as error:
        report.file_error = str(error)
    except (DatabaseError, ValidationError) as error:
        # A safety net: the rows' checks come first, so only a change made meanwhile by
        # someone else (a name taken since the preview…) lands here.
        detail = "; ".join(error.messages) if isinstance(error, ValidationError) else error
        report.file_error = _("The database refused the import: %(error)s") % {"error": detail}
    return report


class _Run:
    """One pass over the rows of a file for one sheet."""

    def __init__(self, sheet, report, positions, user):
        self.sheet = sheet
        self.report = report
        self.positions = positions
        self.user = user
        self.seen_codes: dict[int, int] = {}
        self.seen_keys: dict[tuple, int] = {}
        self.content_type = ContentType.objects.get_for_model(sheet.model)
        self.headers = {column.key: column.header for column in sheet.columns}
        # The sheet's writes held until every row is judged (``Sheet.write_at_end``).
        self.held: tuple[list, list, list] = ([], [], [])

    def run(self, rows, progress) -> None:
        rows = iter(self.sheet.order(rows, self.positions))
        while chunk := list(islice(rows, self.sheet.chunk_size)):
            self.chunk(chunk)
            if progress:
                progress(len(chunk))
        for row, new in self.sheet.finish():
            # A rule judged on the whole file (assignment overlaps) refused a staged row.
            if new:
                self.report.new -= 1
            else:
                self.report.changed -= 1
            self.reject(row)
        # Rows may be handled out of the file's order (committees under later ones).
        self.report.rejections.sort(key=lambda rejection: rejection.row)
        created, changed, history = self.held
        if self.report.ok and (created or changed):
            self.sheet.write(created, changed)
            self.log(created, history)

    def chunk(self, chunk) -> None:
        read = []
        for raw in chunk:
            row = RowCells(raw, self.positions, self.sheet)
            values = self.sheet.read(row)
            if values is not None:
                read.append((row, values))
        codes = {row.code for row, _values in read if row.code}
        keys = {self.sheet.key_of(values=values) for row, values in read if not row.errors}
        by_pk, by_key = self.sheet.lookup(codes, keys)
        created, changed, history = [], [], []
        for row, values in read:
            if not row.errors:
                self.row(row, values, by_pk, by_key, created, changed, history)
            self.reject(row)
        if self.sheet.write_at_end:
            for held, new in zip(self.held, (created, changed, history), strict=True):
                held.extend(new)
            return
        self.sheet.write(created, changed)
        self.log(created, history)

    def row(self, row, values, by_pk, by_key, created, changed, history) -> None:
        """One row's path from its values to new / changed / unchanged, each step a rule the
        issue names (code, natural key, duplicates in the file, scope, the model's checks)."""
        obj = self.match(row, values, by_pk, by_key)
        if row.errors:
            return
        if obj is None:
            self.create(row, values, created)
        else:
            self.change(row, obj, values, changed, history)

    def create(self, row, values, created) -> None:
        sheet = self.sheet
        if not sheet.may_create(values):
            row.reject(sheet.scope_column(), _out_of_scope())
            return
        obj = sheet.model(**values)
        sheet.side_changes(row, obj)
        sheet.check(row, obj, values)
        sheet.validate(row, obj)
        if not row.errors:
            created.append(obj)
            self.report.new += 1

    def change(self, row, obj, values, changed, history) -> None:
        sheet = self.sheet
        changes = _differences(obj, values)
        added = sheet.side_changes(row, obj)
        if row.errors:
            return
        if not changes and not added:
            self.report.unchanged += 1
            return
        if not sheet.may_change(obj, values):
            row.reject(sheet.scope_column(), _out_of_scope())
            return
        for name, _old, new in changes:
            setattr(obj, name, new)
        sheet.check(row, obj, values)
        sheet.validate(row, obj)
        if not row.errors:
            changed.append((obj, [name for name, _old, _new in changes]))
            history.append((obj, changes, added))
            self.report.changed += 1

    def match(self, row, values, by_pk, by_key):
        """The stored record the row updates (by its code, else its natural key), or None for
        a new one; rejects unknown codes, ambiguous keys and duplicates inside the file."""
        sheet = self.sheet
        obj = None
        if row.code:
            obj = by_pk.get(row.code)
            if obj is None:
                row.reject("code", _("No record has this code (or it is outside your scope)."))
                return None
            if self._seen(self.seen_codes, row.code, row, "code"):
                return None
        key = sheet.key_of(obj, values)
        folded = sheet.folded(key)
        others = [o for o in by_key.get(folded, []) if obj is None or o.pk != obj.pk]
        exact = [o for o in others if sheet.key_of(o) == key]
        if self._seen(self.seen_keys, key, row, sheet.key_column):
            return None
        if obj is not None:
            if exact:
                row.reject(sheet.key_column, _already_there(exact))
            return obj
        if len(exact) > 1:
            row.reject(sheet.key_column, _ambiguous(exact))
        elif exact:
            return exact[0]
        elif others:
            row.reject(sheet.key_column, _diacritics(others))
        return None

    def _seen(self, seen: dict, key, row, column) -> bool:
        first = seen.setdefault(key, row.number)
        if first != row.number:
            row.reject(column, _("This row repeats row %(row)s of the file.") % {"row": first})
            return True
        return False

    def reject(self, row) -> None:
        for key, reason in row.errors:
            column = self.headers.get(key, "")
            position = self.positions.get(key) if column else None
            self.report.reject(row.number, column, position, reason)

    def log(self, created, history) -> None:
        """One admin history entry per new or changed record, as the admin site writes."""
        now = timezone.now()
        entries = [self._entry(obj, ADDITION, [{"added": {}}], now) for obj in created]
        for obj, changes, added in history:
            parts = [_changed_part(obj, changes)] if changes else []
            parts += [_added_part(record) for record in added]
            entries.append(self._entry(obj, CHANGE, parts, now))
        LogEntry.objects.bulk_create(entries)

    def _entry(self, obj, flag, message, now) -> LogEntry:
        return LogEntry(
            action_time=now,
            user_id=self.user.pk,
            content_type_id=self.content_type.pk,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            action_flag=flag,
            change_message=json.dumps(message),
        )


def _differences(obj, values: dict) -> list[tuple]:
    """(field, old, new) for each value that differs from the record's."""
    changes = []
    for name, new in values.items():
        old = getattr(obj, name)
        if getattr(old, "pk", old) != getattr(new, "pk", new):
            changes.append((name, old, new))
    return changes


def _changed_part(obj, changes) -> dict:
    opts = obj._meta
    with translation.override(None):
        labels = [str(opts.get_field(name).verbose_name) for name, _old, _new in changes]
    return {
        "changed": {
            "fields": labels,
            "model": opts.label_lower,
            "values": [
                {
                    "field": name,
                    "old": stored_value(opts.get_field(name), old),
                    "new": stored_value(opts.get_field(name), new),
                }
                for name, old, new in changes
            ],
        }
    }


def _added_part(record) -> dict:
    """A record added with another (a village's former name), as the admin's inlines say."""
    with translation.override(None):
        name = str(record._meta.verbose_name)
    return {"added": {"name": name, "object": str(record)}}


def _codes(objs) -> str:
    from .refs import record_code

    return ", ".join(f"{obj} [{record_code(obj)}]" for obj in objs[:5])


def _out_of_scope() -> str:
    return _("Outside your scope: you may not change this.")


def _already_there(objs) -> str:
    return _("Another record already has this name: %(records)s.") % {"records": _codes(objs)}


def _ambiguous(objs) -> str:
    return _(
        "This row matches %(count)s records (%(records)s): write the code of the one you mean "
        "in the first column."
    ) % {"count": len(objs), "records": _codes(objs)}


def _diacritics(objs) -> str:
    return _(
        "Did you mean: %(records)s? Write the name as it is stored (with its diacritics), or the "
        "record's code; for another person of the same name, fill in the distinguishing note."
    ) % {"records": _codes(objs)}
