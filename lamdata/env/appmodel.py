"""App models: an application's controls, its rules and its templates, loaded and checked.

An app model is one JSON file (``schemas/app_model.schema.json``, documented in
``docs/app-models.md``). Loading validates it against the schema, expands repeated controls
(``grid`` cells, ``count`` items), then checks what a schema cannot: every parent, rule and
effect target names an existing control, every ``command`` effect is known for the model's
document kind. Every error names the file and the JSON pointer of the offending value.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lamdata.env.controls import DEFAULT_FUNCTIONS, expand_controls
from lamdata.env.documents import normalize_document
from lamdata.env.modelcheck import AppModelError as AppModelError
from lamdata.env.modelcheck import check_controls
from lamdata.errors import InputError
from lamdata.hashing import content_hash
from lamdata.validation import errors as schema_errors


@dataclass(frozen=True)
class Control:
    """One UI element: id, visible text, UI Automation type, place in the tree, rules."""

    id: str
    text: str
    control_type: str
    automation_id: str
    parent: str | None
    pointer: str
    popup: str | None = None
    visible_when: dict[str, Any] | None = None
    enabled_when: dict[str, Any] | None = None
    functions: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    on: dict[str, tuple[dict[str, Any], ...]] = field(default_factory=dict)
    description: str = ""

    def accepts(self, function: str) -> bool:
        return function in self.functions

    def summary(self) -> dict[str, Any]:
        """A JSON-ready description (what instantiation prompts and observations show)."""
        out: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "type": self.control_type,
            "automation_id": self.automation_id,
            "parent": self.parent,
            "functions": list(self.functions),
        }
        if self.options:
            out["options"] = list(self.options)
        return out


@dataclass(frozen=True)
class Template:
    """An initial document (normalized) with its one-line description and content hash."""

    id: str
    app: str
    description: str
    document: dict[str, Any]
    ui: dict[str, Any]
    content_hash: str
    pointer: str

    def initial_state(self) -> dict[str, Any]:
        """A fresh, mutable copy of the state this template starts in."""
        return {"ui": copy.deepcopy(self.ui), "doc": copy.deepcopy(self.document)}


@dataclass
class AppModel:
    app: str
    name: str
    version: str
    document_kind: str
    controls: dict[str, Control]
    templates: dict[str, Template]
    source: str = ""
    shortcuts: dict[str, str] = field(default_factory=dict)
    _children: dict[str | None, list[str]] = field(default_factory=dict, repr=False)
    _openers: dict[str, str] = field(default_factory=dict, repr=False)
    _paths: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for control in self.controls.values():
            self._children.setdefault(control.parent, []).append(control.id)
            for effects in control.on.values():
                for effect in effects:
                    if effect["op"] == "open":
                        self._openers.setdefault(effect["target"], control.id)

    def control(self, control_id: str) -> Control:
        return self.controls[control_id]

    def children(self, control_id: str | None) -> list[str]:
        return list(self._children.get(control_id, []))

    def ancestors(self, control_id: str) -> list[str]:
        """Ancestors from the root down to the parent of ``control_id``."""
        chain: list[str] = []
        parent = self.controls[control_id].parent
        while parent is not None:
            chain.append(parent)
            parent = self.controls[parent].parent
        return chain[::-1]

    def opener(self, popup_id: str) -> str | None:
        """The first control (model order) whose action opens ``popup_id``."""
        return self._openers.get(popup_id)

    def path_to(self, control_id: str) -> list[str]:
        """Controls to click, in order, to make ``control_id`` visible from a fresh state
        (e.g. ``["tab_insert", "btn_table"]`` for a field of the Insert Table dialog)."""
        if control_id not in self._paths:
            path: list[str] = []
            self._add_path(control_id, path, set())
            self._paths[control_id] = [c for c in path if c != control_id]
        return list(self._paths[control_id])

    def _add_path(self, control_id: str, path: list[str], seen: set[str]) -> None:
        if control_id in seen:
            return
        seen.add(control_id)
        for node in [*self.ancestors(control_id), control_id]:
            control = self.controls[node]
            needs = [node] if control.popup else []
            needs += _navigation(control.visible_when)
            for need in needs:
                step = need if self.controls[need].control_type == "TabItem" else None
                step = step or self.opener(need)
                if step is not None and step not in path:
                    self._add_path(step, path, seen)
                    if step not in path:
                        path.append(step)
        if control_id not in path:
            path.append(control_id)

    def template(self, template_id: str) -> Template:
        return self.templates[template_id]


def _navigation(condition: dict[str, Any] | None) -> list[str]:
    """Controls a condition needs selected (tabs) or open (popups), in order."""
    if not condition:
        return []
    found = [condition[k] for k in ("tab", "open") if k in condition]
    for sub in condition.get("all", []):
        found += _navigation(sub)
    if condition.get("any"):
        found += _navigation(condition["any"][0])
    return found


# -- loading --------------------------------------------------------------------------------
def load_app_model(path: str | Path) -> AppModel:
    """Read, validate and build one app model file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"app model {path} does not exist") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AppModelError(str(path), "", f"not valid UTF-8 JSON ({exc})") from exc
    return build_app_model(data, source=str(path))


