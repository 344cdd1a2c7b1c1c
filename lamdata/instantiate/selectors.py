"""How to select a target in an app model: found by the controls' effects, not their names.

- text: the Document control's ``select_text`` (the whole target text);
- cells: an input whose ``set_text`` selects a range (a Name Box), else the cell's own DataItem;
- slide: the slide list item whose ``click`` selects item n, then the placeholder whose click
  selects the title or body part, when the task names one.
"""

from __future__ import annotations

import re
from typing import Any

from lamdata.env import AppModel, Control
from lamdata.env.controls import default_effects
from lamdata.instantiate.args import Call
from lamdata.instantiate.prefill import Target


def _effects(control: Control, function: str) -> tuple[dict[str, Any], ...]:
    return control.on.get(function) or default_effects(control.id, control.control_type, function)


def _ops(control: Control, function: str) -> set[str]:
    return {e["op"] for e in _effects(control, function)} if control.accepts(function) else set()


def selectors_for(model: AppModel, target: Target) -> list[tuple[Control, Call]]:
    """The actions that select ``target`` (empty when the app offers no way)."""
    if target.kind == "text":
        return _text(model, target)
    if target.kind == "cells":
        return _cells(model, target)
    if target.kind == "slide":
        return _slide(model, target)
    return []


def _text(model: AppModel, target: Target) -> list[tuple[Control, Call]]:
    for control in model.controls.values():
        if "select_text" in _ops(control, "select_text"):
            return [(control, Call("select_text", {"text": target.text}))]
    return []


def _cells(model: AppModel, target: Target) -> list[tuple[Control, Call]]:
    for control in model.controls.values():
        if control.control_type == "Edit" and "select_range" in _ops(control, "set_text"):
            return [(control, Call("set_text", {"text": target.range}))]
    if ":" not in target.range:
        for control in model.controls.values():
            if control.control_type == "DataItem" and control.text == target.range:
                return [(control, Call("click", {}))]
    return []


def _slide(model: AppModel, target: Target) -> list[tuple[Control, Call]]:
    found: list[tuple[Control, Call]] = []
    wanted = str(target.slide + 1)
    for control in model.controls.values():
        if "select_item" in _ops(control, "click") and re.search(rf"\b{wanted}$", control.text):
            found.append((control, Call("click", {})))
            break
    if target.part:
        part = _placeholder(model, target.part)
        if part is not None:
            found.append((part, Call("click", {})))
    return found


def _placeholder(model: AppModel, part: str) -> Control | None:
    for control in model.controls.values():
        for effect in _effects(control, "click") if control.accepts("click") else ():
            value = effect.get("value")
            args = effect.get("args", {})
            if effect.get("name") == "select_part" and args.get("part") == part:
                return control
            if effect["op"] == "set" and "selection" in str(effect.get("path", "")):
                if isinstance(value, dict) and value.get("part") == part:
                    return control
                if effect.get("path", "").endswith(".part") and value == part:
                    return control
    return None
