"""What template choice knows about each template: its description and its actual content.

A template's *terms* are the content words of its description (minus what the description
negates: "no total yet", "with no text") plus the kinds of content its initial document really
holds (paragraphs, headings, tables, comments, cells with numbers, charts, slides, pictures...).
The app's *kinds* are every content kind its document kind can hold, so a task about comments
on a word processor whose templates have none is a ``template_miss``, not a pick at random.
"""

from __future__ import annotations

import re
from typing import Any

from lamdata.env import AppModel, Template
from lamdata.instantiate.choose import TemplateCard
from lamdata.instantiate.text import content_words

_NEGATED = re.compile(r"\b(?:no|without|not|empty|blank)\b([^,.;:()]*)", re.I)
#: Words every template of an app would cover: they say nothing about content.
GENERIC = frozenset(
    [
        "document",
        "file",
        "workbook",
        "sheet",
        "spreadsheet",
        "presentation",
        "deck",
        "page",
        "new",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
    ]
)

KINDS: dict[str, frozenset[str]] = {
    "document": frozenset(
        [
            "text",
            "paragraph",
            "sentence",
            "title",
            "heading",
            "list",
            "bullet",
            "numbered",
            "table",
            "row",
            "column",
            "picture",
            "image",
            "comment",
            "break",
        ]
    ),
    "spreadsheet": frozenset(
        [
            "data",
            "cell",
            "value",
            "number",
            "column",
            "row",
            "header",
            "formula",
            "chart",
            "date",
            "duplicate",
            "text",
        ]
    ),
    "presentation": frozenset(
        [
            "slide",
            "title",
            "text",
            "body",
            "bullet",
            "picture",
            "photo",
            "table",
            "note",
            "section",
        ]
    ),
}


def description_terms(description: str) -> set[str]:
    negated = {w for m in _NEGATED.finditer(description) for w in content_words(m.group(1))}
    return set(content_words(description)) - negated - GENERIC


def content_terms(kind: str, doc: dict[str, Any]) -> set[str]:
    """Kinds of content the document holds."""
    if kind == "document":
        return _document_terms(doc)
    if kind == "spreadsheet":
        return _sheet_terms(doc)
    if kind == "presentation":
        return _slides_terms(doc)
    return set()


def _document_terms(doc: dict[str, Any]) -> set[str]:
    paras = [p for p in doc.get("paragraphs", []) if p["text"].strip()]
    found = {"text", "paragraph", "sentence", "word"} if paras else set()
    styles = {p["style"] for p in paras}
    found |= {"title"} if "Title" in styles else set()
    found |= {"heading"} if any(s.startswith("Heading") for s in styles) else set()
    lists = {p["list"] for p in paras if p.get("list")}
    found |= {"list", "bullet"} if "bullet" in lists else set()
    found |= {"list", "numbered"} if "number" in lists else set()
    found |= {"table", "row", "column"} if doc.get("tables") else set()
    found |= {"picture", "image"} if doc.get("pictures") else set()
    found |= {"comment"} if doc.get("comments") else set()
    found |= {"break"} if doc.get("page_breaks") else set()
    return found


def _sheet_terms(doc: dict[str, Any]) -> set[str]:
    cells = [c for c in doc.get("cells", {}).values() if c.get("value") not in (None, "")]
    found = {"data", "cell", "value", "column", "row"} if cells else set()
    values = [c["value"] for c in cells]
    found |= {"number"} if any(isinstance(v, int | float) for v in values) else set()
    found |= {"text", "header"} if any(isinstance(v, str) for v in values) else set()
    found |= {"formula", "total"} if any(c.get("formula") for c in cells) else set()
    found |= {"chart"} if doc.get("charts") else set()
    found |= {"filter"} if doc.get("filter") else set()
    return found


def _slides_terms(doc: dict[str, Any]) -> set[str]:
    slides = doc.get("slides", [])
    found = {"slide", "layout", "theme"} if slides else set()
    found |= {"title"} if any(s.get("title") for s in slides) else set()
    found |= {"text", "body", "bullet"} if any(s.get("body") for s in slides) else set()
    found |= {"picture", "photo"} if any(s.get("pictures") for s in slides) else set()
    found |= {"table"} if any(s.get("tables") for s in slides) else set()
    found |= {"note"} if any(s.get("notes") for s in slides) else set()
    found |= (
        {"transition"} if any(s.get("transition") not in (None, "None") for s in slides) else set()
    )
    found |= {"section"} if any(s.get("layout") == "Section Header" for s in slides) else set()
    return found


def template_card(kind: str, template: Template) -> TemplateCard:
    terms = description_terms(template.description) | content_terms(kind, template.document)
    return TemplateCard(
        id=template.id,
        app=template.app,
        description=template.description,
        content_hash=template.content_hash,
        terms=frozenset(terms),
    )


def app_cards(model: AppModel) -> tuple[list[TemplateCard], frozenset[str]]:
    """Cards of every template of ``model`` and the content kinds its documents can hold."""
    cards = [template_card(model.document_kind, t) for t in model.templates.values()]
    return cards, KINDS.get(model.document_kind, frozenset()) - GENERIC


#: Words of a task that imply content it acts on, per document kind.
_IMPLIED: dict[str, tuple[tuple[frozenset[str], str], ...]] = {
    "document": (
        (
            frozenset(
                [
                    "bold",
                    "italic",
                    "underline",
                    "font",
                    "size",
                    "color",
                    "align",
                    "alignment",
                    "center",
                    "justify",
                    "bullet",
                    "bulleted",
                    "numbering",
                    "style",
                    "spacing",
                    "highlight",
                    "format",
                    "formatting",
                    "replace",
                    "find",
                    "search",
                    "word",
                    "sentence",
                    "delete",
                    "comment",
                ]
            ),
            "text",
        ),
    ),
    "spreadsheet": (
        (
            frozenset(
                ["chart", "sum", "autosum", "total", "average", "currency", "percentage", "decimal"]
            ),
            "number",
        ),
        (frozenset(["sort", "filter", "bold", "italic", "fill", "merge", "wrap"]), "data"),
    ),
    "presentation": (
        (frozenset(["bold", "italic", "underline", "font", "size", "center", "bullet"]), "text"),
    ),
}


def implied_needs(kind: str, task: str) -> set[str]:
    """Content a task needs without naming it ("make it bold" needs text to format)."""
    words = set(content_words(task))
    return {need for trigger, need in _IMPLIED.get(kind, ()) if words & trigger}
