"""The villages sheet's "Tên cũ" column: the former names of a village as the export writes
them, "name (commune, from – until)" joined by "; " ("…" for a period open at the start), read
back into ``VillageName`` records.

An import only adds: a former name the file gives and the village has not recorded becomes a
record, one already recorded is left as it is, and one recorded but missing from the file is
kept (nothing people entered is lost). A new former name must not overlap another of the
village's, and must end before its current name began (the day after its last former name
ended; today when it has none); otherwise its row is refused, saying which entry and why.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import VillageName
from programs.text import nfc, vn_date

from .values import CellError, day

SEPARATOR = "; "
OPEN_START = "…"
# The name, then the commune (which may itself hold brackets and commas: "xã Bình An (huyện
# Lâm Bình, đến 30/06/2025)"), then the period.
_ENTRY = re.compile(
    r"^(?P<name>.+?)\s*\((?P<commune>.+),\s*(?P<start>\S+)\s*[–—-]\s*(?P<end>\S+)\s*\)$"
)
_OPEN = {"", "…", "...", "?"}
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Written:
    """One entry of the column: its text and what it says."""

    entry: str
    name: str
    commune: object
    valid_from: datetime.date | None
    valid_until: datetime.date


def format_former_names(records, commune_name) -> str:
    """The column's text for ``records`` (``commune_name`` names a commune unambiguously)."""
    return SEPARATOR.join(
        f"{record.name} ({commune_name(record.commune)}, "
        f"{vn_date(record.valid_from) or OPEN_START} – {vn_date(record.valid_until)})"
        for record in records
    )


def _entry_error(entry: str, reason) -> CellError:
    return CellError(f"“{entry}”: {reason}")


def _one(entry: str, communes) -> Written:
    match = _ENTRY.match(entry)
    if not match:
        raise CellError(
            _(
                "“%(entry)s” is not a former name as the export writes it: name (commune, "
                "dd/mm/yyyy – dd/mm/yyyy)."
            )
            % {"entry": entry}
        )
    try:
        commune = communes.resolve(match["commune"])
        start = None if match["start"] in _OPEN else day(match["start"])
        end = day(match["end"])
    except CellError as error:
        raise _entry_error(entry, error) from None
    return Written(entry, nfc(match["name"]).strip(), commune, start, end)


def parse_former_names(written: str, communes) -> list[Written]:
    """The entries of a "Tên cũ" cell; CellError (with the entry) for the first bad one."""
    entries = [part.strip() for part in written.split(";")]
    return [_one(entry, communes) for entry in entries if entry]


def _overlap(a, b) -> bool:
    return (a.valid_from is None or b.valid_until is None or a.valid_from <= b.valid_until) and (
        b.valid_from is None or a.valid_until is None or b.valid_from <= a.valid_until
    )


def _recorded(written: Written, existing) -> bool:
    return any(
        nfc(record.name) == written.name
        and record.commune_id == written.commune.pk
        and record.valid_from == written.valid_from
        and record.valid_until == written.valid_until
        for record in existing
    )


def _refusal(record, written: Written, kept, limit) -> str:
    """Why ``record`` (from ``written``) may not be added beside ``kept``, or ""."""
    try:
        record.full_clean(exclude=["village", "commune"], validate_constraints=False)
    except ValidationError as error:
        return str(_entry_error(written.entry, " ".join(error.messages)))
    for other in kept:
        if _overlap(record, other):
            period = f"{vn_date(other.valid_from) or OPEN_START} – {vn_date(other.valid_until)}"
            return _("“%(entry)s” overlaps the former name %(name)s (%(period)s).") % {
                "entry": written.entry,
                "name": other.name,
                "period": period,
            }
    if limit is None and record.valid_until >= timezone.localdate():
        return _("“%(entry)s” must end before today.") % {"entry": written.entry}
    if limit is not None and record.valid_until >= limit:
        return _("“%(entry)s” must end before the current name began (%(date)s).") % {
            "entry": written.entry,
            "date": vn_date(limit),
        }
    return ""


def new_former_names(village, written: list[Written], existing: list) -> tuple[list, list[str]]:
    """The ``VillageName`` records (unsaved) ``written`` adds to ``village`` beside its
    ``existing`` ones, and the refusals of the entries that may not be added."""
    last = max((record.valid_until for record in existing), default=None)
    limit = last + ONE_DAY if last else None
    kept, added, refusals = list(existing), [], []
    for entry in written:
        if _recorded(entry, existing):
            continue
        record = VillageName(
            village=village,
            name=entry.name,
            commune=entry.commune,
            valid_from=entry.valid_from,
            valid_until=entry.valid_until,
        )
        reason = _refusal(record, entry, kept, limit)
        if reason:
            refusals.append(reason)
        else:
            kept.append(record)
            added.append(record)
    return added, refusals
