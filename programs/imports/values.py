"""Reading one spreadsheet cell as people type it: trimmed NFC text, Có/Không and TRUE/FALSE,
dd/mm/yyyy dates, and the labels of closed lists. Errors are ``CellError`` with the reason in
the active language."""

import datetime
import functools
import re

from django.utils.translation import gettext as _

from programs.text import fold, nfc, vn_date


class CellError(ValueError):
    """A cell that cannot be read; ``str()`` is the reason for the person who typed it."""


_SPACES = re.compile(r"\s+")
_YES = {"co", "c", "x", "true", "yes", "y", "1", "dung"}
_NO = {"khong", "k", "false", "no", "n", "0", "sai"}
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")


def text(value) -> str:
    """The cell as text: NFC, trimmed, inner runs of spaces made one. Numbers Excel stored as
    numbers (a phone typed without its leading zero stays as typed: 912345678)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return vn_date(value)
    return _SPACES.sub(" ", nfc(str(value).replace("\x00", ""))).strip()


def yes_no(value) -> bool | None:
    """True for Có / TRUE / x, False for Không / FALSE, None for an empty cell."""
    if isinstance(value, bool):
        return value
    word = fold(text(value))
    if not word:
        return None
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise CellError(_("Write “Có” or “Không”."))


def day(value) -> datetime.date | None:
    """A date written dd/mm/yyyy (or a real Excel date); None for an empty cell."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    written = text(value)
    if not written:
        return None
    match = _DATE.match(written)
    try:
        if match:
            return datetime.date(int(match[3]), int(match[2]), int(match[1]))
        match = _ISO_DATE.match(written)
        if match:
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise CellError(_("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": written})


@functools.cache
def _folded_choices(labels: tuple) -> dict[str, str]:
    found = {}
    for stored, label in labels:
        found[fold(stored)] = stored
        found[fold(label)] = stored
    return found


def choice(value, labels: dict[str, str]) -> str | None:
    """The stored value of a closed list's entry. ``labels`` maps each stored value to the
    label the file shows; the label, the stored value or either typed without diacritics is
    accepted. None for an empty cell."""
    written = fold(text(value))
    if not written:
        return None
    stored = _folded_choices(tuple(labels.items())).get(written)
    if stored is not None:
        return stored
    raise CellError(
        _("“%(value)s” is not in the list: %(choices)s.")
        % {"value": text(value), "choices": ", ".join(labels.values())}
    )
