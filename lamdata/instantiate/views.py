"""Compact text views of a template's document, for prompts: what a reader of the document
sees (paragraph texts and styles, cell values and formulas row by row, slide titles and
layouts), not the normalized JSON with every default attribute."""

from __future__ import annotations

import json
from typing import Any

from lamdata.env import Template
from lamdata.env.controls import col_letters, split_ref

LIMIT = 3000


def document_view(kind: str, template: Template) -> str:
    """The template's document as a few readable lines (cut at :data:`LIMIT` characters)."""
    doc = template.document
    if kind == "document":
        text = _paragraphs(doc)
    elif kind == "spreadsheet":
        text = _cells(doc)
    elif kind == "presentation":
        text = _slides(doc)
    else:
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    text = text or "(empty)"
    return text if len(text) <= LIMIT else text[:LIMIT] + " …(truncated)"


def _paragraphs(doc: dict[str, Any]) -> str:
    lines = []
    for i, para in enumerate(doc.get("paragraphs", [])):
        marks = [para["style"]] + [a for a in ("bold", "italic", "underline") if para.get(a)]
        if para.get("list"):
            marks.append(f"{para['list']} list")
        lines.append(f"paragraph {i + 1} [{', '.join(marks)}]: {para['text']}")
    for i, table in enumerate(doc.get("tables", [])):
        lines.append(f"table {i + 1}: {table['rows']} rows x {table['columns']} columns")
    page = doc.get("page", {})
    lines.append("page: " + ", ".join(f"{k}={v}" for k, v in page.items()))
    return "\n".join(lines)


def _cells(doc: dict[str, Any]) -> str:
    rows: dict[int, list[str]] = {}
    for ref, cell in doc.get("cells", {}).items():
        if cell.get("value") in (None, "") and not cell.get("formula"):
            continue
        col, row = split_ref(ref)
        shown = cell.get("formula") or cell.get("display") or cell.get("value")
        rows.setdefault(row, []).append(f"{col_letters(col)}{row}: {shown}")
    return "\n".join(" | ".join(sorted(cells, key=_column)) for _, cells in sorted(rows.items()))


def _column(entry: str) -> tuple[int, str]:
    ref = entry.split(":", 1)[0]
    return split_ref(ref)[0], ref


def _slides(doc: dict[str, Any]) -> str:
    lines = [f"theme {doc.get('theme')}, size {doc.get('slide_size')}"]
    for i, slide in enumerate(doc.get("slides", [])):
        lines.append(
            f"slide {i + 1} ({slide['layout']}): title {slide['title']!r}; body {slide['body']!r};"
            f" transition {slide['transition']}"
        )
    return "\n".join(lines)
