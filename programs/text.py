"""Text helpers for Vietnamese: one Unicode form for stored text, folding names for search,
writing numbers, money and dates."""

import datetime
import unicodedata
from decimal import Decimal

from django.utils import numberformat, timezone


def nfc(value: str) -> str:
    """``value`` in Unicode Normalization Form C: "Đặng" as one code point per letter-with-marks.

    Some phone keyboards send Vietnamese decomposed (NFD: "a" + combining dot below + combining
    circumflex…), which looks the same on screen but is a different string to the database: the
    same name would be stored two ways, and exact matches, uniqueness and sorting would split
    them. Request data is normalised once, by ``programs.middleware.NormalizeTextMiddleware``;
    code that reads text from elsewhere (a file import) calls this function on it.
    """
    if not value or value.isascii():
        return value
    return unicodedata.normalize("NFC", value)


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics, so "Nà Coóc" becomes "na cooc".

    People type names without diacritics on phones and office keyboards alike; search compares
    folded forms. "đ" is a letter of its own, not a "d" with a mark, so Unicode decomposition
    leaves it alone and it is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.replace("đ", "d").replace("Đ", "D").lower().split())


def plain_decimal(value: Decimal) -> Decimal:
    """40.00 → 40 and 1.0 → 1; 0.5 and 12.75 stay as they are (no exponent form)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def vn_number(value, decimals: int | None = None) -> str:
    """1250.5 → "1.250,5", as Vietnamese offices write numbers in either interface language:
    dots group thousands, a comma marks decimals, and trailing zeros of a Decimal are dropped
    ("250,00" → "250")."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = plain_decimal(value)
    elif isinstance(value, float):
        # numberformat cuts decimals off; round first so 66,666 reads 66,7.
        decimals = 1 if decimals is None else decimals
        value = round(value, decimals)
    return numberformat.format(
        value,
        decimal_sep=",",
        decimal_pos=decimals,
        grouping=3,
        thousand_sep=".",
        force_grouping=True,
    )


def vnd(value) -> str:
    """1500000 → "1.500.000 đ" (a non-breaking space keeps the amount and the đ together)."""
    if value is None:
        return ""
    return f"{vn_number(value)}\N{NO-BREAK SPACE}đ"


def vn_date(day: datetime.date | None) -> str:
    """28/02/2026: the day as Vietnamese documents write it (dd/mm/yyyy), in either interface
    language, for messages, history entries and files. Templates use the ``DATE_FORMAT`` of
    the active locale instead."""
    if day is None:
        return ""
    return day.strftime("%d/%m/%Y")


def vn_datetime(moment: datetime.datetime | None) -> str:
    """28/02/2026 14:32 in Asia/Ho_Chi_Minh (an aware moment is converted to local time first)."""
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%d/%m/%Y %H:%M")
