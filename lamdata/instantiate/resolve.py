"""Finding the control a plan step's UI term names, among controls with that text.

Help pages name controls by their visible text ("**Bold**", "the **Insert** tab"). The text is
looked up exactly (case- and space-insensitively), else fuzzily with ``rapidfuzz.fuzz.ratio`` at
or above a documented threshold (:data:`TERM_THRESHOLD`), never the best match that accepts
anything. Several controls may share a text (the **Insert** tab and the **Insert** button of a
dialog; **Normal** style, margins and view): the one that fits the step wins — a type named next
to the term ("tab", "menu", "box"), then one usable now (inside the open dialog), then a
control under what the step reached last (the **Two Content** of the **Layout** menu, not of the
**New Slide** menu), then a visible one, then model order.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from rapidfuzz import fuzz, process

from lamdata.env import AppModel, Control
from lamdata.env.matching import ControlIndex
from lamdata.hashing import normalize_text

#: Minimum rapidfuzz ratio (0–100) between a UI term and a control text.
TERM_THRESHOLD = 88.0

#: Control types that hold other controls: a term naming one is a place, not an action.
CONTAINERS = frozenset(
    [
        "Pane",
        "Window",
        "Group",
        "Menu",
        "MenuBar",
        "Tab",
        "ToolBar",
        "Text",
        "StatusBar",
        "TitleBar",
        "Separator",
        "ToolTip",
        "Header",
        "List",
        "Tree",
        "DataGrid",
        "Table",
        "ScrollBar",
        "Image",
        "Custom",
    ]
)
_TYPE_HINTS: dict[str, tuple[str, ...]] = {
    "tab": ("TabItem",),
    "button": ("Button", "SplitButton"),
    "menu": ("MenuItem", "SplitButton", "Button"),
    "box": ("Edit", "ComboBox", "CheckBox"),
    "field": ("Edit", "ComboBox"),
    "list": ("ComboBox", "ListItem"),
    "checkbox": ("CheckBox",),
    "check": ("CheckBox",),
    "option": ("RadioButton", "MenuItem", "ListItem", "CheckBox"),
    "dialog": ("Window",),
    "pane": ("Pane",),
}


def candidates(index: ControlIndex, term: str) -> tuple[list[str], float]:
    """Ids of controls whose text is ``term`` (exact, else fuzzy above the threshold)."""
    key = normalize_text(term)
    if key in index.by_text:
        return list(index.by_text[key]), 100.0
    best = process.extractOne(key, index.texts, scorer=fuzz.ratio) if index.texts else None
    if best is None or best[1] < TERM_THRESHOLD:
        return [], float(best[1]) if best else 0.0
    return list(index.by_text[best[0]]), round(float(best[1]), 2)


def type_hint(step: str, term: str) -> tuple[str, ...]:
    """Control types the words right after the term name ("the **Insert** tab")."""
    match = re.search(re.escape(term) + r"\W{0,3}\s*([A-Za-z]+)(?:\s+([A-Za-z]+))?", step, re.I)
    if not match:
        return ()
    for word in (w.casefold() for w in match.groups() if w):
        if word in _TYPE_HINTS:
            return _TYPE_HINTS[word]
    return ()


def pick(
    model: AppModel,
    ids: Sequence[str],
    *,
    hint: tuple[str, ...],
    related: Collection[str],
    visible: Collection[str],
    usable: Collection[str] = (),
) -> Control:
    """The candidate that fits the step best (see the module notes for the order)."""

    def order(item: tuple[int, str]) -> tuple[bool, bool, bool, int, bool, int]:
        i, cid = item
        control = model.controls[cid]
        family = {*model.ancestors(cid), *model.path_to(cid)}
        closest = max((k for k, r in enumerate(related) if r in family), default=-1)
        return (
            control.control_type in CONTAINERS,
            bool(hint) and control.control_type not in hint,
            bool(usable) and cid not in usable,
            -closest,
            cid not in visible,
            i,
        )

    return model.controls[min(enumerate(ids), key=order)[1]]


def is_container(control: Control) -> bool:
    return control.control_type in CONTAINERS
