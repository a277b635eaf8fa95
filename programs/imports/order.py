"""The order the committees sheet is handled in: each row after the rows that create the
superior committee it names, so a committee may sit under one written further down the file;
rows whose superiors name each other in a ring are refused, each with the ring's row numbers."""

import heapq

from django.utils.translation import gettext as _

from programs.text import nfc

from .refs import split_bracket_code
from .values import text


def _cell(row, positions, key) -> str:
    position = positions.get(key)
    if position is None or position >= len(row.cells):
        return ""
    return text(row.cells[position])


def _superior_rows(rows, positions) -> list[set[int]]:
    """For each row (by index), the indexes of the other rows that create or name the
    committee its "Cấp trên" cell names: by code when the cell carries one ("… [DU-3]"), else
    by name."""
    by_name: dict[str, list[int]] = {}
    by_code: dict[str, int] = {}
    for index, row in enumerate(rows):
        by_name.setdefault(nfc(_cell(row, positions, "name")), []).append(index)
        code = _cell(row, positions, "code").upper()
        if code:
            by_code[code] = index
    superiors = []
    for row in rows:
        written = _cell(row, positions, "parent")
        name, code = split_bracket_code(written)
        if not written:
            found = []
        elif code:
            found = [by_code[code]] if code in by_code else []
        else:
            found = by_name.get(nfc(name), [])
        superiors.append(set(found))
    return superiors


def _reach(start: int, superiors) -> set[int]:
    seen, stack = set(), list(superiors[start])
    while stack:
        index = stack.pop()
        if index not in seen:
            seen.add(index)
            stack.extend(superiors[index])
    return seen


def superiors_first(rows: list, positions: dict[str, int]) -> tuple[list, dict[int, str]]:
    """``rows`` reordered so each comes after its superiors' rows (otherwise in the file's
    order), and the refusal of every row caught in a ring: row number → reason."""
    superiors = _superior_rows(rows, positions)
    waiting = [len(found) for found in superiors]
    below: list[list[int]] = [[] for _row in rows]
    for index, found in enumerate(superiors):
        for superior in found:
            below[superior].append(index)
    ready = [index for index, count in enumerate(waiting) if count == 0]
    heapq.heapify(ready)
    ordered = []
    while ready:
        index = heapq.heappop(ready)
        ordered.append(index)
        for child in below[index]:
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, child)
    left = sorted(set(range(len(rows))) - set(ordered))
    reach = {index: _reach(index, superiors) for index in left}
    cycles = {}
    for index in left:
        if index in reach[index]:
            ring = sorted(other for other in reach[index] if index in reach.get(other, ()))
            numbers = ", ".join(str(rows[other].number) for other in ring)
            cycles[rows[index].number] = _(
                "The superior committees of rows %(rows)s name each other in a ring: one of "
                "them must sit under a committee outside the ring, or at the top."
            ) % {"rows": numbers}
    return [rows[index] for index in ordered + left], cycles
