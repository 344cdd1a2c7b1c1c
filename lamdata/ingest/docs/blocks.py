"""The block outline every markup reader produces, and the passes that normalize it.

HTML, Markdown, XML and plain-text readers differ in syntax only: each turns its document into a
flat sequence of blocks (headings, paragraphs, lists with nested sub-lists, callouts, other matter
such as tables and code). :func:`coalesce` then turns numbered text that is not marked up as a
list into lists (``<br>``-separated numbered lines, paragraphs numbered 1, 2, 3 with screenshots
between them, "Step 1" headings), so ``outline.extract`` reads one shape whatever the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lamdata.ingest.docs.procedures import squash


@dataclass(slots=True)
class Heading:
    level: int
    text: str


@dataclass(slots=True)
class Para:
    text: str
    terms: list[str] = field(default_factory=list)
    callout: bool = False


@dataclass(slots=True)
class Item:
    text: str
    terms: list[str] = field(default_factory=list)
    sublists: list[ListBlock] = field(default_factory=list)
    lead: str = ""
    link_only: bool = False


@dataclass(slots=True)
class ListBlock:
    ordered: bool
    items: list[Item]
    start: int = 1


@dataclass(slots=True)
class Other:
    kind: str


Block = Heading | Para | ListBlock | Other

_NUMBERED_LINE = re.compile(r"^\s*(?:step\s*(\d{1,2})\s*[:.)\-–—]?|(\d{1,2})[.)])\s+\S", re.I)
_STEP_HEADING = re.compile(r"^\s*step\s*(\d{1,2})\b\s*[:.)\-–—]?\s*", re.I)


# -- normalization passes ------------------------------------------------------------------
def coalesce(blocks: list[Block]) -> list[Block]:
    """Turn numbered text that is not marked up as a list into lists."""
    return _step_headings(_numbered_paras(_split_br_lists(blocks)))


def _split_br_lists(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if not (isinstance(block, Para) and "\n" in block.text):
            out.append(block)
            continue
        lines = [ln for ln in block.text.split("\n") if ln.strip()]
        numbered = [i for i, ln in enumerate(lines) if _NUMBERED_LINE.match(ln)]
        if len(numbered) < 2:
            out.append(Para(squash(block.text), block.terms, block.callout))
            continue
        first = numbered[0]
        if first:
            out.append(Para(squash(" ".join(lines[:first])), block.terms))
        items: list[Item] = []
        for ln in lines[first:]:
            if _NUMBERED_LINE.match(ln) or not items:
                items.append(Item(ln, _terms_in(block.terms, ln)))
            else:
                items[-1].text += " " + ln
                items[-1].terms = _terms_in(block.terms, items[-1].text)
        out.append(ListBlock(True, items))
    return out


def _terms_in(terms: list[str], text: str) -> list[str]:
    return [t for t in terms if t in text]


#: A screenshot's caption ("FIGURE: The Export screen", "Figure 3. ...") between numbered steps.
_CAPTION = re.compile(r"^(?:figure|fig\.|image|screenshot|screen ?shot)\s*\d*\s*[:.\-–—]", re.I)


def _is_figure(block: Block) -> bool:
    if isinstance(block, Other):
        return block.kind in ("image", "figure", "picture")
    return isinstance(block, Para) and bool(_CAPTION.match(block.text))


def _numbered_paras(blocks: list[Block]) -> list[Block]:
    """Paragraphs numbered 1, 2, 3 ... are a list, even with screenshots and their captions
    between them (they are dropped from the list, kept when the run is no list)."""
    out: list[Block] = []
    run: list[Para] = []
    figures: list[Block] = []

    def flush() -> None:
        if len(run) >= 2:
            out.append(ListBlock(True, [Item(p.text, p.terms) for p in run]))
        else:
            out.extend(run)
        out.extend(figures)
        run.clear()
        figures.clear()

    for block in blocks:
        if run and _is_figure(block):
            figures.append(block)
            continue
        number = _number_of(block.text) if isinstance(block, Para) and not block.callout else None
        if isinstance(block, Para) and number is not None and number == len(run) + 1:
            run.append(block)
            figures.clear()
            continue
        flush()
        if isinstance(block, Para) and number == 1:
            run.append(block)
        else:
            out.append(block)
    flush()
    return out


def _number_of(text: str) -> int | None:
    match = _NUMBERED_LINE.match(text)
    return int(match.group(1) or match.group(2)) if match else None


def _step_headings(blocks: list[Block]) -> list[Block]:
    """Headings "Step 1: ...", "Step 2: ..." (each with its text) become one ordered list."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if not (isinstance(block, Heading) and _STEP_HEADING.match(block.text)):
            out.append(block)
            i += 1
            continue
        level, items = block.level, []
        while i < len(blocks):
            head = blocks[i]
            if not (isinstance(head, Heading) and head.level == level):
                break
            if not _STEP_HEADING.match(head.text):
                break
            text, terms = _STEP_HEADING.sub("", head.text, count=1), []
            i += 1
            while i < len(blocks) and not isinstance(blocks[i], Heading):
                body = blocks[i]
                if isinstance(body, Para) and not body.callout and len(text) < 400:
                    text, terms = f"{text.rstrip('.')}. {body.text}".strip(". "), body.terms
                i += 1
            items.append(Item(text, terms))
        if len(items) >= 2:
            out.append(ListBlock(True, items))
        else:
            out.append(block)
            out.extend(Para(it.text, it.terms) for it in items)
    return out


def outline_text(blocks: list[Block], limit: int = 20000) -> str:
    """Plain text of an outline (headings, paragraphs, list items), for app and language guesses."""
    parts: list[str] = []
    size = 0
    for block in blocks:
        if isinstance(block, Heading | Para):
            texts = [block.text]
        elif isinstance(block, ListBlock):
            texts = [i.text for i in block.items]
        else:
            continue
        for text in texts:
            parts.append(text)
            size += len(text)
        if size > limit:
            break
    return "\n".join(parts)[:limit]
