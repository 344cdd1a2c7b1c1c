"""What a plan step's words and a control's declared effects say, for the grounder.

Small predicates kept apart from the grounding loop: which effects an action has (declared or
the control type's default), whether they need a selection, select something, must change the
document, whether a control takes typed content, and whether a marked term is really a control
(not a key to press, a region of the UI or a cell range).
"""

from __future__ import annotations

import re
from typing import Any

from lamdata.env import Control
from lamdata.env.controls import default_effects

#: Commands that act on the selection (the grounder selects the target first).
NEEDS_SELECTION = frozenset(
    [
        "autosum",
        "insert_rows",
        "insert_columns",
        "delete_rows",
        "delete_columns",
        "define_name",
        "merge_center",
        "conditional_format",
        "set_layout",
        "delete_slide",
        "set_slide",
        "clear_formatting",
    ]
)


def effects_of(control: Control, function: str) -> tuple[dict[str, Any], ...]:
    """The effects ``function`` has on ``control`` (declared, else the type's default)."""
    return control.on.get(function) or default_effects(control.id, control.control_type, function)


def changes_content(effects: tuple[dict[str, Any], ...]) -> bool:
    """Effects that must change the document; a setting already in place ("Print Layout" in a
    document already in Print Layout) or a UI move that changes nothing is dropped, not fatal."""
    harmless = {"open", "close", "select_tab", "set", *SELECT_OPS}
    return any(
        e["op"] not in harmless and not (e["op"] == "command" and e.get("name") == "select_part")
        for e in effects
    )


SEARCH = re.compile(r"\b(find|search)\b", re.I)


def all_text(value: Any) -> str:
    """Every string in a document, joined (what a search can find)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(all_text(v) for v in value.values())
    if isinstance(value, list):
        return "\n".join(all_text(v) for v in value)
    return ""


SELECT_OPS = frozenset({"select_text", "select_range", "select_item", "select_all"})


def selects(effects: tuple[dict[str, Any], ...]) -> bool:
    return any(
        e["op"] in SELECT_OPS or (e["op"] == "command" and e.get("name") == "select_part")
        for e in effects
    )


def takes_typing(control: Control) -> bool:
    """A control one types content into (not a selector such as a Name Box)."""
    if not control.accepts("set_text"):
        return False
    ops = {e["op"] for e in effects_of(control, "set_text")}
    return control.control_type in ("DataItem", "Document", "Edit") and "select_range" not in ops


def is_place(step: str, term: str) -> bool:
    """A term that names a region of the UI, not a control ("in the **Styles** group")."""
    return bool(re.search(re.escape(term) + r"\W{0,3}\s+(group|section|area|gallery)\b", step))


KEYS = re.compile(
    r"^(?:(?:ctrl|alt|shift|cmd|win)\s*\+\s*)*(?:enter|return|tab|esc|escape|delete|del|"
    r"backspace|space|spacebar|home|end|page\s*up|page\s*down|f\d{1,2}|[a-z0-9])$",
    re.I,
)


CELLS = re.compile(r"^[A-Z]{1,3}[1-9]\d*:[A-Z]{1,3}[1-9]\d*$")


def pressed_key(step: str, term: str) -> bool:
    """ "press **Enter**": a key, even when the app models a button of that name."""
    pressed = re.search(r"\bpress\s+(?:the\s+)?" + re.escape(term), step, re.I)
    return bool(pressed and KEYS.match(term.strip()))


def is_ui_term(term: str, step: str) -> bool:
    """A marked term that names something to click — not emphasis ("**Note**", "**Tip**") and
    not a key to press ("press **Enter**": the typed value is committed by ``set_text``)."""
    if term.casefold() in {"note", "tip", "important", "warning", "caution"}:
        return False
    return not KEYS.match(term.strip())


def needs_selection(effects: tuple[dict[str, Any], ...]) -> bool:
    """Effects that act on the selection (formatting, AutoSum, a slide layout...)."""
    return any(
        e["op"] == "format" or (e["op"] == "command" and e.get("name") in NEEDS_SELECTION)
        for e in effects
    )
