"""Phase 2a: make the abstract task concrete on the chosen template.

A help page says "select the text you want to make bold"; an instance must say *which* text,
so that a check can verify it. :func:`choose_target` reads the template's initial document and
picks what the task acts on — a paragraph (by its style when the task names a title or a
heading, else the first body paragraph), a cell range (the header row, a numeric column or the
whole table, by what the task does), or a slide and placeholder. :func:`invent_value` gives a
concrete value to an input the plan leaves open ("enter the number of rows"). Both are
deterministic functions of the task and the template, never random.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lamdata.env.controls import col_letters, split_ref
from lamdata.instantiate.text import content_words, quoted

_DATA_BODY = {"sort", "filter", "duplicate"}
_WHOLE_SHEET = {"chart", "pivot", "pivottable", "data", "freeze"}
_NUMERIC = {"currency", "percentage", "percent", "number", "decimal", "sum", "total", "autosum",
            "average", "conditional", "highlight", "format"}  # fmt: skip
_HEADER = {"header", "heading", "title", "bold", "italic", "underline", "merge", "wrap", "fill",
           "color", "label"}  # fmt: skip


@dataclass(frozen=True)
class Target:
    """What the task acts on: ``kind`` text|cells|slide, and how to select it."""

    kind: str
    phrase: str
    text: str = ""
    paragraphs: tuple[int, ...] = ()
    range: str = ""
    slide: int = 0
    part: str | None = None


@dataclass
class Prefill:
    """The concrete choices made for one task on one template."""

    target: Target | None
    values: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        parts = [self.target.phrase] if self.target else []
        parts += [f"{name} = {value!r}" for name, value in self.values.items()]
        return "; ".join(parts)


def choose_target(kind: str, text: str, doc: dict[str, Any]) -> Target | None:
    """The part of the template the task acts on (None when the document has nothing)."""
    found = choose_targets(kind, text, doc)
    return found[0] if found else None


def choose_targets(kind: str, text: str, doc: dict[str, Any], limit: int = 3) -> list[Target]:
    """Candidate targets, best first: the grounder tries the next one when the task would
    change nothing on the first (a heading style applied to what is already a heading)."""
    if kind == "document":
        return _paragraph_targets(text, doc)[:limit]
    if kind == "spreadsheet":
        found = _cell_target(text, doc)
        return [found] if found else []
    if kind == "presentation":
        return _slide_targets(text, doc)[:limit]
    return []


def _paragraph_targets(text: str, doc: dict[str, Any]) -> list[Target]:
    paras = [(i, p) for i, p in enumerate(doc.get("paragraphs", [])) if p["text"].strip()]
    words = set(content_words(text))
    for value in quoted(text):
        for i, para in paras:
            if value in para["text"]:
                return [Target("text", f"the text {value!r} in paragraph {i + 1}", value, (i,))]
    nth = _ordinal(text, "paragraph", len(doc.get("paragraphs", [])))
    if nth is not None and doc["paragraphs"][nth]["text"].strip():
        para = doc["paragraphs"][nth]
        return [
            Target("text", f"paragraph {nth + 1} ({_short(para['text'])!r})", para["text"], (nth,))
        ]
    wanted = "Title" if "title" in words else "Heading" if "heading" in words else None
    styled = [(i, p) for i, p in paras if wanted and p["style"].startswith(wanted)]
    body = [(i, p) for i, p in paras if p["style"] == "Normal" and len(p["text"].split()) >= 4]
    if "sentence" in words and body:
        i, para = body[0]
        sentence = re.split(r"(?<=[.!?])\s+", para["text"])[0]
        return [Target("text", f"the sentence {sentence!r} in paragraph {i + 1}", sentence, (i,))]
    formatted = [(i, p) for i, p in paras if any(p.get(a) for a in ("bold", "italic", "underline"))]
    ranked = dict.fromkeys(i for i, _ in [*styled[:1], *body[:1], *paras[:1], *formatted[:1]])
    texts = dict(paras)
    return [
        Target("text", f"paragraph {i + 1} ({_short(texts[i]['text'])!r})", texts[i]["text"], (i,))
        for i in ranked
    ]


_ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": -1}


def _ordinal(text: str, noun: str, count: int) -> int | None:
    """The index a text names for ``noun``: "the second paragraph", "paragraph 3", "last"."""
    words = "|".join(_ORDINALS)
    match = re.search(rf"\b({words})\s+{noun}\b|\b{noun}\s+(\d+)\b", text, re.I)
    if not match or count == 0:
        return None
    index = _ORDINALS[match.group(1).lower()] if match.group(1) else int(match.group(2)) - 1
    index = count + index if index < 0 else index
    return index if 0 <= index < count else None


def _cell_target(text: str, doc: dict[str, Any]) -> Target | None:
    cells = {r: c for r, c in doc.get("cells", {}).items() if c.get("value") not in (None, "")}
    if not cells:
        return None
    refs = [r for r in re.findall(r"\b[A-Z]{1,3}[1-9]\d*(?::[A-Z]{1,3}[1-9]\d*)?\b", text)]
    if refs:
        return Target("cells", f"cells {refs[0]}", range=refs[0])
    c1, r1, c2, r2 = _box(cells)
    words = set(content_words(text))
    whole = f"{col_letters(c1)}{r1}:{col_letters(c2)}{r2}"
    if words & _DATA_BODY:
        top = r1 + 1 if _header_row(cells, c1, c2, r1) and r2 > r1 + 1 else r1
        body = f"{col_letters(c1)}{top}:{col_letters(c2)}{r2}"
        return Target("cells", f"the data rows in {body}", range=body)
    if words & _WHOLE_SHEET:
        return Target("cells", f"the data in {whole}", range=whole)
    numeric = _numeric_column(cells, c1, c2, r1, r2)
    if words & _NUMERIC and numeric:
        return Target("cells", f"the numbers in {numeric}", range=numeric)
    header = f"{col_letters(c1)}{r1}:{col_letters(c2)}{r1}"
    if words & _HEADER:
        return Target("cells", f"the header row {header}", range=header)
    return Target("cells", f"the data in {whole}", range=whole)


def _header_row(cells: dict[str, Any], c1: int, c2: int, r1: int) -> bool:
    heads = [cells.get(f"{col_letters(c)}{r1}", {}).get("value") for c in range(c1, c2 + 1)]
    return all(isinstance(v, str) for v in heads if v is not None)


def _box(cells: dict[str, Any]) -> tuple[int, int, int, int]:
    points = [split_ref(r) for r in cells]
    cols, rows = [c for c, _ in points], [r for _, r in points]
    return min(cols), min(rows), max(cols), max(rows)


def _numeric_column(cells: dict[str, Any], c1: int, c2: int, r1: int, r2: int) -> str | None:
    for col in range(c1, c2 + 1):
        letter = col_letters(col)
        values = [cells.get(f"{letter}{r}", {}).get("value") for r in range(r1 + 1, r2 + 1)]
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        if numbers and len(numbers) == len([v for v in values if v is not None]):
            last = max(r for r in range(r1 + 1, r2 + 1) if f"{letter}{r}" in cells)
            return f"{letter}{r1 + 1}:{letter}{last}"
    return None


def _slide_targets(text: str, doc: dict[str, Any]) -> list[Target]:
    slides = doc.get("slides", [])
    if not slides:
        return []
    order = [1, 0, 2] if len(slides) > 1 else [0]
    numbers = [int(n) for n in re.findall(r"\bslide\s+(\d+)\b", text, re.I)]
    if numbers and 1 <= numbers[0] <= len(slides):
        order = [numbers[0] - 1]
    words = set(content_words(text))
    part = "title" if "title" in words else "body" if words & {"text", "body", "bullet"} else None
    where = f" ({part})" if part else ""
    return [
        Target("slide", f"slide {i + 1}{where}", slide=i, part=part)
        for i in order
        if i < len(slides)
    ]


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


#: Inputs the plan leaves open get a value by what their label asks for.
_VALUE_RULES: tuple[tuple[str, str], ...] = (
    (r"\bcolumns?\b", "3"),
    (r"\brows?\b", "4"),
    (r"\bduration|seconds?\b", "2"),
    (r"\bfile\s*name|picture|image\b", "chart.png"),
    (r"\bcomment\b", "Please check this paragraph."),
    (r"\bname\s*box\b", ""),
    (r"\bname\b", "SalesData"),
    (r"\breplace\b", "revised"),
)


def invent_value(label: str, target: Target | None) -> str | None:
    """A concrete value for an input labelled ``label`` that the plan leaves open."""
    lowered = label.casefold()
    if re.search(r"\bfind|search\b", lowered):
        return _distinct_word(target)
    if "name box" in lowered and target is not None and target.range:
        return target.range
    for pattern, value in _VALUE_RULES:
        if value and re.search(pattern, lowered):
            return value
    return None


def _distinct_word(target: Target | None) -> str | None:
    if target is None or not target.text:
        return None
    candidates = [w.strip(".,;:!?'\"") for w in target.text.split()]
    longest = sorted((w for w in candidates if w.isalpha()), key=len, reverse=True)
    return longest[0] if longest else None


def invent_option(label: str, options: list[str], target: Target | None) -> str | None:
    """An option for a list the plan leaves open: the target's column for a "Sort by"-like
    list of columns, the middle value of a numeric list, else the second option (the first is
    usually the current default, which would change nothing)."""
    if not options:
        return None
    if target is not None and target.range:
        column = "Column " + re.sub(r"[0-9:].*$", "", target.range)
        if column in options:
            return column
    if all(re.fullmatch(r"\d+(?:\.\d+)?", o) for o in options):
        return options[len(options) // 2]
    return options[1] if len(options) > 1 else options[0]
