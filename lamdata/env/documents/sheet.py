"""The ``spreadsheet`` kind: one sheet of cells with values, formulas and formats, plus
sort, filter, remove duplicates, charts, rows and columns.

Cells are keyed by reference (``doc.cells.B2``); every cell that holds something has all its
attributes (``value``, ``formula``, ``display``, formats). Formulas are re-evaluated after every
change; references in formulas are not rewritten when rows move (documented simplification).
"""

from __future__ import annotations

import re
from typing import Any

import lamdata.env.documents.sheet_ops as sheet_ops
from lamdata.env.controls import col_letters, range_refs, split_ref
from lamdata.env.documents.base import Command, DocumentKind, EffectError, State
from lamdata.env.documents.formulas import FormulaError, evaluate

CELL_DEFAULTS: dict[str, Any] = {
    "value": None,
    "formula": None,
    "display": "",
    "bold": False,
    "italic": False,
    "underline": False,
    "fill": "No Fill",
    "number_format": "General",
    "wrap": False,
    "merged": None,
}
#: A key typed after a cell's content (``42{ENTER}``) confirms it and moves on, as in a sheet.
_TRAILING_KEY = re.compile(r"\{(ENTER|TAB)\}\s*$", re.IGNORECASE)
CELL_FORMATS = ("bold", "italic", "underline", "fill", "number_format", "wrap")
SHEET_DEFAULTS: dict[str, Any] = {
    "charts": [],
    "filter": None,
    "freeze": None,
    "gridlines": True,
    "names": {},
    "pivot_tables": [],
    "conditional_formats": [],
    "zoom": 100,
    "file": {"name": "Book1.xlsx", "saved": False},
}


def parse_input(text: str) -> tuple[Any, str | None]:
    """What typing ``text`` into a cell stores: (value, formula)."""
    stripped = text.strip()
    if stripped.startswith("=") and len(stripped) > 1:
        return None, stripped
    for kind in (int, float):
        try:
            return kind(stripped.replace(",", "")), None
        except ValueError:
            pass
    return (text if text != "" else None), None


def display(value: Any, fmt: str) -> str:
    """The text a cell shows for ``value`` under number format ``fmt``."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float) or fmt in ("General", "Text"):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).upper() if isinstance(value, bool) else str(value)
    if fmt == "Number":
        return f"{value:,.2f}"
    if fmt == "Currency":
        return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"
    if fmt == "Percentage":
        return f"{value * 100:.2f}%"
    if fmt == "Date":
        return str(sheet_ops.serial_to_date(value))
    return str(value)


def cell(raw: Any) -> dict[str, Any]:
    data = dict(raw) if isinstance(raw, dict) else {"input": raw}
    if "input" in data:
        value, formula = parse_input(str(data.pop("input")))
        data.update(value=value, formula=formula)
    unknown = set(data) - set(CELL_DEFAULTS)
    if unknown:
        raise ValueError(f"unknown cell fields {sorted(unknown)}")
    return {**CELL_DEFAULTS, **data}


class SheetKind(DocumentKind):
    name = "spreadsheet"

    def normalize(self, doc: dict[str, Any]) -> dict[str, Any]:
        cells = {}
        for ref, raw in doc.get("cells", {}).items():
            split_ref(ref)
            cells[ref.upper()] = cell(raw)
        out = {**{k: v for k, v in SHEET_DEFAULTS.items()}, **doc, "cells": cells}
        out["sheet"] = str(doc.get("sheet", "Sheet1"))
        recalc(out)
        return out

    def commands(self) -> dict[str, Command]:
        return dict(sheet_ops.COMMANDS)

    def select_range(self, state: State, ref: str) -> None:
        ref = ref.strip().upper()
        try:
            refs = range_refs(ref)
        except ValueError:
            raise EffectError(f"{ref!r} is not a cell reference", "bad_args") from None
        state["ui"]["selection"] = {"kind": "cells", "range": ref, "active": refs[0]}

    def select_all(self, state: State) -> None:
        used = sheet_ops.used_range(state["doc"])
        if used is None:
            raise EffectError("the sheet is empty")
        state["ui"]["selection"] = {"kind": "cells", "range": used, "active": used.split(":")[0]}

    def set_cell(self, state: State, ref: str | None, value: str) -> None:
        sel = state["ui"].get("selection") or {}
        target = (ref or sel.get("active") or "").upper()
        if not target:
            raise EffectError("no cell is selected")
        cells = state["doc"]["cells"]
        match = _TRAILING_KEY.search(value)
        text = value[: match.start()] if match else value
        stored, formula = parse_input(text)
        cells[target] = {**cells.get(target, CELL_DEFAULTS), "value": stored, "formula": formula}
        if match:
            col, row = split_ref(target)
            down = match.group(1).upper() == "ENTER"
            target = f"{col_letters(col + (0 if down else 1))}{row + (1 if down else 0)}"
        if ref or match:
            state["ui"]["selection"] = {"kind": "cells", "range": target, "active": target}

    def format(self, state: State, attr: str, value: Any, mode: str) -> None:
        if attr not in CELL_FORMATS:
            raise EffectError(f"unknown cell format {attr!r}", "unsupported_action")
        refs = selected_refs(state)
        cells = state["doc"]["cells"]
        if mode == "toggle":
            all_on = all(cells.get(r, CELL_DEFAULTS)[attr] == value for r in refs)
            value = CELL_DEFAULTS[attr] if all_on else value
        for ref in refs:
            cells[ref] = {**cells.get(ref, CELL_DEFAULTS), attr: value}

    def after_change(self, state: State) -> None:
        recalc(state["doc"])


def selected_refs(state: State) -> list[str]:
    sel = state["ui"].get("selection")
    if not sel or sel.get("kind") != "cells":
        raise EffectError("no cells are selected")
    return range_refs(sel["range"])


def recalc(doc: dict[str, Any]) -> None:
    """Evaluate every formula (memoized, cycles give ``#CYCLE!``) and refresh displays."""
    cells = doc["cells"]
    done: dict[str, Any] = {}
    active: set[str] = set()

    def value_of(ref: str) -> Any:
        entry = cells.get(ref)
        if entry is None or not entry.get("formula"):
            return None if entry is None else entry.get("value")
        if ref in done:
            return done[ref]
        if ref in active:
            raise FormulaError("#CYCLE!")
        active.add(ref)
        try:
            done[ref] = evaluate(entry["formula"][1:], value_of)
        finally:
            active.discard(ref)
        return done[ref]

    for ref in sorted(cells):
        entry = cells[ref]
        if entry.get("formula"):
            try:
                entry["value"] = value_of(ref)
            except FormulaError as exc:
                entry["value"] = exc.code
        entry["display"] = display(entry["value"], entry["number_format"])


__all__ = ["CELL_DEFAULTS", "SheetKind", "cell", "col_letters", "display", "recalc"]
