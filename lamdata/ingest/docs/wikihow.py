"""WikiHow-style articles: one goal ("How to ..."), methods or parts, numbered steps.

Their rules differ from support articles in three ways:
- a step's first sentence (its bold headline when marked up) is the step, the rest is detail;
- "Method 1 of 3: ..." sections are alternatives, so each is its own procedure whose task joins
  the article's goal with the method ("Insert a table in Word using the Insert tab"), while
  "Part 1 of 3: ..." sections are stages of one procedure and are joined in order;
- "Tips", "Warnings", "Things You'll Need", "References" and the like hold no steps.
The same assembly serves HTML pages and plain-text dumps; JSON/CSV dumps are in ``dumps.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from lamdata.ingest.docs.base import ParsedDoc, Procedure, Step
from lamdata.ingest.docs.blocks import Block, Heading, ListBlock, coalesce, outline_text
from lamdata.ingest.docs.html import html_blocks
from lamdata.ingest.docs.html_page import main_content, page_meta, page_title
from lamdata.ingest.docs.outline import item_step
from lamdata.ingest.docs.procedures import (
    imperative,
    is_non_procedure_section,
    is_reference_list,
    method_task,
    squash,
)

_SECTION = re.compile(r"^(method|part)\s*(\d+)(?:\s*of\s*\d+)?\b\s*[:.\-–—]?\s*(.*)$", re.I)
_MARKERS = re.compile(r"\b(?:Method|Part) \d+ of \d+\b|\bclass=\"[^\"]*\b(?:steps_list|whb)\b")


_SITE = re.compile(r"<title>[^<]*wikihow|og:site_name[^>]*wikihow|wikihow[^>]*og:site_name", re.I)


@dataclass
class _Section:
    kind: str
    label: str
    name: str
    steps: list[Step] = field(default_factory=list)


def looks_like_wikihow_html(text: str) -> bool:
    """WikiHow markup, "Method 1 of 3" sections, or wikiHow named in the title or site name."""
    head = text[:300_000]
    return _MARKERS.search(head) is not None or _SITE.search(head[:20_000]) is not None


def looks_like_wikihow_text(title: str, blocks: list[Block]) -> bool:
    if title.lower().startswith("how to "):
        return True
    return any(isinstance(b, Heading) and _SECTION.match(b.text) for b in blocks)


def assemble(blocks: list[Block], title: str) -> list[Procedure]:
    """Procedures of a WikiHow-style outline: one per method, or one for all parts."""
    title = squash(title)
    goal, _ = imperative(title)
    sections: list[_Section] = []
    skip = False
    for block in coalesce(blocks):
        if isinstance(block, Heading):
            text = squash(block.text)
            if block.level == 1 and text == title:
                continue
            match = _SECTION.match(text)
            skip = match is None and is_non_procedure_section(text)
            if match:
                sections.append(_Section(match.group(1).lower(), text, match.group(3)))
            elif not skip and block.level <= 3:
                sections.append(_Section("section", text, text))
        elif isinstance(block, ListBlock) and not skip and block.ordered:
            if not sections:
                sections.append(_Section("section", "", ""))
            items = [i for i in block.items if not i.link_only]
            steps = [s for s in (item_step(i, lead_only=True) for i in items) if s]
            if not is_reference_list([s.text for s in steps]):
                sections[-1].steps.extend(steps)
    return _procedures(goal, title, [s for s in sections if s.steps])


def _procedures(goal: str, title: str, sections: list[_Section]) -> list[Procedure]:
    parts = [s for s in sections if s.kind == "part"]
    if parts and not any(s.kind == "method" for s in sections):
        steps = [step for s in sections for step in s.steps]
        return [Procedure(goal or title, steps, title)]
    out = []
    for section in sections:
        task = method_task(goal, section.name) if section.name else goal
        locator = " > ".join(p for p in (title, section.label) if p)
        if task:
            out.append(Procedure(task, section.steps, locator))
    return out


def read_wikihow_tree(tree: LexborHTMLParser) -> ParsedDoc:
    """A WikiHow-style HTML page (already parsed) as procedures."""
    title = page_title(tree)
    root = main_content(tree)
    blocks = html_blocks(root) if root is not None else []
    app, lang = page_meta(tree)
    doc = ParsedDoc("wikihow", title, app=app, lang=lang, body=outline_text(blocks), outline=blocks)
    doc.procedures = assemble(blocks, title)
    return doc
