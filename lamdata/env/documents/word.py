"""The ``document`` kind (a word processor): paragraphs, tables, pictures, page setup.

Character formatting is kept per paragraph: formatting a selection formats every paragraph the
selection touches (documented granularity of the simulator).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from lamdata.env.documents.base import Command, DocumentKind, EffectError, State

PARAGRAPH_DEFAULTS: dict[str, Any] = {
    "text": "",
    "style": "Normal",
    "bold": False,
    "italic": False,
    "underline": False,
    "font": "Calibri",
    "size": 11,
    "color": "Automatic",
    "alignment": "left",
    "list": None,
    "spacing": 1.0,
}
CHAR_ATTRS = ("bold", "italic", "underline", "font", "size", "color")
STYLE_FORMATS: dict[str, dict[str, Any]] = {
    "Normal": {"size": 11},
    "Title": {"size": 28},
    "Heading 1": {"size": 16, "bold": True},
    "Heading 2": {"size": 13, "bold": True},
    "Quote": {"italic": True},
}
PAGE_DEFAULTS: dict[str, Any] = {
    "margins": "Normal",
    "orientation": "Portrait",
    "size": "Letter",
    "columns": 1,
    "page_numbers": None,
    "header": False,
    "footer": False,
}
VIEW_DEFAULTS: dict[str, Any] = {"layout": "Print Layout", "ruler": False, "zoom": 100}
_KEYS = re.compile(r"\{(ENTER|TAB|SPACE)\}", re.IGNORECASE)


def paragraph(raw: Any) -> dict[str, Any]:
    data = {"text": raw} if isinstance(raw, str) else dict(raw)
    unknown = set(data) - set(PARAGRAPH_DEFAULTS)
    if unknown:
        raise ValueError(f"unknown paragraph fields {sorted(unknown)}")
    return {**PARAGRAPH_DEFAULTS, **data}


def table(raw: dict[str, Any]) -> dict[str, Any]:
    rows, cols = int(raw["rows"]), int(raw["columns"])
    cells = raw.get("cells") or [["" for _ in range(cols)] for _ in range(rows)]
    return {"rows": rows, "columns": cols, "cells": cells}


class WordKind(DocumentKind):
    name = "document"

    def normalize(self, doc: dict[str, Any]) -> dict[str, Any]:
        return {
            "paragraphs": [paragraph(p) for p in doc.get("paragraphs", [])],
            "tables": [table(t) for t in doc.get("tables", [])],
            "pictures": list(doc.get("pictures", [])),
            "page": {**PAGE_DEFAULTS, **doc.get("page", {})},
            "page_breaks": list(doc.get("page_breaks", [])),
            "comments": list(doc.get("comments", [])),
            "track_changes": bool(doc.get("track_changes", False)),
            "view": {**VIEW_DEFAULTS, **doc.get("view", {})},
            "file": dict(doc.get("file", {"name": "Document1.docx", "saved": False})),
        }

    def commands(self) -> dict[str, Command]:
        return {
            "insert_table": _insert_table,
            "insert_picture": _insert_picture,
            "page_break": _page_break,
            "replace_all": _replace_all,
            "find": _find,
            "clear_formatting": _clear_formatting,
            "new_comment": _new_comment,
        }

    # -- selection ----------------------------------------------------------------------------
    def select_text(self, state: State, text: str, occurrence: int) -> None:
        seen = 0
        for i, para in enumerate(state["doc"]["paragraphs"]):
            seen += para["text"].count(text)
            if seen >= occurrence:
                state["ui"]["selection"] = {"kind": "text", "paragraphs": [i], "text": text}
                return
        raise EffectError(f"text {text!r} (occurrence {occurrence}) is not in the document")

    def select_all(self, state: State) -> None:
        paras = state["doc"]["paragraphs"]
        if not paras:
            raise EffectError("the document is empty")
        text = "\n".join(p["text"] for p in paras)
        state["ui"]["selection"] = {
            "kind": "text",
            "paragraphs": list(range(len(paras))),
            "text": text,
        }

    # -- editing ------------------------------------------------------------------------------
    def insert_text(self, state: State, text: str) -> None:
        text = _KEYS.sub(lambda m: {"ENTER": "\n", "TAB": "\t"}.get(m.group(1).upper(), " "), text)
        paras = state["doc"]["paragraphs"]
        sel = state["ui"].get("selection")
        if sel and sel.get("kind") == "text" and len(sel["paragraphs"]) == 1:
            para = paras[sel["paragraphs"][0]]
            para["text"] = para["text"].replace(sel["text"], text, 1)
            state["ui"]["selection"] = None
            return
        for line in text.split("\n"):
            paras.append(paragraph(line))
        state["ui"]["selection"] = None

    def format(self, state: State, attr: str, value: Any, mode: str) -> None:
        paras = [state["doc"]["paragraphs"][i] for i in _selected(state)]
        if attr == "style":
            for para in paras:
                para.update({"style": value, **STYLE_FORMATS.get(str(value), {})})
            return
        if attr not in PARAGRAPH_DEFAULTS or attr == "text":
            raise EffectError(f"unknown paragraph attribute {attr!r}", "unsupported_action")
        value = _coerce(attr, value)
        if mode == "toggle":
            all_on = all(p[attr] == value for p in paras)
            value = PARAGRAPH_DEFAULTS[attr] if all_on else value
        for para in paras:
            para[attr] = value


def _coerce(attr: str, value: Any) -> Any:
    if attr == "size" and isinstance(value, str):
        number = float(value)
        return int(number) if number.is_integer() else number
    if attr == "spacing" and isinstance(value, str):
        return float(value)
    return value


def _selected(state: State) -> list[int]:
    sel = state["ui"].get("selection")
    if not sel or sel.get("kind") != "text" or not sel.get("paragraphs"):
        raise EffectError("nothing is selected: select text first")
    return list(sel["paragraphs"])


def _positive_int(args: dict[str, Any], key: str, top: int) -> int:
    try:
        value = int(str(args.get(key, "")).strip())
    except ValueError:
        raise EffectError(f"{key} must be a whole number, got {args.get(key)!r}") from None
    if not 1 <= value <= top:
        raise EffectError(f"{key} must be between 1 and {top}, got {value}")
    return value


def _insert_table(state: State, args: dict[str, Any]) -> None:
    rows = _positive_int(args, "rows", 63)
    cols = _positive_int(args, "columns", 63)
    state["doc"]["tables"].append(table({"rows": rows, "columns": cols}))


def _insert_picture(state: State, args: dict[str, Any]) -> None:
    name = str(args.get("file") or "").strip()
    if not name:
        raise EffectError("no file name given")
    state["doc"]["pictures"].append({"file": name})


def _page_break(state: State, args: dict[str, Any]) -> None:
    sel = state["ui"].get("selection")
    after = max(sel["paragraphs"]) if sel and sel.get("paragraphs") else None
    after = len(state["doc"]["paragraphs"]) - 1 if after is None else after
    state["doc"]["page_breaks"].append(after)


def _replace_all(state: State, args: dict[str, Any]) -> None:
    find, repl = str(args.get("find") or ""), str(args.get("replace") or "")
    if not find:
        raise EffectError("Find what is empty")
    count = 0
    for para in state["doc"]["paragraphs"]:
        count += para["text"].count(find)
        para["text"] = para["text"].replace(find, repl)
    if not count:
        raise EffectError(f"{find!r} was not found")


def _find(state: State, args: dict[str, Any]) -> None:
    query = str(args.get("query") or "")
    for i, para in enumerate(state["doc"]["paragraphs"]):
        if query and query in para["text"]:
            state["ui"]["selection"] = {"kind": "text", "paragraphs": [i], "text": query}
            return
    state["ui"]["selection"] = None


def _clear_formatting(state: State, args: dict[str, Any]) -> None:
    for i in _selected(state):
        para = state["doc"]["paragraphs"][i]
        para.update({k: copy.deepcopy(PARAGRAPH_DEFAULTS[k]) for k in CHAR_ATTRS})


def _new_comment(state: State, args: dict[str, Any]) -> None:
    paras = _selected(state)
    state["doc"]["comments"].append({"paragraph": paras[0], "text": str(args.get("text", ""))})
