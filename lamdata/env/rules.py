"""Conditions over the state: when a control is visible and enabled (docs/app-models.md)."""

from __future__ import annotations

from typing import Any

from lamdata.env.paths import compare, get_path


def holds(cond: dict[str, Any] | None, state: dict[str, Any]) -> bool:
    """Whether every clause of ``cond`` holds in ``state`` (no condition always holds)."""
    if not cond:
        return True
    ui = state["ui"]
    if "tab" in cond and ui.get("tab") != cond["tab"]:
        return False
    if "open" in cond and cond["open"] not in ui.get("open", ()):
        return False
    if "selection" in cond and not _selection(cond["selection"], ui.get("selection")):
        return False
    if "field" in cond:
        actual = ui.get("fields", {}).get(cond["field"])
        if not compare(cond.get("op", "exists"), actual, cond.get("value")):
            return False
    if "path" in cond and not compare(
        cond.get("op", "exists"), get_path(state, cond["path"]), cond.get("value")
    ):
        return False
    if "all" in cond and not all(holds(c, state) for c in cond["all"]):
        return False
    if "any" in cond and not any(holds(c, state) for c in cond["any"]):
        return False
    return not ("not" in cond and holds(cond["not"], state))


def _selection(wanted: bool | str, selection: Any) -> bool:
    if isinstance(wanted, bool):
        return (selection is not None) == wanted
    return isinstance(selection, dict) and selection.get("kind") == wanted


def state_leaves(cond: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The clauses of ``cond`` that read ``ui.fields`` or a state path (not tab/open/selection):
    what a visibility cache must key on besides the tab, the open popups and the selection."""
    if not cond:
        return []
    found = [cond] if ("field" in cond or "path" in cond) else []
    for key in ("all", "any"):
        for sub in cond.get(key, []):
            found += state_leaves(sub)
    return found + state_leaves(cond.get("not"))
