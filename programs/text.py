"""Text helpers for Vietnamese names."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics, so "Nà Coóc" becomes "na cooc".

    People type names without diacritics on phones and office keyboards alike; search compares
    folded forms. "đ" is a letter of its own, not a "d" with a mark, so Unicode decomposition
    leaves it alone and it is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.replace("đ", "d").replace("Đ", "D").lower().split())
