"""The ``presentation`` kind: slides with layout, title, body, formatting and transition;
theme and slide size for the whole deck."""

from __future__ import annotations

from typing import Any

from lamdata.env.documents.base import Command, DocumentKind, EffectError, State

TEXT_FORMAT: dict[str, Any] = {
    "bold": False,
    "italic": False,
    "underline": False,
    "size": 18,
    "alignment": "left",
    "list": None,
}
SLIDE_DEFAULTS: dict[str, Any] = {
    "layout": "Title and Content",
    "title": "",
    "body": "",
    "notes": "",
    "transition": "None",
    "duration": 1.0,
    "pictures": [],
    "tables": [],
    "text_boxes": 0,
    "shapes": 0,
    "slide_number": False,
}
DECK_DEFAULTS: dict[str, Any] = {
    "theme": "Office Theme",
    "slide_size": "Widescreen (16:9)",
    "background": None,
    "view": "Normal",
    "show": None,
    "file": {"name": "Presentation1.pptx", "saved": False},
}


def slide(raw: dict[str, Any]) -> dict[str, Any]:
    unknown = set(raw) - set(SLIDE_DEFAULTS) - {"title_format", "body_format"}
    if unknown:
        raise ValueError(f"unknown slide fields {sorted(unknown)}")
    out = {**SLIDE_DEFAULTS, **raw}
    for part in ("title", "body"):
        out[f"{part}_format"] = {**TEXT_FORMAT, **raw.get(f"{part}_format", {})}
    out["pictures"], out["tables"] = list(out["pictures"]), list(out["tables"])
    return out


class SlidesKind(DocumentKind):
    name = "presentation"

    def normalize(self, doc: dict[str, Any]) -> dict[str, Any]:
        extra = {k: v for k, v in doc.items() if k != "slides"}
        return {**DECK_DEFAULTS, **extra, "slides": [slide(s) for s in doc.get("slides", [])]}

    def commands(self) -> dict[str, Command]:
        return {
            "new_slide": _new_slide,
            "set_layout": _set_layout,
            "delete_slide": _delete_slide,
            "set_slide": _set_slide,
            "apply_to_all": _apply_to_all,
            "insert_object": _insert_object,
            "select_part": _select_part,
            "start_show": _start_show,
        }

    def select_item(self, state: State, index: int) -> None:
        if not 0 <= index < len(state["doc"]["slides"]):
            raise EffectError(f"there is no slide {index + 1}")
        state["ui"]["selection"] = {"kind": "slide", "slide": index, "part": None}

    def select_all(self, state: State) -> None:
        index = _current(state)
        state["ui"]["selection"] = {"kind": "placeholder", "slide": index, "part": "all"}

    def insert_text(self, state: State, text: str) -> None:
        sel = state["ui"].get("selection") or {}
        part = sel.get("part")
        if part not in ("title", "body"):
            raise EffectError("click a placeholder (title or text) first")
        state["doc"]["slides"][sel["slide"]][part] = text

    def format(self, state: State, attr: str, value: Any, mode: str) -> None:
        if attr not in TEXT_FORMAT:
            raise EffectError(f"unknown text format {attr!r}", "unsupported_action")
        sel = state["ui"].get("selection") or {}
        if sel.get("kind") not in ("slide", "placeholder"):
            raise EffectError("select a slide or a placeholder first")
        parts = ["title", "body"] if sel.get("part") in (None, "all") else [sel["part"]]
        target = state["doc"]["slides"][sel["slide"]]
        if attr == "size" and isinstance(value, str):
            value = int(float(value))
        if mode == "toggle":
            all_on = all(target[f"{p}_format"][attr] == value for p in parts)
            value = TEXT_FORMAT[attr] if all_on else value
        for part in parts:
            target[f"{part}_format"][attr] = value


def _current(state: State) -> int:
    sel = state["ui"].get("selection") or {}
    if "slide" in sel:
        return int(sel["slide"])
    if not state["doc"]["slides"]:
        raise EffectError("the presentation has no slides")
    return 0


def _new_slide(state: State, args: dict[str, Any]) -> None:
    slides = state["doc"]["slides"]
    at = _current(state) + 1 if slides else 0
    slides.insert(at, slide({"layout": str(args.get("layout") or "Title and Content")}))
    state["ui"]["selection"] = {"kind": "slide", "slide": at, "part": None}


def _set_layout(state: State, args: dict[str, Any]) -> None:
    state["doc"]["slides"][_current(state)]["layout"] = str(args.get("layout"))


def _delete_slide(state: State, args: dict[str, Any]) -> None:
    slides = state["doc"]["slides"]
    index = _current(state)
    del slides[index]
    state["ui"]["selection"] = (
        {"kind": "slide", "slide": min(index, len(slides) - 1), "part": None} if slides else None
    )


def _set_slide(state: State, args: dict[str, Any]) -> None:
    """Set one attribute of the current slide: ``{"attr": ..., "value": ...}``."""
    attr, value = str(args.get("attr")), args.get("value")
    if attr not in SLIDE_DEFAULTS:
        raise EffectError(f"unknown slide attribute {attr!r}", "unsupported_action")
    if attr == "duration":
        try:
            value = float(str(value))
        except ValueError:
            raise EffectError(f"duration must be a number, got {value!r}", "bad_args") from None
    state["doc"]["slides"][_current(state)][attr] = value


def _apply_to_all(state: State, args: dict[str, Any]) -> None:
    source = state["doc"]["slides"][_current(state)]
    for target in state["doc"]["slides"]:
        target["transition"], target["duration"] = source["transition"], source["duration"]


def _insert_object(state: State, args: dict[str, Any]) -> None:
    target = state["doc"]["slides"][_current(state)]
    kind = str(args.get("kind"))
    if kind == "picture":
        target["pictures"].append({"file": str(args.get("file") or "picture.png")})
    elif kind == "table":
        target["tables"].append(
            {"rows": int(args.get("rows") or 2), "columns": int(args.get("columns") or 2)}
        )
    elif kind in ("text_boxes", "shapes"):
        target[kind] += 1
    elif kind == "slide_number":
        target["slide_number"] = True
    else:
        raise EffectError(f"unknown object kind {kind!r}", "unsupported_action")


def _select_part(state: State, args: dict[str, Any]) -> None:
    part = str(args.get("part"))
    state["ui"]["selection"] = {"kind": "placeholder", "slide": _current(state), "part": part}


def _start_show(state: State, args: dict[str, Any]) -> None:
    state["doc"]["show"] = {"from": _current(state) + 1}
