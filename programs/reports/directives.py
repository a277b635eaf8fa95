"""Directives as a tree: a plan implements a scheme (``Directive.parent``), and a report on the
scheme covers the sessions held under every document that implements it, at any depth.

``directive_tree`` reads the whole tree in one query (a province has tens of documents, not
thousands) and says, in words, which documents it took in.
"""

from dataclasses import dataclass, field

from programs.models import Directive


@dataclass(frozen=True)
class DirectiveTree:
    """A directive with the documents below it: ``ids`` (itself included) and
    ``implementing``, (document, the document it implements) pairs, nearest first."""

    root: Directive
    ids: frozenset[int]
    implementing: list[tuple[Directive, Directive]] = field(default_factory=list)

    def phrase(self) -> str:
        """ "gồm cả Kế hoạch 54-KH/HU thực hiện Đề án 02-ĐA/TU" (the document's words, always
        Vietnamese); empty when nothing implements the directive."""
        if not self.implementing:
            return ""
        return "gồm cả " + "; ".join(
            f"{child} thực hiện {parent}" for child, parent in self.implementing
        )


def directive_tree(directive: Directive) -> DirectiveTree:
    """``directive`` and every directive that implements it, directly or not (one query)."""
    documents = {d.pk: d for d in Directive.objects.only("id", "parent_id", "kind", "symbol")}
    children: dict[int, list[Directive]] = {}
    for document in sorted(documents.values(), key=lambda d: (d.symbol, d.pk)):
        children.setdefault(document.parent_id, []).append(document)
    root = documents.get(directive.pk, directive)
    ids, implementing, queue = {root.pk}, [], [root]
    # Breadth first, so the plans that implement the directive itself are named first; the
    # "seen" check stops at a cycle the database cannot rule out (A implements B implements A).
    while queue:
        parent = queue.pop(0)
        for child in children.get(parent.pk, ()):
            if child.pk not in ids:
                ids.add(child.pk)
                implementing.append((child, parent))
                queue.append(child)
    return DirectiveTree(root=directive, ids=frozenset(ids), implementing=implementing)
