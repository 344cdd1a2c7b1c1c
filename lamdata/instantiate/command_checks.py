"""Checks for the named document commands of docs/app-models.md, one small writer each.

Each writer states what the command must leave in the document — computed from the template and
the prefilled values (one more table with the rows and columns typed into the dialog; the key
column's smallest value first after an ascending sort) — never read back from a dry run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from lamdata.env.controls import col_letters, range_refs, split_ref
from lamdata.env.documents.sheet_ops import used_range
from lamdata.env.documents.slides import SLIDE_DEFAULTS
from lamdata.instantiate.checks import CheckWriter, number_or_text
from lamdata.instantiate.ground import Event
from lamdata.records import Check

Writer = Callable[[CheckWriter, Event, dict[str, Any]], None]
_SLIDE_PATH = re.compile(r"^doc\.slides\[(\d+)\](.*)$")
_CELL_PATH = re.compile(r"^doc\.cells\.([A-Z]+[0-9]+)\.")


def _insert_table(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    w.grow("doc.tables", 1, "one more table")
    for key in ("rows", "columns"):
        value = number_or_text(args.get(key))
        w.add(f"doc.tables[-1].{key}", "eq", value, f"the new table has {value} {key}")


def _insert_picture(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    w.grow("doc.pictures", 1, "one more picture")
    w.add("doc.pictures[-1].file", "eq", str(args.get("file")), "the picture's file")


def _page_break(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    w.grow("doc.page_breaks", 1, "one more page break")


def _replace_all(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    find, repl = str(args.get("find") or ""), str(args.get("replace") or "")
    paragraphs = w.initial_value("doc.paragraphs") or []
    for i, para in enumerate(paragraphs):
        if find and find in para.get("text", "") and find not in repl:
            path = f"doc.paragraphs[{i}].text"
            w.add(path, "not_contains", find, f"paragraph {i + 1} no longer has {find!r}")
            w.add(path, "contains", repl, f"paragraph {i + 1} has {repl!r}")


def _find(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    query = str(args.get("query") or "")
    w.add("ui.selection.text", "eq", query, f"{query!r} is found and selected")


def _clear_formatting(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    for i in w.selected(e).get("paragraphs", []):
        for attr, value in (("bold", False), ("italic", False), ("underline", False)):
            w.add(f"doc.paragraphs[{i}].{attr}", "eq", value, f"paragraph {i + 1} plain")


def _new_comment(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    w.grow("doc.comments", 1, "one more comment")
    w.add("doc.comments[-1].text", "eq", str(args.get("text", "")), "the comment's text")


# -- spreadsheet ------------------------------------------------------------------------------
def _region(w: CheckWriter, e: Event) -> tuple[int, int, int, int, bool] | None:
    """The box a data command works on (selection of several rows, else the used range) and
    whether its first row is a header — as the app model documents it."""
    sel = w.selected(e)
    doc = w.initial["doc"]
    if sel.get("kind") == "cells" and ":" in sel["range"]:
        first, last = sel["range"].split(":")
        (c1, r1), (c2, r2) = split_ref(first), split_ref(last)
        if r2 > r1:
            return c1, r1, c2, r2, False
    used = used_range(doc)
    if used is None:
        return None
    (c1, r1), (c2, r2) = (split_ref(p) for p in used.split(":"))
    heads = [doc["cells"].get(f"{col_letters(c)}{r1}", {}).get("value") for c in range(c1, c2 + 1)]
    return c1, r1, c2, r2, all(isinstance(v, str) for v in heads if v is not None)


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, value)
    return (1, str(value).casefold()) if value not in (None, "") else (2, "")


def _values_now(w: CheckWriter) -> dict[str, Any]:
    """Cell values before the command: the template's, with the values earlier actions are
    expected to have written (their checks) laid over them."""
    values = {ref: c.get("value") for ref, c in w.initial["doc"]["cells"].items()}
    for (path, op), check in w.checks.items():
        match = _CELL_PATH.match(path)
        if match and op == "eq" and path.endswith(".value"):
            values[match.group(1)] = check.value
    return values


def _forget_region(w: CheckWriter, box: tuple[int, int, int, int]) -> bool:
    """Drop earlier checks on cells a command moves (their cells end up elsewhere); True when
    there were some."""
    c1, r1, c2, r2 = box

    def inside(path: str) -> bool:
        match = _CELL_PATH.match(path)
        if not match:
            return False
        col, row = split_ref(match.group(1))
        return c1 <= col <= c2 and r1 <= row <= r2

    return w.forget(inside) > 0


def _sort(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    box = _region(w, e)
    if box is None:
        return
    c1, r1, c2, r2, header = box
    first = r1 + 1 if header else r1
    cells = _values_now(w)
    _forget_region(w, (c1, first, c2, r2))
    col = _key_column(w, e, args.get("by"), c1, c2, r1)
    letter = col_letters(col)
    values = [cells.get(f"{letter}{r}") for r in range(first, r2 + 1)]
    order = str(args.get("order") or "ascending").casefold()
    descending = order.startswith("desc") or order in ("z to a", "largest to smallest")
    ordered = sorted(values, key=_sort_key, reverse=descending)
    for row, value in ((first, ordered[0]), (r2, ordered[-1])):
        if value is not None:
            w.add(f"doc.cells.{letter}{row}.value", "eq", value, f"{letter}{row} after sorting")


def _key_column(w: CheckWriter, e: Event, by: Any, c1: int, c2: int, r1: int) -> int:
    cells = w.initial["doc"]["cells"]
    for c in range(c1, c2 + 1):
        head = cells.get(f"{col_letters(c)}{r1}", {}).get("value")
        if by and str(by).strip() in (col_letters(c), f"Column {col_letters(c)}", str(head)):
            return c
    active = w.selected(e).get("active")
    col = split_ref(active)[0] if active else c1
    return min(max(col, c1), c2)


def _filter(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    had = w.initial_value("doc.filter") is not None
    w.add("doc.filter", "not_exists" if had else "exists", None, "the filter is toggled")


def _remove_duplicates(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    box = _region(w, e)
    if box is None:
        return
    c1, r1, c2, r2, header = box
    first = r1 + 1 if header else r1
    cells = _values_now(w)
    _forget_region(w, (c1, first, c2, r2))
    rows = [
        tuple(cells.get(f"{col_letters(c)}{r}") for c in range(c1, c2 + 1))
        for r in range(first, r2 + 1)
    ]
    kept = len(dict.fromkeys(row for row in rows if any(v is not None for v in row)))
    letter = col_letters(c1)
    w.add(f"doc.cells.{letter}{first + kept - 1}.value", "exists", None, "the last unique row")
    w.add(f"doc.cells.{letter}{first + kept}.value", "not_exists", None, "duplicates removed")


def _autosum(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    """A column of numbers selected: their sum below them; one cell selected: the sum of the
    numbers right above it, in it."""
    sel = w.selected(e)
    if sel.get("kind") != "cells":
        return
    refs = range_refs(sel["range"])
    col, last = split_ref(refs[-1])
    cells = w.initial["doc"]["cells"]
    letter = col_letters(col)
    if len(refs) > 1 and col == split_ref(refs[0])[0]:
        source, target = sel["range"], f"{letter}{last + 1}"
    elif len(refs) == 1:
        top = last
        while top > 1 and _is_number(cells.get(f"{letter}{top - 1}", {}).get("value")):
            top -= 1
        if top == last:
            return
        source, target = f"{letter}{top}:{letter}{last - 1}", refs[0]
    else:
        return
    values = [cells.get(r, {}).get("value") for r in range_refs(source)]
    total = sum(v for v in values if _is_number(v))
    w.add(f"doc.cells.{target}.formula", "eq", f"=SUM({source})", f"{target} sums {source}")
    w.add(f"doc.cells.{target}.value", "eq", total, f"{target} equals {total}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _insert_function(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    active, name = w.selected(e).get("active"), str(args.get("function") or "")
    spec = str(args.get("range") or "").strip().upper()
    if active and name and spec:
        formula = f"={name}({spec})"
        w.add(f"doc.cells.{active}.formula", "eq", formula, f"{active} holds {formula}")


def _insert_chart(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    w.grow("doc.charts", 1, "one more chart")
    if args.get("type"):
        w.add("doc.charts[-1].type", "eq", str(args["type"]), f"a {args['type']} chart")


def _shift(axis: str, delta: int) -> Writer:
    def write(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
        active = w.selected(e).get("active")
        if not active:
            return
        col, row = split_ref(active)
        moved = (1, row, 10**6, 10**6) if axis == "row" else (col, 1, 10**6, 10**6)
        if _forget_region(w, moved):
            return  # earlier expectations moved with the cells: no stale one is written
        cells = w.initial["doc"]["cells"]
        src = (col, row) if delta > 0 else ((col, row + 1) if axis == "row" else (col + 1, row))
        dst = ((col, row + 1) if axis == "row" else (col + 1, row)) if delta > 0 else (col, row)
        value = cells.get(f"{col_letters(src[0])}{src[1]}", {}).get("value")
        path = f"doc.cells.{col_letters(dst[0])}{dst[1]}.value"
        if value is None:
            w.add(path, "not_exists", None, f"{axis} shifted")
        else:
            w.add(path, "eq", value, f"{axis} shifted: {value!r} moved")

    return write


def _freeze(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    w.add("doc.freeze", "eq", str(args.get("mode") or "top_row"), "panes frozen")


def _define_name(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    name, rng = str(args.get("name") or ""), w.selected(e).get("range")
    if name and rng:
        w.add(f"doc.names.{name}", "eq", rng, f"name {name!r} refers to {rng}")


def _merge_center(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    rng = w.selected(e).get("range", "")
    if ":" in rng:
        w.add(f"doc.cells.{rng.split(':')[0]}.merged", "eq", rng, f"{rng} merged")


def _count(path: str, what: str) -> Writer:
    def write(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
        w.grow(path, 1, f"one more {what}")

    return write


# -- presentation -----------------------------------------------------------------------------
def _slide(w: CheckWriter, e: Event) -> int:
    return int(w.selected(e).get("slide", 0))


def _shift_slides(w: CheckWriter, at: int, delta: int) -> None:
    """Re-aim earlier checks after slides moved: a slide inserted at ``at`` (delta 1) pushes the
    later ones down; a slide deleted there (delta -1) drops its checks and pulls them up."""
    moved: dict[tuple[str, str], Check] = {}
    for (path, op), check in w.checks.items():
        match = _SLIDE_PATH.match(path)
        if match and int(match.group(1)) >= at:
            index = int(match.group(1))
            if delta < 0 and index == at:
                continue
            path = f"doc.slides[{index + delta}]{match.group(2)}"
            check = Check(path, check.op, check.value_json, check.description)
        elif path.startswith("doc.slides[*].") and op == "eq" and isinstance(check.value, list):
            attr = path.removeprefix("doc.slides[*].")
            values = list(check.value)
            if delta > 0:
                values.insert(at, SLIDE_DEFAULTS.get(attr))
            elif at < len(values):
                del values[at]
            check = Check(path, op, json.dumps(values, ensure_ascii=False), check.description)
        moved[(path, op)] = check
    w.checks = moved


def _new_slide(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    slides = w.lengths.get("doc.slides", len(w.initial_value("doc.slides") or []))
    at = _slide(w, e) + 1 if slides else 0
    _shift_slides(w, at, 1)
    w.grow("doc.slides", 1, "one more slide")
    layout = str(args.get("layout") or "Title and Content")
    w.add(f"doc.slides[{at}].layout", "eq", layout, f"slide {at + 1} has layout {layout!r}")


def _set_layout(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    s, layout = _slide(w, e), str(args.get("layout"))
    w.add(f"doc.slides[{s}].layout", "eq", layout, f"slide {s + 1} has layout {layout!r}")


def _delete_slide(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    _shift_slides(w, _slide(w, e), -1)
    w.grow("doc.slides", -1, "one slide fewer")


def _set_slide(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    s, attr = _slide(w, e), str(args.get("attr"))
    value = number_or_text(args.get("value"))
    value = float(value) if attr == "duration" and isinstance(value, int) else value
    w.add(f"doc.slides[{s}].{attr}", "eq", value, f"slide {s + 1} {attr} is {value!r}")


def _apply_to_all(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    s = _slide(w, e)
    chosen = w.checks.get((f"doc.slides[{s}].transition", "eq"))
    value = chosen.value if chosen else w.initial_value(f"doc.slides[{s}].transition")
    count = w.lengths.get("doc.slides", len(w.initial_value("doc.slides") or []))
    w.add("doc.slides[*].transition", "eq", [value] * count, f"every slide has {value!r}")


def _start_show(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    s = _slide(w, e)
    w.add("doc.show", "eq", {"from": s + 1}, f"the show starts at slide {s + 1}")


def _insert_object(w: CheckWriter, e: Event, args: dict[str, Any]) -> None:
    s, kind = _slide(w, e), str(args.get("kind"))
    if kind in ("picture", "table"):
        w.grow(f"doc.slides[{s}].{kind}s", 1, f"one more {kind} on slide {s + 1}")
    elif kind in ("text_boxes", "shapes"):
        before = w.initial_value(f"doc.slides[{s}].{kind}") or 0
        w.add(f"doc.slides[{s}].{kind}", "gt", before, f"one more of {kind} on slide {s + 1}")
    elif kind == "slide_number":
        w.add(f"doc.slides[{s}].slide_number", "eq", True, f"slide {s + 1} shows its number")


COMMAND_CHECKS: dict[str, Writer] = {
    "insert_table": _insert_table,
    "insert_picture": _insert_picture,
    "page_break": _page_break,
    "replace_all": _replace_all,
    "find": _find,
    "clear_formatting": _clear_formatting,
    "new_comment": _new_comment,
    "sort": _sort,
    "filter": _filter,
    "remove_duplicates": _remove_duplicates,
    "autosum": _autosum,
    "insert_chart": _insert_chart,
    "insert_function": _insert_function,
    "insert_rows": _shift("row", 1),
    "insert_columns": _shift("col", 1),
    "delete_rows": _shift("row", -1),
    "delete_columns": _shift("col", -1),
    "freeze": _freeze,
    "define_name": _define_name,
    "merge_center": _merge_center,
    "pivot_table": _count("doc.pivot_tables", "PivotTable"),
    "conditional_format": _count("doc.conditional_formats", "conditional format"),
    "new_slide": _new_slide,
    "set_layout": _set_layout,
    "delete_slide": _delete_slide,
    "set_slide": _set_slide,
    "apply_to_all": _apply_to_all,
    "insert_object": _insert_object,
    "start_show": _start_show,
}
