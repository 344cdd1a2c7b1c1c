"""Success checks: what the final state must show if the task was done.

Checks are written from the *intent* — the effects the app model declares for the controls the
plan names, applied to the concrete target and values of the prefill — over the documented
state paths (docs/app-models.md): "paragraph 2 is bold" is ``doc.paragraphs[1].bold eq true``;
"insert a 4×3 table" is one more entry in ``doc.tables`` with 4 rows and 3 columns; "sort
ascending" is the smallest value of the key column in the first data row, computed from the
template, not read back from a run. The executor then verifies them on the real final state.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from lamdata.env import Template
from lamdata.env.controls import range_refs
from lamdata.env.documents.sheet import parse_input
from lamdata.env.paths import MISSING, get_path
from lamdata.instantiate.ground import Event
from lamdata.instantiate.traits import selects
from lamdata.records import Check

_NUMERIC = re.compile(r"-?\d+(?:\.\d+)?")
_EXPRESSIONS = frozenset({"arg", "field", "self", "state"})


def number_or_text(value: Any) -> Any:
    """``"14"`` → 14, ``"1.5"`` → 1.5; anything else as is (states keep numbers as numbers)."""
    if isinstance(value, str) and _NUMERIC.fullmatch(value.strip()):
        number = float(value)
        return int(number) if number.is_integer() else number
    return value


class CheckWriter:
    """Accumulates checks over the events of one grounded plan (later ones win per path)."""

    def __init__(self, kind: str, initial: dict[str, Any]) -> None:
        self.kind = kind
        self.initial = initial
        self.checks: dict[tuple[str, str], Check] = {}
        self.lengths: dict[str, int] = {}
        self.opened: list[str] = []

    def add(self, path: str, op: str, value: Any, description: str) -> None:
        key = (path, op)
        self.checks.pop(key, None)
        self.checks[key] = Check(path, op, json.dumps(value, ensure_ascii=False), description)

    def grow(self, path: str, delta: int, description: str) -> None:
        """One more (or fewer) item in the list at ``path`` than before."""
        if path not in self.lengths:
            found = get_path(self.initial, path)
            self.lengths[path] = len(found) if isinstance(found, list) else 0
        self.lengths[path] += delta
        self.add(path, "len_eq", self.lengths[path], description)

    def forget(self, moved: Callable[[str], bool]) -> int:
        """Drop the checks on paths a later action moves (returns how many were dropped)."""
        gone = [key for key in self.checks if moved(key[0])]
        for key in gone:
            del self.checks[key]
        return len(gone)

    def initial_value(self, path: str) -> Any:
        found = get_path(self.initial, path)
        return None if found is MISSING else found

    def result(self) -> list[Check]:
        """The checks; a task that only shows something (a dialog or pane left open, such as
        Word Count) is checked by what it left open."""
        if self.checks or not self.opened:
            return list(self.checks.values())
        popup = self.opened[-1]
        return [Check("ui.open", "contains", json.dumps(popup), f"{popup} is open")]

    # -- events -------------------------------------------------------------------------------
    def event(self, event: Event) -> None:
        if selects(event.effects):  # a later selection replaces what an earlier one showed
            self.forget(lambda path: path.startswith("ui.selection"))
        if not any(e["op"] == "open" for e in event.effects):
            self.opened.clear()  # only what the last action opened is still shown
        for effect in event.effects:
            handler = _HANDLERS.get(effect["op"])
            if handler is not None:
                handler(self, event, effect)

    def value(self, expr: Any, event: Event) -> Any:
        """An effect's value expression, resolved against the action and the UI it ran in."""
        if not isinstance(expr, dict) or len(expr) != 1 or not set(expr) & _EXPRESSIONS:
            return expr
        ((key, name),) = expr.items()
        args = event.action.args
        if key == "arg":
            for candidate in (name, "text", "keys", "option"):
                if candidate in args:
                    return args[candidate]
            return None
        if key == "field":
            return event.fields.get(name)
        if key == "self":
            return getattr(event.control, str(name), None)
        return None

    def selected(self, event: Event) -> dict[str, Any]:
        sel = event.selection
        return sel if isinstance(sel, dict) else {}


def _format(w: CheckWriter, event: Event, effect: dict[str, Any]) -> None:
    attr, value = effect.get("attr", ""), number_or_text(w.value(effect.get("value"), event))
    sel = w.selected(event)
    what = f"{attr} is {value!r} ({event.control.text})"
    for path in _format_paths(w.kind, sel, attr):
        w.add(path, "eq", value, f"{path}: {what}")


