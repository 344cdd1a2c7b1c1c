"""Model-assisted extraction (``ingest docs --llm openai:MODEL``): the text a model reads, the
request, and how its answer becomes procedures.

Design notes
- Which documents: those a markup reader turned into a block outline (HTML, Markdown, plain
  text, DITA/DocBook/MAML; help pages and WikiHow-style articles). Structured inputs (UFO task
  files, JSON/CSV/JSONL WikiHow dumps) are already procedures: they keep the rule path.
- What is sent: the outline as clean text, not the markup: ``#`` headings (the title first),
  paragraphs, numbered and bulleted lists with their sub-lists indented, ``[table]``-style
  placeholders for other matter. At most ``MAX_CHARS`` characters (about 6k tokens), cut at a
  block boundary with a line saying how many blocks were left out.
- The answer (schema ``llm_extract``) is checked beyond its schema here: steps are cleaned like
  the rule path's (numbering and inline markup stripped; UI labels from ``**bold**`` markup, else
  from plain text by :func:`text_terms`, the rule extractor's plain-text label finder: quoted
  labels, "the X tab/button", "Click X"), blank steps are dropped, and a procedure left without
  steps is reported, not kept. The section the model names must be one of the headings sent
  (matched on its last heading, case and punctuation aside); otherwise the procedure is placed
  under the title and counted as unmatched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lamdata.ingest.docs.base import ParsedDoc, Procedure, Step
from lamdata.ingest.docs.blocks import Heading, ListBlock, Para
from lamdata.ingest.docs.markup import strip_inline_markup
from lamdata.ingest.docs.procedures import (
    heading_key,
    make_step,
    normalize_app,
    squash,
)
from lamdata.llm import LLMRequest, build_messages

EXTRACT_PROMPT = "extract.v1"
EXTRACT_SCHEMA = "llm_extract"
#: Characters of document text sent per request (about 6k tokens of English).
MAX_CHARS = 24_000
#: Output budget of one answer (a long page with many procedures fits).
PARAMS = {"max_tokens": 4096}
MODEL_KINDS = ("help_doc", "wikihow")
_PATH_SEP = re.compile(r"\s*[>›»]\s*")


@dataclass
class DocView:
    """The text sent for one document and the headings it showed (key → heading paths)."""

    title: str
    text: str = ""
    clipped: int = 0
    sections: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)

    def locate(self, section: str) -> tuple[str, bool]:
        """(locator, found) for the model's section: the full heading path of a heading that
        was sent, else the title."""
        title_key = heading_key(self.title)
        keys = [heading_key(p) for p in _PATH_SEP.split(squash(section)) if p.strip()]
        while keys and keys[0] == title_key:
            keys.pop(0)
        if not keys:
            return self.title, True
        candidates = self.sections.get(keys[-1], [])
        for locator, path in candidates:
            if all(k in path for k in keys):
                return locator, True
        return (candidates[0][0], True) if candidates else (self.title, False)


def wants_model(doc: ParsedDoc) -> bool:
    """Does this document go to the model (prose with an outline), or keep the rule path?"""
    return bool(doc.outline) and doc.kind in MODEL_KINDS


def render(doc: ParsedDoc, budget: int = MAX_CHARS) -> DocView:
    """The document as clean text for the model, clipped to ``budget`` characters."""
    title = squash(doc.title)
    view = DocView(title)
    levels = sorted(
        {
            b.level
            for b in doc.outline
            if isinstance(b, Heading) and not (b.level == 1 and squash(b.text) == title)
        }
    )
    rank = {level: min(i + 2, 6) for i, level in enumerate(levels)}
    stack: list[tuple[int, str]] = []
    chunks = [f"# {title}"] if title else []
    size = len(chunks[0]) if chunks else 0
    for index, block in enumerate(doc.outline):
        if isinstance(block, Heading):
            text = squash(block.text)
            if not stack and block.level == 1 and text == title:
                continue
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, text))
            chunk = f"{'#' * rank[block.level]} {text}"
        elif isinstance(block, Para):
            chunk = ("> " if block.callout else "") + squash(block.text)
        elif isinstance(block, ListBlock):
            chunk = "\n".join(_list_lines(block, ""))
        else:
            chunk = f"[{block.kind}]"
        if size + len(chunk) + 2 > budget:
            view.clipped = len(doc.outline) - index
            if not chunks:
                chunks.append(chunk[:budget])
            break
        chunks.append(chunk)
        size += len(chunk) + 2
        if isinstance(block, Heading):
            _add_section(view, [t for _, t in stack])
    if view.clipped:
        chunks.append(
            f"[The document is clipped here: {view.clipped} more block(s) not shown. "
            "Extract only what is above.]"
        )
    view.text = "\n\n".join(chunks)
    return view


def _add_section(view: DocView, path: list[str]) -> None:
    locator = " > ".join(p for p in [view.title, *path] if p)
    keys = [heading_key(p) for p in path]
    view.sections.setdefault(keys[-1], []).append((locator, keys))


def _list_lines(block: ListBlock, indent: str) -> list[str]:
    lines: list[str] = []
    for number, item in enumerate(block.items, start=block.start):
        marker = f"{number}." if block.ordered else "-"
        lines.append(f"{indent}{marker} {squash(item.text)}")
        for sub in item.sublists:
            lines.extend(_list_lines(sub, indent + "   "))
    return lines


def extract_request(doc: ParsedDoc, *, uri: str, app: str | None) -> tuple[LLMRequest, DocView]:
    """The request for one document (``app``: the app given or declared, if any)."""
    view = render(doc)
    messages = build_messages(
        EXTRACT_PROMPT,
        EXTRACT_SCHEMA,
        app=app or "unknown",
        kind="WikiHow-style article" if doc.kind == "wikihow" else "help page",
        title=view.title or "(none)",
        document=view.text,
    )
    return LLMRequest(uri, EXTRACT_PROMPT, EXTRACT_SCHEMA, messages, dict(PARAMS)), view


@dataclass
class Extraction:
    """What an answer gave: procedures, those dropped for having no steps, unmatched sections."""

    procedures: list[Procedure] = field(default_factory=list)
    empty: list[dict[str, Any]] = field(default_factory=list)
    unmatched_sections: int = 0


def from_answer(value: dict[str, Any], view: DocView) -> Extraction:
    """Procedures from a schema-valid answer (see the module notes for the checks)."""
    out = Extraction()
    for answer in value["procedures"]:
        task = squash(str(answer["task"])).rstrip(" .:")
        steps = [s for s in (_step(str(text)) for text in answer["steps"]) if s is not None]
        if not steps or not task:
            out.empty.append(answer)
            continue
        locator, found = view.locate(str(answer.get("section") or ""))
        out.unmatched_sections += not found
        app = normalize_app(answer.get("app"))
        out.procedures.append(Procedure(task, steps, locator, app=app, title=view.title))
    return out


def _step(text: str) -> Step | None:
    plain, terms = strip_inline_markup(squash(text))
    return make_step(plain, terms)
