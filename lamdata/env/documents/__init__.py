"""Document kinds: what a template's document holds and what document effects do to it.

Each kind (``document``, ``spreadsheet``, ``presentation``, ``generic``) normalizes a template's
compact document into the full state (every attribute present, so checks can test it), and
implements the document effects (``insert_text``, ``format``, ``set_cell``, ``select_*``) and its
named ``command`` effects. The state layout of each kind is documented in docs/app-models.md.
"""

from __future__ import annotations

from typing import Any

from lamdata.env.documents.base import DocumentKind, EffectError
from lamdata.env.documents.sheet import SheetKind
from lamdata.env.documents.slides import SlidesKind
from lamdata.env.documents.word import WordKind

KINDS: dict[str, DocumentKind] = {
    "document": WordKind(),
    "spreadsheet": SheetKind(),
    "presentation": SlidesKind(),
    "generic": DocumentKind(),
}
#: Named ``command`` effects per document kind.
COMMANDS: dict[str, frozenset[str]] = {k: frozenset(v.commands()) for k, v in KINDS.items()}


def normalize_document(kind: str, doc: dict[str, Any]) -> dict[str, Any]:
    """The full document state of a template's compact document."""
    return KINDS[kind].normalize(doc)


__all__ = ["COMMANDS", "KINDS", "DocumentKind", "EffectError", "normalize_document"]