def _format_paths(kind: str, sel: dict[str, Any], attr: str) -> list[str]:
    if kind == "document" and sel.get("kind") == "text":
        return [f"doc.paragraphs[{i}].{attr}" for i in sel.get("paragraphs", [])]
    if kind == "spreadsheet" and sel.get("kind") == "cells":
        refs = range_refs(sel["range"])
        return [f"doc.cells.{r}.{attr}" for r in dict.fromkeys([refs[0], refs[-1]])]
    if kind == "presentation" and sel.get("kind") in ("slide", "placeholder"):
        part = sel.get("part")
        parts = ["title", "body"] if part in (None, "all") else [part]
        return [f"doc.slides[{sel.get('slide', 0)}].{p}_format.{attr}" for p in parts]
    return []


def _set(w: CheckWriter, event: Event, effect: dict[str, Any]) -> None:
    path = str(effect.get("path", ""))
    if path.startswith("doc."):
        value = number_or_text(w.value(effect.get("value"), event))
        w.add(path, "eq", value, f"{path} is {value!r} ({event.control.text})")


def _toggle(w: CheckWriter, event: Event, effect: dict[str, Any]) -> None:
    path = str(effect.get("path", ""))
    if path.startswith("doc."):
        before = w.checks.get((path, "eq"))
        current = json.loads(before.value_json) if before else w.initial_value(path)
        w.add(path, "eq", not current, f"{path} switched to {not current} ({event.control.text})")


def _insert_text(w: CheckWriter, event: Event, effect: dict[str, Any]) -> None:
    text = str(w.value(effect.get("text"), event) or "")
    text = re.sub(r"\{(ENTER|TAB|SPACE)\}", "\n", text, flags=re.I).split("\n")[-1]
    sel = w.selected(event)
    paras = sel.get("paragraphs") or []
    if not text and w.kind == "document" and sel.get("text") and len(paras) == 1:
        path, gone = f"doc.paragraphs[{paras[0]}].text", sel["text"]
        w.add(path, "not_contains", gone, f"{gone!r} is deleted from paragraph {paras[0] + 1}")
        return
    if not text:
        return
    if w.kind == "document":
        if sel.get("kind") == "text" and len(paras) == 1:
            path = f"doc.paragraphs[{paras[0]}].text"
            w.add(path, "contains", text, f"paragraph {paras[0] + 1} contains {text!r}")
        else:
            w.add("doc.paragraphs[-1].text", "eq", text, f"the last paragraph is {text!r}")
    elif w.kind == "presentation" and sel.get("part") in ("title", "body"):
        path = f"doc.slides[{sel.get('slide', 0)}].{sel['part']}"
        w.add(path, "eq", text, f"slide {sel.get('slide', 0) + 1} {sel['part']} is {text!r}")


def _set_cell(w: CheckWriter, event: Event, effect: dict[str, Any]) -> None:
    ref = w.value(effect.get("ref"), event) or w.selected(event).get("active")
    raw = w.value(effect.get("value"), event)
    if not ref or raw is None:
        return
    value, formula = parse_input(str(raw))
    if formula:
        w.add(f"doc.cells.{ref}.formula", "eq", formula, f"{ref} holds {formula}")
    else:
        w.add(f"doc.cells.{ref}.value", "eq", value, f"{ref} equals {value!r}")


def _command(w: CheckWriter, event: Event, effect: dict[str, Any]) -> None:
    from lamdata.instantiate.command_checks import COMMAND_CHECKS

    args = {k: w.value(v, event) for k, v in effect.get("args", {}).items()}
    writer = COMMAND_CHECKS.get(str(effect.get("name")))
    if writer is not None:
        writer(w, event, args)


def _open(w: CheckWriter, event: Event, effect: dict[str, Any]) -> None:
    w.opened.append(str(effect.get("target")))


def _close(w: CheckWriter, event: Event, effect: dict[str, Any]) -> None:
    if w.opened:
        w.opened.pop()


_HANDLERS = {
    "open": _open,
    "close": _close,
    "format": _format,
    "set": _set,
    "toggle": _toggle,
    "insert_text": _insert_text,
    "set_cell": _set_cell,
    "command": _command,
}


def initial_view(template: Template) -> dict[str, Any]:
    """The template's initial state, read-only (no copy: check writers only read it)."""
    return {"ui": template.ui, "doc": template.document}


def write_checks(kind: str, initial: dict[str, Any], events: list[Event]) -> list[Check]:
    """The checks of a grounded plan whose template starts in state ``initial``."""
    writer = CheckWriter(kind, initial)
    for event in events:
        writer.event(event)
    return writer.result()
