"""The shape of the code: no function longer than about a screen without a reason.

Ruff's C901 (max complexity 12, in pyproject.toml) bounds the branches; this bounds the length.
A function of more than 60 lines (outside tests and migrations) must carry, on the line right
above its ``def`` (or its first decorator), a comment beginning ``# Long:`` that says why it is
better whole — a linear recipe, say — so the next reader knows it was a choice.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["programs", "sample_data", "civic_labour", "bench"]
MAX_LINES = 60


def _functions(path: Path):
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            # The comment block right above the def (or its first decorator), read top down.
            comment, index = [], first - 2
            while index >= 0 and lines[index].strip().startswith("#"):
                comment.insert(0, lines[index].strip())
                index -= 1
            yield node, node.end_lineno - node.lineno + 1, " ".join(comment)


def test_long_functions_say_why():
    offenders = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node, length, above in _functions(path):
                if length > MAX_LINES and not above.startswith("# Long:"):
                    where = path.relative_to(ROOT)
                    offenders.append(f"{where}:{node.lineno} {node.name} ({length} lines)")
    assert offenders == []
