"""Spreadsheet commands: sort, filter, remove duplicates, AutoSum, charts, rows and columns.

A command works on the selection when it spans several rows, else on the used range (the
bounding box of non-empty cells); a first row of text over a data column is a header row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lamdata.env.controls import col_letters, range_refs, split_ref
from lamdata.env.documents.base import Command, EffectError, State

Grid = list[list[dict[str, Any] | None]]


def serial_to_date(value: float) -> str:
    return (dt.date(1899, 12, 30) + dt.timedelta(days=int(value))).isoformat()


def used_range(doc: dict[str, Any]) -> str | None:
    refs = [split_ref(r) for r, c in doc["cells"].items() if c.get("value") not in (None, "")]
    if not refs:
        return None
    cols, rows = [c for c, _ in refs], [r for _, r in refs]
    return f"{col_letters(min(cols))}{min(rows)}:{col_letters(max(cols))}{max(rows)}"


def _bounds(spec: str) -> tuple[int, int, int, int]:
    first, _, last = spec.partition(":")
    (c1, r1), (c2, r2) = split_ref(first), split_ref(last or first)
    return min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)


def _region(state: State) -> tuple[tuple[int, int, int, int], bool]:
    """The rectangle a data command works on and whether its first row is a header."""
    sel = state["ui"].get("selection") or {}
    if sel.get("kind") == "cells":
        c1, r1, c2, r2 = _bounds(sel["range"])
        if r2 > r1:
            return (c1, r1, c2, r2), False
    used = used_range(state["doc"])
    if used is None:
        raise EffectError("the sheet is empty")
    box = _bounds(used)
    return box, _has_header(state["doc"], box)


def _has_header(doc: dict[str, Any], box: tuple[int, int, int, int]) -> bool:
    c1, r1, c2, _ = box
    first = [doc["cells"].get(f"{col_letters(c)}{r1}", {}).get("value") for c in range(c1, c2 + 1)]
    return all(isinstance(v, str) for v in first if v is not None) and any(first)


def _read_rows(doc: dict[str, Any], box: tuple[int, int, int, int]) -> Grid:
    c1, r1, c2, r2 = box
    return [
        [doc["cells"].get(f"{col_letters(c)}{r}") for c in range(c1, c2 + 1)]
        for r in range(r1, r2 + 1)
    ]


def _write_rows(doc: dict[str, Any], box: tuple[int, int, int, int], rows: Grid) -> None:
    c1, r1, c2, r2 = box
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            doc["cells"].pop(f"{col_letters(c)}{r}", None)
    for i, row in enumerate(rows):
        for j, entry in enumerate(row):
            if entry is not None:
                doc["cells"][f"{col_letters(c1 + j)}{r1 + i}"] = entry


def _sort_key(entry: dict[str, Any] | None) -> tuple[int, Any]:
    value = None if entry is None else entry.get("value")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, value)
    return (1, str(value).casefold()) if value not in (None, "") else (2, "")


def _sort(state: State, args: dict[str, Any]) -> None:
    box, header = _region(state)
    order = str(args.get("order") or "ascending").lower()
    descending = order.startswith("desc") or order in ("z to a", "largest to smallest")
    key_col = _key_column(state, box, args.get("by"))
    body_box = (box[0], box[1] + 1, box[2], box[3]) if header else box
    rows = _read_rows(state["doc"], body_box)
    rows.sort(key=lambda row: _sort_key(row[key_col]), reverse=descending)
    _write_rows(state["doc"], body_box, rows)


def _key_column(state: State, box: tuple[int, int, int, int], by: Any) -> int:
    """The sort column inside ``box``: a header text or column letter, else the active cell."""
    if by:
        for c in range(box[0], box[2] + 1):
            letter = col_letters(c)
            head = state["doc"]["cells"].get(f"{letter}{box[1]}", {}).get("value")
            if str(by).strip() in (letter, f"Column {letter}", str(head)):
                return c - box[0]
        raise EffectError(f"no column {by!r} in the data")
    active = (state["ui"].get("selection") or {}).get("active")
    col = split_ref(active)[0] if active else box[0]
    return min(max(col, box[0]), box[2]) - box[0]


def _filter(state: State, args: dict[str, Any]) -> None:
    doc = state["doc"]
    if doc["filter"]:
        doc["filter"] = None
        return
    box, _ = _region(state)
    doc["filter"] = {"range": f"{col_letters(box[0])}{box[1]}:{col_letters(box[2])}{box[3]}"}


def _remove_duplicates(state: State, args: dict[str, Any]) -> None:
    box, header = _region(state)
    body_box = (box[0], box[1] + 1, box[2], box[3]) if header else box
    rows = _read_rows(state["doc"], body_box)
    seen: set[tuple[Any, ...]] = set()
    kept: Grid = []
    for row in rows:
        key = tuple(None if e is None else e.get("value") for e in row)
        if key not in seen:
            seen.add(key)
            kept.append(row)
    if len(kept) == len(rows):
        raise EffectError("no duplicate rows found")
    _write_rows(state["doc"], body_box, kept)


def _autosum(state: State, args: dict[str, Any]) -> None:
    sel = state["ui"].get("selection") or {}
    if sel.get("kind") != "cells":
        raise EffectError("no cell is selected")
    c1, r1, c2, r2 = _bounds(sel["range"])
    letter = col_letters(c1)
    cells = state["doc"]["cells"]
    if r2 > r1 and c1 == c2:
        target, source = f"{letter}{r2 + 1}", f"{letter}{r1}:{letter}{r2}"
    else:
        top = r1
        while top > 1 and isinstance(cells.get(f"{letter}{top - 1}", {}).get("value"), int | float):
            top -= 1
        if top == r1:
            raise EffectError("no numbers above the selected cell to sum")
        target, source = f"{letter}{r1}", f"{letter}{top}:{letter}{r1 - 1}"
    cells[target] = {**cells.get(target, {}), "formula": f"=SUM({source})", "value": None}
    from lamdata.env.documents.sheet import cell

    cells[target] = cell(cells[target])


def _insert_function(state: State, args: dict[str, Any]) -> None:
    sel = state["ui"].get("selection") or {}
    name, spec = str(args.get("function") or ""), str(args.get("range") or "").strip().upper()
    if sel.get("kind") != "cells" or not name or not spec:
        raise EffectError("select a cell, a function and a range first")
    range_refs(spec)
    from lamdata.env.documents.sheet import cell

    state["doc"]["cells"][sel["active"]] = cell(
        {**state["doc"]["cells"].get(sel["active"], {}), "input": f"={name}({spec})"}
    )


def _insert_chart(state: State, args: dict[str, Any]) -> None:
    box, _ = _region(state)
    spec = f"{col_letters(box[0])}{box[1]}:{col_letters(box[2])}{box[3]}"
    state["doc"]["charts"].append({"type": str(args.get("type") or "Column"), "range": spec})


def _shift(state: State, args: dict[str, Any], *, axis: str, delta: int) -> None:
    sel = state["ui"].get("selection") or {}
    if sel.get("kind") != "cells":
        raise EffectError("no cell is selected")
    col, row = split_ref(sel["active"])
    at = row if axis == "row" else col
    moved: dict[str, Any] = {}
    for ref, entry in state["doc"]["cells"].items():
        c, r = split_ref(ref)
        pos = r if axis == "row" else c
        if delta < 0 and pos == at:
            continue
        if pos >= at + (1 if delta < 0 else 0):
            pos += delta
        moved[f"{col_letters(pos if axis == 'col' else c)}{pos if axis == 'row' else r}"] = entry
    state["doc"]["cells"] = moved


def _freeze(state: State, args: dict[str, Any]) -> None:
    state["doc"]["freeze"] = str(args.get("mode") or "top_row")


def _define_name(state: State, args: dict[str, Any]) -> None:
    name = str(args.get("name") or "").strip()
    sel = state["ui"].get("selection") or {}
    if not name or sel.get("kind") != "cells":
        raise EffectError("select cells and give a name")
    state["doc"]["names"][name] = sel["range"]


def _merge_center(state: State, args: dict[str, Any]) -> None:
    sel = state["ui"].get("selection") or {}
    if sel.get("kind") != "cells" or ":" not in sel["range"]:
        raise EffectError("select more than one cell to merge")
    refs = range_refs(sel["range"])
    cells = state["doc"]["cells"]
    from lamdata.env.documents.sheet import cell

    for ref in refs:
        cells[ref] = cell({**cells.get(ref, {}), "merged": sel["range"]})


def _pivot(state: State, args: dict[str, Any]) -> None:
    box, _ = _region(state)
    spec = f"{col_letters(box[0])}{box[1]}:{col_letters(box[2])}{box[3]}"
    state["doc"]["pivot_tables"].append({"source": spec})


def _conditional(state: State, args: dict[str, Any]) -> None:
    sel = state["ui"].get("selection") or {}
    if sel.get("kind") != "cells":
        raise EffectError("no cells are selected")
    rule = str(args.get("rule") or "Highlight Cells Rules")
    state["doc"]["conditional_formats"].append({"range": sel["range"], "rule": rule})


def _enter(state: State, args: dict[str, Any]) -> None:
    """Confirm the entry and move to the cell below (as the Enter key does)."""
    sel = state["ui"].get("selection") or {}
    if sel.get("kind") != "cells":
        raise EffectError("no cell is selected")
    col, row = split_ref(sel["active"])
    below = f"{col_letters(col)}{row + 1}"
    state["ui"]["selection"] = {"kind": "cells", "range": below, "active": below}


COMMANDS: dict[str, Command] = {
    "enter": _enter,
    "sort": _sort,
    "filter": _filter,
    "remove_duplicates": _remove_duplicates,
    "autosum": _autosum,
    "insert_chart": _insert_chart,
    "insert_function": _insert_function,
    "insert_rows": lambda s, a: _shift(s, a, axis="row", delta=1),
    "insert_columns": lambda s, a: _shift(s, a, axis="col", delta=1),
    "delete_rows": lambda s, a: _shift(s, a, axis="row", delta=-1),
    "delete_columns": lambda s, a: _shift(s, a, axis="col", delta=-1),
    "freeze": _freeze,
    "define_name": _define_name,
    "merge_center": _merge_center,
    "pivot_table": _pivot,
    "conditional_format": _conditional,
}
