"""HTML help pages → block outline → procedures.

Support-article HTML varies a lot: old doctypes and ``<font>`` soup, lists nested in lists or
written as ``<br>``-separated numbered lines, steps in numbered table rows, notes as ``div.alert``
or ``<p><b>Note:</b>``, UI labels in ``b``/``strong``/``em``/``span.ui``, screenshots between steps.
Lexbor (through selectolax) parses any of it the way a browser would; one walk over the main
content (``main``, ``[role=main]`` or a lone ``article``, else ``body``) produces the outline that
``outline.extract`` reads. Navigation, footers, asides, scripts and forms are skipped. Page-level
facts (main content, title, declared app and language, truncation, XML entities) are in
``html_page.py``.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from lamdata.ingest.docs.base import ParsedDoc
from lamdata.ingest.docs.blocks import Block, Heading, Item, ListBlock, Other, Para, outline_text
from lamdata.ingest.docs.html_page import HEAD_TAIL, main_content, page_meta, page_title
from lamdata.ingest.docs.html_page import resolve_entities as resolve_entities  # re-exported
from lamdata.ingest.docs.lexicon import words
from lamdata.ingest.docs.outline import extract
from lamdata.ingest.docs.procedures import detect_lang, squash

_SKIP = frozenset(
    words(
        "script style noscript template nav footer aside select option svg iframe "
        "object embed head input textarea canvas video audio map title meta link -comment "
        "#comment"
    )
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = frozenset(
    words(
        "p div section article main header blockquote figure figcaption details summary center "
        "dl dt dd table pre hr ol ul menu address fieldset body html li tr td th tbody thead "
        "tfoot caption hgroup picture h1 h2 h3 h4 h5 h6"
    )
)
_BLOCK_SELECTOR = "h1, h2, h3, h4, h5, h6, ol, ul, p, div, table, section, article, main, pre"
_TERM_TAGS = frozenset(words("b strong em i"))
_TERM_CLASSES = frozenset(
    words(
        "ui uicontrol guilabel menuselection ui-label ui-element uilabel ui-text wintitle "
        "guimenu guimenuitem guibutton button menu menuitem menucascade emph keyword"
    )
)
_CALLOUT_CLASSES = frozenset(
    words(
        "note notes tip tips alert warning caution important callout admonition notice info "
        "hint danger ocpalert ocpnote alert-info alert-warning alert-note is-note box-note"
    )
)
_NOISE_CLASSES = frozenset(
    words(
        "nav navbar navigation breadcrumb breadcrumbs toc sidebar footer site-footer cookie "
        "cookies feedback related share social comments advert ads banner skip-link "
        "visually-hidden sr-only hidden step_num stepnum step-number"
        # DITA step details: the step is its command (span.cmd), the rest is detail
        " stepresult stepxmp itemgroup"
    )
)
_CALLOUT_TEXT = re.compile(
    r"^\s*(?:note|notes|tip|tips|important|warning|caution|remarque|hinweis|nota)\s*[:：]",
    re.I,
)

#: "1.On the main menu ..." (a number in its own ``<span>``, no space): a browser shows a
#: numbered step. Markdown is left alone: CommonMark reads ``1.On`` as a paragraph.
_GLUED_NUMBER = re.compile(r"^(\d{1,2})\.(?=[A-Z][a-z])")


def _para(text: str, terms: list[str]) -> Para:
    text = _GLUED_NUMBER.sub(r"\1. ", text, count=1)
    return Para(text, terms, bool(_CALLOUT_TEXT.match(text)))


def _classes(node: LexborNode) -> set[str]:
    value = node.attributes.get("class")
    return set(value.lower().split()) if value else set()


class _Inline:
    """Inline text of a paragraph or list item, with its UI terms, links and images."""

    __slots__ = ("alts", "last_real", "lead", "link_chars", "parts", "real", "terms")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.terms: list[str] = []
        self.real = False
        self.lead = ""
        self.link_chars = 0
        self.alts: list[tuple[int, bool]] = []
        self.last_real = -1

    def text(self, value: str | None) -> None:
        if value:
            self.parts.append(value.replace("\n", " ").replace("\r", " "))
            if value.strip():
                self.real = True
                self.last_real = len(self.parts) - 1

    def node(self, node: LexborNode) -> None:
        tag = node.tag
        if tag == "-text":
            self.text(node.text_content)
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "img":
            alt = squash(node.attributes.get("alt") or "")
            if alt and len(alt) <= 60:
                self.alts.append((len(self.parts), self.real))
                self.parts.append(f" {alt} ")
        elif tag in _SKIP or (tag == "sup" and "reference" in _classes(node)):
            return
        elif tag in _TERM_TAGS or (
            tag in ("span", "kbd", "code") and _classes(node) & _TERM_CLASSES
        ):
            self.term(node)
        elif tag == "a":
            start = self.size()
            self.children(node)
            self.link_chars += self.size() - start
        else:
            self.children(node)

    def children(self, node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            self.node(child)

    def term(self, node: LexborNode) -> None:
        at_start, start = not self.real, len(self.parts)
        self.children(node)
        term = squash("".join(self.parts[start:]))
        if term:
            if "whb" not in _classes(node):
                self.terms.append(term.strip(" :"))
            if at_start and not self.lead:
                self.lead = term

    def size(self) -> int:
        return sum(len(p) for p in self.parts)

    def joined(self) -> str:
        """The text; an image's alt text counts only inside a sentence (an icon for a button),
        not before or after it (a screenshot)."""
        for index, after_text in self.alts:
            if not after_text or index > self.last_real:
                self.parts[index] = " "
        lines = "".join(self.parts).split("\n")
        return "\n".join(s for s in (squash(ln) for ln in lines) if s)


class _Walker:
    """One pass over the DOM, appending blocks to ``out``."""

    def __init__(self) -> None:
        self.out: list[Block] = []
        self.acc = _Inline()

    def flush(self) -> None:
        text = self.acc.joined()
        if text:
            self.out.append(_para(text, self.acc.terms))
        self.acc = _Inline()

    def walk(self, node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self.acc.text(child.text_content)
            elif tag in _SKIP:
                continue
            elif tag not in _BLOCKS:
                if child.css_first(_BLOCK_SELECTOR) is None:
                    self.acc.node(child)
                else:  # <font> or <span> around headings and lists (old pages)
                    self.flush()
                    self.walk(child)
            else:
                self.flush()
                self.block(child, tag)
        self.flush()

    def block(self, node: LexborNode, tag: str) -> None:
        classes = _classes(node)
        if classes & _NOISE_CLASSES or node.attributes.get("role") == "navigation":
            return
        if tag in _HEADINGS:
            text = HEAD_TAIL.sub("", squash(node.text(deep=True, separator=" ")))
            if text:
                self.out.append(Heading(_HEADINGS[tag], text))
        elif tag in ("ol", "ul", "menu"):
            self.out.append(self.list_block(node))
        elif tag == "table":
            if node.css_first("h1, h2, h3, h4, h5, ol, ul") is not None:
                self.walk(node)  # a layout table (old pages) holds the article itself
            else:
                self.out.append(_step_table(node, self) or Other("table"))
        elif tag == "summary":  # <details><summary>Windows</summary>...: a small section
            text = squash(node.text(deep=True, separator=" "))
            if text:
                self.out.append(Heading(5, text))
        elif tag in ("pre", "hr", "figure", "picture"):
            self.out.append(Other(tag))
        elif tag == "blockquote" or classes & _CALLOUT_CLASSES or _is_callout_role(node):
            self.out.append(Para(squash(node.text(deep=True, separator=" ")), callout=True))
        elif tag == "p":
            acc = _Inline()
            acc.children(node)
            text = acc.joined()
            if text and acc.real:
                self.out.append(_para(text, acc.terms))
            elif text or node.css_first("img") is not None:
                self.out.append(Other("image"))
        else:
            self.walk(node)

    def list_block(self, node: LexborNode) -> ListBlock:
        try:
            start = int(node.attributes.get("start") or 1)
        except ValueError:
            start = 1
        items: list[Item] = []
        for child in node.iter():
            if child.tag == "li":
                items.append(self.item(child))
            elif child.tag in ("ol", "ul") and items:
                items[-1].sublists.append(self.list_block(child))
        return ListBlock(node.tag == "ol", items, start)

    def item(self, li: LexborNode) -> Item:
        acc = _Inline()
        sublists: list[ListBlock] = []
        self._item_content(li, acc, sublists)
        text = acc.joined().replace("\n", " ")
        link_only = bool(text) and acc.link_chars >= 0.9 * len(text)
        return Item(text, acc.terms, sublists, acc.lead, link_only)

    def _item_content(self, node: LexborNode, acc: _Inline, subs: list[ListBlock]) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag in ("ol", "ul"):
                subs.append(self.list_block(child))
            elif tag in _SKIP or tag in ("table", "figure", "picture", "hr"):
                continue
            elif tag == "pre":
                acc.text(f" {squash(child.text())} ")
            elif tag in _BLOCKS:
                if _is_callout(child) or _classes(child) & _NOISE_CLASSES:
                    continue
                acc.text(" ")
                self._item_content(child, acc, subs)
                acc.text(" ")
            else:
                acc.node(child)


def _is_callout_role(node: LexborNode) -> bool:
    return node.attributes.get("role") in ("note", "alert")


def _is_callout(node: LexborNode) -> bool:
    if node.tag == "blockquote" or _classes(node) & _CALLOUT_CLASSES or _is_callout_role(node):
        return True
    return node.tag in ("p", "div") and bool(_CALLOUT_TEXT.match(node.text(deep=True)[:40]))


def _step_table(table: LexborNode, walker: _Walker) -> ListBlock | None:
    """A table whose rows are numbered steps ("1 | Click ...") is a list in disguise."""
    items: list[Item] = []
    for row in table.css("tr"):
        cells = [c for c in row.iter() if c.tag in ("td", "th")]
        if len(cells) < 2:
            continue
        number = re.fullmatch(r"(?:step\s*)?(\d{1,2})[.):]?", squash(cells[0].text()), re.I)
        if not number:
            continue
        if int(number.group(1)) != len(items) + 1:
            return None
        acc = _Inline()
        for cell in cells[1:]:
            acc.text(" ")
            walker._item_content(cell, acc, [])
        items.append(Item(squash(acc.joined()), acc.terms))
    return ListBlock(True, items) if len(items) >= 2 else None


def html_blocks(root: LexborNode) -> list[Block]:
    walker = _Walker()
    walker.walk(root)
    return walker.out


def read_help_html(tree: LexborHTMLParser) -> ParsedDoc:
    """A support-article HTML page (already parsed) as procedures."""
    title = page_title(tree)
    app, lang = page_meta(tree)
    root = main_content(tree)
    blocks = html_blocks(root) if root is not None else []
    body = outline_text(blocks)
    doc = ParsedDoc("help_doc", title, app=app, lang=lang, body=body, outline=blocks)
    doc.procedures = extract(blocks, title=title, lang=_lang_for_rules(lang, body))
    return doc


def _lang_for_rules(declared: str | None, body: str) -> str:
    return declared or detect_lang(body)
