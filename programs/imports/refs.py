"""Finding the records a row names: communes, villages, committees, cells and directives.

A name is matched exactly (after NFC and trimming), with or without its kind word ("xã Bình
An" or "Bình An"). A name that matches nothing is refused with the closest names ("Có phải:
xã Bình An (từ 01/07/2025)?"), those typed without diacritics first; a name typed without
diacritics is never matched silently. A name that matches several records is refused with
what tells them apart, and a code in brackets ("Chi bộ Văn phòng [CB-12]") picks one.
"""

import difflib
import re
from collections import defaultdict

from django.utils import translation
from django.utils.translation import gettext as _

from programs.models import Commune, Directive, PartyCell, PartyCommittee, Village
from programs.text import fold, nfc

from .values import CellError, text

_BRACKET_CODE = re.compile(r"^(?P<name>.*?)\s*\[(?P<prefix>[A-Za-z]+)-(?P<pk>\d+)\]$")
_CODE = re.compile(r"^(?P<prefix>[A-Za-z]+)-(?P<pk>\d+)$")

# Record codes: the sheet's prefix and the primary key ("TV-1234"), written in the first
# column of an exported sheet and in brackets after an ambiguous name.
PREFIXES = {
    Commune: "XA",
    Village: "TH",
    PartyCommittee: "DU",
    PartyCell: "CB",
    Directive: "VB",
}


def record_code(obj) -> str:
    from .sheets import SHEET_PREFIXES

    prefix = SHEET_PREFIXES.get(type(obj)) or PREFIXES[type(obj)]
    return f"{prefix}-{obj.pk}"


def parse_code(written: str, prefix: str) -> int | None:
    """The primary key in a code "TV-12" of the given prefix; CellError for another prefix."""
    match = _CODE.match(written.strip())
    if not match:
        raise CellError(_("“%(value)s” is not a code of this sheet.") % {"value": written})
    if match["prefix"].upper() != prefix:
        raise CellError(
            _("“%(value)s” is not a code of this sheet (its codes begin with %(prefix)s-).")
            % {"value": written, "prefix": prefix}
        )
    return int(match["pk"])


def split_bracket_code(written: str) -> tuple[str, str]:
    """A name with a code in brackets ("Chi bộ Văn phòng [CB-12]") as (name, "CB-12"); a name
    without one as (name, "")."""
    match = _BRACKET_CODE.match(written)
    if not match:
        return written, ""
    return match["name"], f"{match['prefix'].upper()}-{match['pk']}"


def _vi(value) -> str:
    with translation.override("vi"):
        return str(value)


class NameIndex:
    """The records of one kind by every name a row may use for them."""

    def __init__(self, objects, *, what: str, names, label=str):
        self.what = what
        self.names = names
        self.label = label
        self.prefix = None
        self.by_pk = {}
        self.exact = defaultdict(list)
        self.folded = defaultdict(list)
        for obj in objects:
            self.add(obj)

    def add(self, obj) -> None:
        if self.prefix is None:
            self.prefix = PREFIXES.get(type(obj))
        self.by_pk[obj.pk] = obj
        for name in self.names(obj):
            if obj not in self.exact[nfc(name)]:
                self.exact[nfc(name)].append(obj)
                self.folded[fold(name)].append(obj)

    def resolve(self, value, *, within=None, hint: str = ""):
        """The one record ``value`` names (among those ``within`` accepts); CellError if none
        or several do. None for an empty cell."""
        written = text(value)
        if not written:
            return None
        match = _BRACKET_CODE.match(written)
        if match and match["prefix"].upper() == self.prefix:
            found = self.by_pk.get(int(match["pk"]))
            if found is not None and (within is None or within(found)):
                return found
            written = match["name"]
        candidates = [obj for obj in self.exact.get(written, []) if within is None or within(obj)]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            raise CellError(self._ambiguous(written, candidates, hint))
        raise CellError(self._unknown(written, within))

    def _ambiguous(self, written, candidates, hint) -> str:
        labels = "; ".join(self.label(obj) for obj in candidates[:5])
        message = _("“%(value)s” matches %(count)s %(what)s: %(labels)s.") % {
            "value": written,
            "count": len(candidates),
            "what": self.what,
            "labels": labels,
        }
        return f"{message} {hint}".strip()

    def _unknown(self, written, within) -> str:
        message = _("No %(what)s is called “%(value)s”.") % {"what": self.what, "value": written}
        suggestions = self.closest(written, within)
        if suggestions:
            message += " " + _("Did you mean: %(names)s?") % {"names": "; ".join(suggestions)}
        return message

    def closest(self, written, within, limit: int = 3) -> list[str]:
        """Labels of the records whose names are closest to ``written``: the same letters
        without diacritics first, then names a few letters apart."""
        folded = fold(written)
        keys = [folded, *difflib.get_close_matches(folded, list(self.folded), n=limit, cutoff=0.75)]
        labels = []
        for key in keys:
            for obj in sorted(self.folded.get(key, []), key=self.label):
                label = self.label(obj)
                if (within is None or within(obj)) and label not in labels:
                    labels.append(label)
        return labels[:limit]


def commune_index() -> NameIndex:
    communes = Commune.objects.select_related("district", "province")
    return NameIndex(
        communes,
        what=_("commune"),
        names=lambda c: [c.name, str(c), _vi(c.label_with_context)],
        label=lambda c: c.label_with_context,
    )


def village_index() -> NameIndex:
    villages = Village.objects.select_related("commune__district", "commune__province")
    return NameIndex(
        villages,
        what=_("village"),
        names=lambda v: [v.name, str(v)],
        label=lambda v: v.label_with_context,
    )


def committee_index() -> NameIndex:
    return NameIndex(
        PartyCommittee.objects.select_related("parent"),
        what=_("party committee"),
        names=lambda c: [c.name],
        label=lambda c: f"{c.name} [{record_code(c)}]",
    )


def cell_index() -> NameIndex:
    return NameIndex(
        PartyCell.objects.select_related("committee"),
        what=_("party cell"),
        names=lambda c: [c.name],
        label=lambda c: f"{c.name} ({c.committee.name}) [{record_code(c)}]",
    )


def directive_index() -> NameIndex:
    return NameIndex(
        Directive.objects.all(),
        what=_("directive"),
        names=lambda d: [d.symbol, str(d)],
        label=str,
    )
