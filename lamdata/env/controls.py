"""Control-type defaults: which functions each UI Automation type accepts, the effect an
action has when a control declares none, and the expansion of repeated controls."""

from __future__ import annotations

import copy
import re
from typing import Any

#: Functions each control type accepts unless the control lists its own ``functions``.
DEFAULT_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "Button": ("click", "double_click"),
    "SplitButton": ("click",),
    "MenuItem": ("click",),
    "TabItem": ("click",),
    "CheckBox": ("click",),
    "RadioButton": ("click",),
    "Hyperlink": ("click",),
    "ListItem": ("click", "double_click"),
    "TreeItem": ("click", "double_click"),
    "HeaderItem": ("click",),
    "DataItem": ("click", "double_click", "set_text", "type_keys"),
    "Edit": ("click", "set_text", "type_keys"),
    "ComboBox": ("select", "set_text"),
    "Document": ("click", "select_text", "set_text", "type_keys", "scroll"),
    "Pane": ("scroll",),
    "Window": ("scroll",),
    "List": ("scroll",),
    "DataGrid": ("scroll",),
    "Table": ("scroll",),
    "Tree": ("scroll",),
    "ScrollBar": ("scroll",),
}

#: Functions that need no control at all.
CONTROL_FREE = ("wait", "finish")


def default_effects(control_id: str, control_type: str, function: str) -> tuple[Any, ...]:
    """The effect of ``function`` on a control that declares no effect for it."""
    field = f"ui.fields.{control_id}"
    if control_type == "TabItem" and function == "click":
        return ({"op": "select_tab", "target": control_id},)
    if control_type in ("Edit", "ComboBox") and function == "set_text":
        return ({"op": "set", "path": field, "value": {"arg": "text"}},)
    if control_type == "Edit" and function == "type_keys":
        return ({"op": "set", "path": field, "value": {"arg": "keys"}},)
    if control_type == "ComboBox" and function == "select":
        return ({"op": "set", "path": field, "value": {"arg": "option"}},)
    if control_type in ("CheckBox", "RadioButton") and function == "click":
        return ({"op": "toggle", "path": field},)
    if control_type == "Document":
        return _DOCUMENT_EFFECTS.get(function, ())
    if control_type == "DataItem":
        return _CELL_EFFECTS.get(function, ())
    return ()


_DOCUMENT_EFFECTS: dict[str, tuple[Any, ...]] = {
    "click": ({"op": "set", "path": "ui.selection", "value": None},),
    "select_text": ({"op": "select_text", "text": {"arg": "text"}},),
    "set_text": ({"op": "insert_text", "text": {"arg": "text"}},),
    "type_keys": ({"op": "insert_text", "text": {"arg": "keys"}},),
}
_CELL_EFFECTS: dict[str, tuple[Any, ...]] = {
    "click": ({"op": "select_range", "ref": {"self": "text"}},),
    "double_click": ({"op": "select_range", "ref": {"self": "text"}},),
    "set_text": ({"op": "set_cell", "ref": {"self": "text"}, "value": {"arg": "text"}},),
    "type_keys": ({"op": "set_cell", "ref": {"self": "text"}, "value": {"arg": "keys"}},),
}


_CELL = re.compile(r"^([A-Z]+)([0-9]+)$")


def col_index(letters: str) -> int:
    """``"A"`` → 0, ``"AA"`` → 26."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def col_letters(index: int) -> str:
    """0 → ``"A"``, 26 → ``"AA"``."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def split_ref(ref: str) -> tuple[int, int]:
    """``"B3"`` → (column 1, row 3)."""
    match = _CELL.match(ref.strip().upper())
    if not match:
        raise ValueError(f"not a cell reference: {ref!r}")
    return col_index(match.group(1)), int(match.group(2))


def range_refs(spec: str) -> list[str]:
    """``"A1:B2"`` → ``["A1", "B1", "A2", "B2"]`` (row by row); a single ref → itself."""
    first, _, last = spec.partition(":")
    c1, r1 = split_ref(first)
    c2, r2 = split_ref(last or first)
    rows = range(min(r1, r2), max(r1, r2) + 1)
    cols = range(min(c1, c2), max(c1, c2) + 1)
    return [f"{col_letters(c)}{r}" for r in rows for c in cols]


def _substitute(value: Any, key: str, replacement: str | int) -> Any:
    if isinstance(value, str):
        if value == "{" + key + "}":
            return replacement
        return value.replace("{" + key + "}", str(replacement))
    if isinstance(value, list):
        return [_substitute(v, key, replacement) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, key, replacement) for k, v in value.items()}
    return value


def expand_controls(raw: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str]]:
    """Controls with ``grid``/``count`` expanded, each with the JSON pointer it came from."""
    out: list[tuple[dict[str, Any], str]] = []
    for i, control in enumerate(raw):
        pointer = f"/controls/{i}"
        body = {k: v for k, v in control.items() if k not in ("grid", "count")}
        if "grid" in control:
            out += [(_substitute(body, "ref", ref), pointer) for ref in range_refs(control["grid"])]
        elif "count" in control:
            out += [(_substitute(body, "n", n), pointer) for n in range(1, control["count"] + 1)]
        else:
            out.append((copy.deepcopy(body), pointer))
    return out
