"""Import captured UI trees as the start of an app model.

Two inputs: a UFO-style control list (``[{"label", "control_text", "control_type"}, ...]``,
optionally ``automation_id``), flat, under one root window; or an accessibility tree (nested
objects with ``name``/``text``/``control_text``, ``control_type``/``role``/``type``,
``automation_id`` and ``children``). Types outside UI Automation's list become ``Custom``. The
result validates as an app model with one empty ``generic`` template; rules and effects are
left for a person to add (docs/app-models.md).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from lamdata.env.appmodel import build_app_model
from lamdata.errors import InputError
from lamdata.validation import load_schema

_SLUG = re.compile(r"[^a-z0-9]+")


def _types() -> set[str]:
    return set(load_schema("app_model")["$defs"]["control_type"]["enum"])


def _control_type(raw: Any, known: set[str]) -> str:
    text = str(raw or "Custom").removesuffix("Control").strip()
    return text if text in known else "Custom"


class _Builder:
    def __init__(self) -> None:
        self.controls: list[dict[str, Any]] = []
        self.ids: set[str] = set()
        self.known = _types()

    def new_id(self, text: str, ctype: str) -> str:
        base = f"{ctype.lower()}_{_SLUG.sub('_', text.lower()).strip('_')[:40] or 'unnamed'}"
        cid, n = base, 2
        while cid in self.ids:
            cid, n = f"{base}_{n}", n + 1
        self.ids.add(cid)
        return cid

    def add(self, node: dict[str, Any], parent: str | None) -> str:
        text = str(node.get("control_text", node.get("name", node.get("text", ""))) or "")
        ctype = _control_type(
            node.get("control_type", node.get("role", node.get("type"))), self.known
        )
        cid = self.new_id(text, ctype)
        control: dict[str, Any] = {"id": cid, "text": text, "type": ctype, "parent": parent}
        auto = node.get("automation_id") or node.get("label")
        if auto:
            control["automation_id"] = str(auto)
        self.controls.append(control)
        return cid

    def tree(self, node: dict[str, Any], parent: str | None) -> None:
        cid = self.add(node, parent)
        for child in node.get("children", []) or []:
            if isinstance(child, dict):
                self.tree(child, cid)


def import_controls(
    source: str | Path, *, app: str, document_kind: str = "generic"
) -> dict[str, Any]:
    """Read ``source`` and return a validated app model (as JSON-ready data)."""
    path = Path(source)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read {path} as JSON: {exc}") from exc
    return controls_to_model(data, app=app, document_kind=document_kind, source=str(path))


def controls_to_model(
    data: Any, *, app: str, document_kind: str = "generic", source: str = "<import>"
) -> dict[str, Any]:
    """An app model from a control list or a tree (see the module docstring)."""
    builder = _Builder()
    if isinstance(data, dict) and isinstance(data.get("controls"), list):
        data = data["controls"]
    if isinstance(data, list):
        root = builder.add({"name": app, "control_type": "Window"}, None)
        for i, item in enumerate(data):
            if not isinstance(item, dict):
                raise InputError(f"{source}: item /{i} is not an object")
            builder.add(item, root)
    elif isinstance(data, dict):
        builder.tree(data, None)
    else:
        raise InputError(f"{source}: expected a list of controls or a tree object")
    model = {
        "app": app,
        "name": app.capitalize(),
        "version": "1",
        "document_kind": document_kind,
        "controls": builder.controls,
        "templates": [{"id": f"{app}-empty", "description": "An empty document.", "document": {}}],
    }
    build_app_model(model, source=source)
    return model
