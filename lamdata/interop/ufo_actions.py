"""UFO's action functions ↔ lamdata's action functions.

UFO (the ``dataflow`` of the LAM paper) names its actions after pywinauto calls:
``click_input {button, double}``, ``set_edit_text {text}``, ``keyboard_input {keys}``,
``select_text {text}``, ``wheel_mouse_input {wheel_dist}``, ``summary {text}``. Each maps onto one
lamdata function with lamdata's argument names; arguments lamdata has no place for are left to
the import's residual patch, so the round trip stays exact.

The other way, lamdata → UFO, loses what UFO cannot say: ``finish``'s ``status`` (UFO's
``summary`` only has a text) and ``select``/``wait``, which keep their lamdata names.
"""

from __future__ import annotations

from typing import Any

_BUTTONS = ("right", "middle", "left")


def _click(args: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if args.get("double") is True:
        return "double_click", {}
    button = args.get("button")  # left is lamdata's default: leave it implicit
    return "click", ({"button": button} if button in _BUTTONS and button != "left" else {})


def _scroll(args: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    dist = args.get("wheel_dist")
    if isinstance(dist, bool) or not isinstance(dist, int):
        return "scroll", {"direction": "down"}
    out: dict[str, Any] = {"direction": "up" if dist > 0 else "down"}
    if dist:
        out["amount"] = abs(dist)
    return "scroll", out


def _copy(function: str, *names: str) -> Any:
    def convert(args: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return function, {
            lam: args[ufo] for ufo, lam in zip(names[::2], names[1::2], strict=True) if ufo in args
        }

    return convert


_FROM_UFO = {
    "click_input": _click,
    "set_edit_text": _copy("set_text", "text", "text"),
    "keyboard_input": _copy("type_keys", "keys", "keys"),
    "select_text": _copy("select_text", "text", "text", "occurrence", "occurrence"),
    "select": _copy("select", "option", "option"),
    "wheel_mouse_input": _scroll,
    "wait": _copy("wait", "seconds", "seconds"),
    "summary": _copy("finish", "text", "message"),
}

#: UFO functions an import understands.
UFO_FUNCTIONS = tuple(sorted(_FROM_UFO))


def from_ufo(function: str, args: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """lamdata's (function, args) for a UFO call, or None for a function lamdata lacks."""
    convert = _FROM_UFO.get(function)
    return convert(args) if convert else None


def to_ufo(function: str, args: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """UFO's (Function, Args) for a lamdata action."""
    if function == "click":
        return "click_input", {"button": args.get("button", "left"), "double": False}
    if function == "double_click":
        return "click_input", {"button": "left", "double": True}
    if function == "scroll":
        sign = 1 if args.get("direction") == "up" else -1
        return "wheel_mouse_input", {"wheel_dist": sign * int(args.get("amount", 1))}
    if function == "finish":
        return "summary", ({"text": args["message"]} if "message" in args else {})
    renames = {"set_text": "set_edit_text", "type_keys": "keyboard_input"}
    return renames.get(function, function), dict(args)
