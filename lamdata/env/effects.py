"""The declarative effects of actions (docs/app-models.md, "Effects").

Each effect mutates the state in place; one that cannot apply raises :class:`EffectError`
and the environment restores the state from before the action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lamdata.env.appmodel import AppModel, Control
from lamdata.env.documents import KINDS, DocumentKind, EffectError
from lamdata.env.paths import MISSING, get_path, set_path

#: Effect ops that change the document (derived values are refreshed after them).
DOC_OPS = frozenset(
    {"insert_text", "format", "set_cell", "command", "select_range", "select_text", "select_all"}
)


@dataclass
class Context:
    """What an effect sees: the model, the state, the acting control and its arguments."""

    model: AppModel
    state: dict[str, Any]
    control: Control
    args: dict[str, Any]

    @property
    def kind(self) -> DocumentKind:
        return KINDS[self.model.document_kind]

    def value(self, expr: Any) -> Any:
        """Resolve ``{"arg": k}``, ``{"field": id}``, ``{"self": "text"}``; literals as is."""
        if not isinstance(expr, dict) or len(expr) != 1:
            return expr
        ((key, name),) = expr.items()
        if key == "arg":
            for candidate in (name, "text", "keys", "option"):
                if candidate in self.args:
                    return self.args[candidate]
            return None
        if key == "field":
            return self.state["ui"]["fields"].get(name)
        if key == "self":
            return getattr(self.control, str(name))
        if key == "state":
            found = get_path(self.state, str(name))
            return None if found is MISSING else found
        return expr


def _set(ctx: Context, effect: dict[str, Any]) -> None:
    set_path(ctx.state, effect["path"], ctx.value(effect.get("value")))


def _toggle(ctx: Context, effect: dict[str, Any]) -> None:
    current = get_path(ctx.state, effect["path"])
    set_path(ctx.state, effect["path"], not (current is not MISSING and bool(current)))


def _open(ctx: Context, effect: dict[str, Any]) -> None:
    target = ctx.model.controls[effect["target"]]
    ui = ctx.state["ui"]
    if target.popup == "menu":
        ui["open"] = [p for p in ui["open"] if _popup_kind(ctx.model, p) != "menu"]
    if target.id not in ui["open"]:
        ui["open"].append(target.id)


def _close(ctx: Context, effect: dict[str, Any]) -> None:
    target = effect.get("target") or _enclosing_popup(ctx.model, ctx.control.id)
    if target is None:
        raise EffectError(f"{ctx.control.id} is in no popup to close")
    ctx.state["ui"]["open"] = [p for p in ctx.state["ui"]["open"] if p != target]


def _select_tab(ctx: Context, effect: dict[str, Any]) -> None:
    ctx.state["ui"]["tab"] = effect.get("target") or ctx.control.id


def _insert_text(ctx: Context, effect: dict[str, Any]) -> None:
    ctx.kind.insert_text(ctx.state, str(ctx.value(effect.get("text")) or ""))


def _format(ctx: Context, effect: dict[str, Any]) -> None:
    value = ctx.value(effect.get("value", True))
    ctx.kind.format(ctx.state, effect["attr"], value, effect.get("mode", "set"))


def _set_cell(ctx: Context, effect: dict[str, Any]) -> None:
    ref = ctx.value(effect.get("ref"))
    ctx.kind.set_cell(ctx.state, str(ref) if ref else None, str(ctx.value(effect.get("value"))))


def _select_range(ctx: Context, effect: dict[str, Any]) -> None:
    ctx.kind.select_range(ctx.state, str(ctx.value(effect.get("ref")) or ""))


def _select_text(ctx: Context, effect: dict[str, Any]) -> None:
    text = str(ctx.value(effect.get("text")) or "")
    ctx.kind.select_text(ctx.state, text, int(ctx.args.get("occurrence", 1)))


def _select_all(ctx: Context, effect: dict[str, Any]) -> None:
    ctx.kind.select_all(ctx.state)


def _select_item(ctx: Context, effect: dict[str, Any]) -> None:
    ctx.kind.select_item(ctx.state, int(ctx.value(effect.get("value"))) - 1)


def _command(ctx: Context, effect: dict[str, Any]) -> None:
    args = {k: ctx.value(v) for k, v in effect.get("args", {}).items()}
    ctx.kind.run(ctx.state, effect["name"], args)


EFFECTS: dict[str, Callable[[Context, dict[str, Any]], None]] = {
    "set": _set,
    "toggle": _toggle,
    "open": _open,
    "close": _close,
    "select_tab": _select_tab,
    "insert_text": _insert_text,
    "format": _format,
    "set_cell": _set_cell,
    "select_range": _select_range,
    "select_text": _select_text,
    "select_all": _select_all,
    "select_item": _select_item,
    "command": _command,
}


def touches_doc(effects: tuple[dict[str, Any], ...]) -> bool:
    """Whether any of ``effects`` may change ``doc`` (the others change ``ui`` only)."""
    return any(e["op"] in DOC_OPS or e.get("path", "").startswith("doc") for e in effects)


def apply_effects(ctx: Context, effects: tuple[dict[str, Any], ...]) -> bool:
    """Run ``effects`` in order, refresh derived document values if the document may have
    changed, and say whether it may have."""
    for effect in effects:
        EFFECTS[effect["op"]](ctx, effect)
    touched = touches_doc(effects)
    if touched:
        ctx.kind.after_change(ctx.state)
    return touched


def _popup_kind(model: AppModel, control_id: str) -> str | None:
    control = model.controls.get(control_id)
    return control.popup if control else None


def _enclosing_popup(model: AppModel, control_id: str) -> str | None:
    for node in [control_id, *reversed(model.ancestors(control_id))]:
        if model.controls[node].popup:
            return node
    return None


def enclosing_popup(model: AppModel, control_id: str) -> str | None:
    """The nearest popup (menu, dialog, pane) containing ``control_id``, if any."""
    return _enclosing_popup(model, control_id)
