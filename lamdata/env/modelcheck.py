"""Checks of an app model that a JSON Schema cannot express: every parent, rule and effect
target names an existing control; rule operators, effect ops and commands exist for the
model's document kind; no parent cycles; no duplicate ids. Errors name file and pointer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lamdata.env.documents import COMMANDS, KINDS, DocumentKind
from lamdata.env.paths import OPS, parse_path
from lamdata.errors import SchemaError

if TYPE_CHECKING:
    from lamdata.env.appmodel import Control

CONDITION_REFS = ("tab", "open", "field")
#: Fields each effect op needs.
REQUIRED: dict[str, tuple[str, ...]] = {
    "set": ("path",),
    "toggle": ("path",),
    "open": ("target",),
    "format": ("attr",),
    "command": ("name",),
}
#: Effect ops a document kind implements only if it overrides this method.
KIND_METHODS = (
    "insert_text",
    "format",
    "set_cell",
    "select_range",
    "select_text",
    "select_all",
    "select_item",
)


class AppModelError(SchemaError):
    """A malformed app model: names the file and the JSON pointer."""

    default_hint = "fix the app model at the JSON pointer shown (see docs/app-models.md)"

    def __init__(self, source: str, pointer: str, message: str) -> None:
        super().__init__(f"{source}: {message} at {pointer or '/'}", pointer=pointer)
        self.source = source


def check_controls(
    controls: dict[str, Control], raw: list[tuple[dict[str, Any], str]], kind: str, source: str
) -> None:
    """Raise :class:`AppModelError` for the first problem found."""
    if len(controls) != len(raw):
        _raise_duplicate(raw, source)
    for control in controls.values():
        _check_refs(control, controls, kind, source)
    _check_cycles(controls, source)


def supports(kind: str, op: str) -> bool:
    """Whether document kind ``kind`` implements effect ``op``."""
    if op not in KIND_METHODS:
        return True
    return getattr(type(KINDS[kind]), op) is not getattr(DocumentKind, op)


def _raise_duplicate(raw: list[tuple[dict[str, Any], str]], source: str) -> None:
    seen: set[str] = set()
    for control, pointer in raw:
        if control["id"] in seen:
            raise AppModelError(source, f"{pointer}/id", f"duplicate control id {control['id']!r}")
        seen.add(control["id"])


def _check_refs(control: Control, controls: dict[str, Control], kind: str, source: str) -> None:
    ptr = control.pointer
    if control.parent is not None and control.parent not in controls:
        raise AppModelError(source, f"{ptr}/parent", f"dangling parent {control.parent!r}")
    for key in ("visible_when", "enabled_when"):
        _check_condition(getattr(control, key), controls, source, f"{ptr}/{key}")
    for fn, effects in control.on.items():
        for i, effect in enumerate(effects):
            _check_effect(effect, controls, kind, source, f"{ptr}/on/{fn}/{i}")


def _check_condition(
    cond: dict[str, Any] | None, controls: dict[str, Control], source: str, ptr: str
) -> None:
    if cond is None:
        return
    for key in CONDITION_REFS:
        if key in cond and cond[key] not in controls:
            raise AppModelError(
                source, f"{ptr}/{key}", f"rule references a missing control {cond[key]!r}"
            )
    if "op" in cond and cond["op"] not in OPS:
        raise AppModelError(source, f"{ptr}/op", f"unknown operator {cond['op']!r}")
    if "path" in cond:
        _check_path(cond["path"], source, f"{ptr}/path")
    for key in ("all", "any"):
        for i, sub in enumerate(cond.get(key, [])):
            _check_condition(sub, controls, source, f"{ptr}/{key}/{i}")
    _check_condition(cond.get("not"), controls, source, f"{ptr}/not")


def _check_effect(
    effect: dict[str, Any], controls: dict[str, Control], kind: str, source: str, ptr: str
) -> None:
    op = effect["op"]
    for key in REQUIRED.get(op, ()):
        if key not in effect:
            raise AppModelError(source, ptr, f"a {op} effect needs {key!r}")
    if not supports(kind, op):
        raise AppModelError(source, f"{ptr}/op", f"unknown effect {op!r} for a {kind}")
    if "path" in effect:
        _check_path(effect["path"], source, f"{ptr}/path")
    if "target" in effect and effect["target"] not in controls:
        raise AppModelError(
            source, f"{ptr}/target", f"effect targets a missing control {effect['target']!r}"
        )
    if effect["op"] == "command" and effect.get("name") not in COMMANDS[kind]:
        raise AppModelError(
            source,
            f"{ptr}/name",
            f"unknown effect command {effect.get('name')!r} for a {kind} "
            f"(known: {', '.join(sorted(COMMANDS[kind]))})",
        )
    for key, value in effect.get("args", {}).items():
        if isinstance(value, dict) and "field" in value and value["field"] not in controls:
            raise AppModelError(
                source, f"{ptr}/args/{key}", f"effect reads a missing control {value['field']!r}"
            )


def _check_cycles(controls: dict[str, Control], source: str) -> None:
    for control in controls.values():
        seen = {control.id}
        parent = control.parent
        while parent is not None:
            if parent in seen:
                raise AppModelError(source, f"{control.pointer}/parent", "parent cycle")
            seen.add(parent)
            parent = controls[parent].parent


def _check_path(path: str, source: str, ptr: str) -> None:
    try:
        tokens = parse_path(path)
    except ValueError as exc:
        raise AppModelError(source, ptr, str(exc)) from None
    if tokens[0] not in ("ui", "doc"):
        raise AppModelError(source, ptr, f"a state path starts with ui. or doc., got {path!r}")