def build_app_model(data: Any, *, source: str = "<app model>") -> AppModel:
    """Validate and build an app model from its parsed JSON."""
    found = schema_errors("app_model", data)
    if found:
        pointer, message = found[0]
        raise AppModelError(source, pointer, message)
    kind = data["document_kind"]
    raw = expand_controls(data["controls"])
    controls = {c.id: c for c in (_control(r, p, source) for r, p in raw)}
    check_controls(controls, raw, kind, source)
    ui: dict[str, Any] = {"tab": None, "open": [], "fields": {}, "focus": None, "selection": None}
    ui.update(data.get("initial_ui", {}))
    templates = _templates(data, kind, ui, source)
    return AppModel(
        app=data["app"],
        name=data["name"],
        version=str(data.get("version", "1")),
        document_kind=kind,
        controls=controls,
        templates=templates,
        source=source,
        shortcuts=_shortcuts(data.get("shortcuts", {}), controls, source),
    )


def shortcut_key(keys: str) -> str:
    """The form shortcuts are looked up by: case-folded, without spaces."""
    return "".join(keys.split()).casefold()


def _shortcuts(raw: dict[str, str], controls: dict[str, Control], source: str) -> dict[str, str]:
    for keys, target in raw.items():
        if target not in controls:
            pointer = "/shortcuts/" + keys.replace("~", "~0").replace("/", "~1")
            raise AppModelError(source, pointer, f"shortcut targets a missing control {target!r}")
    return {shortcut_key(k): v for k, v in raw.items()}


def load_app_models(folder: str | Path) -> dict[str, AppModel]:
    """Every ``*.json`` app model in ``folder`` (or ``*/app.json``), keyed by app id."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"app model folder {folder} does not exist", hint="pass --apps FOLDER")
    files = sorted([*folder.glob("*.json"), *folder.glob("*/app.json")])
    models: dict[str, AppModel] = {}
    for path in files:
        model = load_app_model(path)
        if model.app in models:
            raise AppModelError(str(path), "/app", f"app id {model.app!r} is defined twice")
        models[model.app] = model
    return models


def _control(raw: dict[str, Any], pointer: str, source: str) -> Control:
    ctype = raw["type"]
    functions = tuple(raw.get("functions", DEFAULT_FUNCTIONS.get(ctype, ())))
    on = {fn: tuple(effects) for fn, effects in raw.get("on", {}).items()}
    for fn in on:
        if fn not in functions:
            raise AppModelError(source, f"{pointer}/on/{fn}", f"{ctype} does not accept {fn!r}")
    return Control(
        id=raw["id"],
        text=raw["text"],
        control_type=ctype,
        automation_id=raw.get("automation_id", raw["id"]),
        parent=raw.get("parent"),
        pointer=pointer,
        popup=raw.get("popup"),
        visible_when=raw.get("visible_when"),
        enabled_when=raw.get("enabled_when"),
        functions=functions,
        options=tuple(raw.get("options", ())),
        on=on,
        description=raw.get("description", ""),
    )


def _templates(
    data: dict[str, Any], kind: str, ui: dict[str, Any], source: str
) -> dict[str, Template]:
    out: dict[str, Template] = {}
    for i, raw in enumerate(data["templates"]):
        pointer = f"/templates/{i}"
        if raw["id"] in out:
            raise AppModelError(source, f"{pointer}/id", f"duplicate template id {raw['id']!r}")
        try:
            document = normalize_document(kind, raw["document"])
        except (ValueError, TypeError, KeyError) as exc:
            raise AppModelError(source, f"{pointer}/document", f"bad document: {exc}") from exc
        template_ui = {**copy.deepcopy(ui), **raw.get("ui", {})}
        out[raw["id"]] = Template(
            id=raw["id"],
            app=data["app"],
            description=raw["description"],
            document=document,
            ui=template_ui,
            content_hash=content_hash({"document": document, "ui": template_ui}),
            pointer=pointer,
        )
    return out
