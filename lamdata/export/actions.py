"""The action space as a model sees it: function definitions, calls and their results.

Function definitions come from ``schemas/action.schema.json`` (``$defs/args``), the same schema
the executor validates arguments with, plus the control a function acts on (``control_id``,
``control_text``), so a model trained on the export emits exactly what lamdata can execute.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from lamdata.records import Action, Step
from lamdata.validation import load_schema

DESCRIPTIONS = {
    "click": "Click a control (a button, tab, menu item, cell, ...).",
    "double_click": "Double-click a control.",
    "set_text": "Replace the text of an edit control.",
    "type_keys": "Type keys into the focused control (e.g. '{ENTER}', '^s').",
    "select": "Choose one option of a combo box or list.",
    "select_text": "Select a span of text in the document.",
    "scroll": "Scroll a control.",
    "wait": "Wait for the application.",
    "finish": "End the task, saying whether it is done or impossible.",
}
#: Functions that never act on a control.
NO_CONTROL = ("wait", "finish")
_CONTROL = {
    "control_id": {"type": "string", "description": "id of the control to act on"},
    "control_text": {"type": "string", "description": "visible text of that control"},
}


@cache
def _tools() -> tuple[dict[str, Any], ...]:
    args = load_schema("action")["$defs"]["args"]
    out = []
    for name in sorted(args):
        schema = args[name]
        props = {} if name in NO_CONTROL else copy.deepcopy(_CONTROL)
        props.update(copy.deepcopy(schema.get("properties", {})))
        parameters = {
            "type": "object",
            "properties": props,
            "required": list(schema.get("required", [])),
            "additionalProperties": False,
        }
        out.append(
            {"name": name, "description": DESCRIPTIONS.get(name, ""), "parameters": parameters}
        )
    return tuple(out)


def tools() -> list[dict[str, Any]]:
    """Every function as ``{name, description, parameters}`` (JSON Schema), sorted by name."""
    return copy.deepcopy(list(_tools()))


@cache
def action_space_text(app: str, functions: bool = True) -> str:
    """The system prompt: what the model operates and (unless the format passes the tools
    separately) the functions it may call."""
    lines = [
        f"You operate the user interface of the application '{app}'.",
        "Each turn, call exactly one function: act on a visible control, or finish.",
    ]
    if not functions:
        return "\n".join(lines)
    lines.append("Functions:")
    for tool in _tools():
        params = tool["parameters"]
        names = [p if p in params["required"] else f"{p}?" for p in params["properties"]]
        lines.append(f"- {tool['name']}({', '.join(names)}): {tool['description']}")
    return "\n".join(lines)


def call_arguments(action: Action) -> dict[str, Any]:
    """The call's arguments: the control first, then the function's own arguments."""
    out: dict[str, Any] = {}
    if action.function not in NO_CONTROL:
        if action.control_id is not None:
            out["control_id"] = action.control_id
        if action.control_text is not None:
            out["control_text"] = action.control_text
    out.update(action.args)
    return out


def render_call(action: Action) -> str:
    """A one-line rendering of an action for histories: ``click(control_text='Bold')``."""
    parts = [f"{k}={v!r}" for k, v in call_arguments(action).items()]
    return f"{action.function}({', '.join(parts)})"


def step_result(step: Step) -> str:
    """What the application answered to a step: its status, error and observation."""
    lines = [f"status: {step.status}"]
    if step.error:
        lines.append(f"error: {step.error}")
    if step.observation:
        lines.append(f"observation:\n{step.observation}")
    return "\n".join(lines)
