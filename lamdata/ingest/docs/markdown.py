"""Markdown help pages → block outline → procedures.

markdown-it-py (CommonMark) does the parsing, so ATX and setext headings, lazy ``1.`` numbering,
nested lists and fenced code inside list items come out right. Before parsing, the extras of
site generators are handled line by line: YAML (``---``) or TOML (``+++``) front matter is read
for ``title``, ``app`` and ``lang``; Hugo shortcodes (``{{< note >}}...{{< /note >}}``),
Docusaurus (``:::tip``) and MkDocs (``!!! warning``) admonitions are callouts and are dropped;
other shortcodes and Liquid tags are removed, keeping their inner text. GitHub/DocFX alerts
(``> [!NOTE]``) and every other blockquote are callouts. Raw HTML blocks go through the HTML
walker; inline ``<b>``/``<span class="ui">`` mark UI terms like ``**bold**`` and ``*em*`` do.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from lamdata.ingest.docs.base import ParsedDoc
from lamdata.ingest.docs.blocks import Block, Heading, Item, ListBlock, Other, Para, outline_text
from lamdata.ingest.docs.html import html_blocks
from lamdata.ingest.docs.html_page import parse_html
from lamdata.ingest.docs.lexicon import words
from lamdata.ingest.docs.markup import cap_lines
from lamdata.ingest.docs.outline import extract
from lamdata.ingest.docs.procedures import (
    detect_lang,
    normalize_app,
    normalize_lang,
    squash,
)

_CALLOUT_NAMES = (
    "note|notes|tip|tips|warning|caution|important|alert|info|hint|danger|notice|callout|"
    "admonition|attention|aside"
)
_PAIRED_CALLOUT = re.compile(
    rf"\{{\{{[<%]\s*({_CALLOUT_NAMES})\b[^}}]{{0,500}}[>%]\}}\}}"
    r"[\s\S]{0,20000}?\{\{[<%]\s*/\s*\1\s*[>%]\}\}",
    re.I,
)
_LABEL_SHORTCODE = re.compile(
    r"\{\{[<%]\s*(ui|uicontrol|guilabel|button|menu|kbd|key|keys)\s+\"?([^\"}]*?)\"?\s*[>%]\}\}",
    re.I,
)
_SHORTCODE = re.compile(
    r"\{\{[<%][^{}]{0,2000}[>%]\}\}|\{%[^{}]{0,2000}%\}|\{\{[^{}]{0,2000}\}\}"
    r"|\{:[^}\n]{0,200}\}"
)
_FENCE_ADMONITION = re.compile(r"^\s*:::+\s*(\w+)?")
#: A directive that opens and closes on its line (DocFX ``:::image ... :::``, ``:::row:::``).
_ONE_LINE_DIRECTIVE = re.compile(r"^\s*:::+\s*[\w-]+.*:::+\s*$")
#: The ``:::`` blocks that are callouts; others (``:::zone``, ``:::moniker``, ``:::row``) only
#: wrap content, so their lines go and the content stays.
_ADMONITIONS = frozenset(
    words("note tip info important warning caution danger success details hint attention")
)
_MKDOCS_ADMONITION = re.compile(r"^(\s*)(?:!!!|\?\?\?\+?)\s*\w+")
_DOCFX_INCLUDE = re.compile(r"\[!INCLUDE\s*\[[^\]]*\]\([^)]*\)\]", re.I)
_ALERT = re.compile(r"^\s*\[!(\w+)\]")
_CALLOUT_TEXT = re.compile(
    r"^\s*\**(?:note|notes|tip|tips|important|warning|caution)\**\s*[:：]", re.I
)
_TERM_OPEN = re.compile(
    r"^<(b|strong|em|i)\b|^<(?:span|kbd)\b[^>]*class=\"[^\"]*\b(ui|uicontrol|guilabel)\b", re.I
)
_TERM_CLOSE = re.compile(r"^</(b|strong|em|i|span|kbd)\s*>", re.I)


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter, the rest) — YAML between ``---`` lines or TOML between ``+++`` lines."""
    for fence, load in (("---", _yaml), ("+++", _toml)):
        if text.startswith(fence + "\n") or text.startswith(fence + "\r\n"):
            end = re.search(rf"^(?:{re.escape(fence)}|\.\.\.)\s*$", text[4:], re.M)
            if end:
                data = load(text[4 : 4 + end.start()])
                rest = text[4 + end.end() :]
                head_lines = text[: 4 + end.end()].count("\n")
                return data, "\n" * head_lines + rest
    return {}, text


def _yaml(text: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def preprocess(text: str) -> str:
    """Remove site-generator syntax that CommonMark would show as text."""
    text = _PAIRED_CALLOUT.sub("", text)
    text = _LABEL_SHORTCODE.sub(lambda m: f"**{m.group(2)}**" if m.group(2) else "", text)
    text = _SHORTCODE.sub("", _DOCFX_INCLUDE.sub("", text))
    out: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE_ADMONITION.match(line)
        mkdocs = _MKDOCS_ADMONITION.match(line)
        if _ONE_LINE_DIRECTIVE.match(line) or (fence and not _is_admonition(fence.group(1))):
            pass
        elif fence:
            end = _fence_end(lines, i + 1)
            if end is None:
                out.append(line)
            else:
                i = end
        elif mkdocs:
            indent = len(mkdocs.group(1))
            i += 1
            while i < len(lines) and (
                not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent
            ):
                i += 1
            continue
        else:
            out.append(line)
        i += 1
    return "\n".join(out)


def _is_admonition(name: str | None) -> bool:
    return name is not None and name.lower() in _ADMONITIONS


def _fence_end(lines: list[str], start: int) -> int | None:
    """The line closing a ``:::`` callout, or None when nothing closes it (then it is text)."""
    for j in range(start, min(len(lines), start + 400)):
        if re.match(r"^\s*:::+\s*$", lines[j]):
            return j
    return None


class _Tokens:
    """A cursor over markdown-it's flat token stream, building blocks."""

    def __init__(self, tokens: list[Token]) -> None:
        self.t = tokens
        self.i = 0

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        while self.i < len(self.t):
            tok = self.t[self.i]
            kind = tok.type
            if kind == "heading_open":
                text, _terms, _lead, _links = inline_text(self.t[self.i + 1])
                out.append(Heading(int(tok.tag[1]), squash(text)))
                self.i += 3
            elif kind == "paragraph_open":
                out.append(self.paragraph())
            elif kind in ("bullet_list_open", "ordered_list_open"):
                out.append(self.list_block())
            elif kind == "blockquote_open":
                out.append(Para(self.skip_block(), callout=True))
            elif kind == "html_block":
                out.extend(self.html(tok.content))
                self.i += 1
            elif kind in ("fence", "code_block", "hr"):
                out.append(Other(kind))
                self.i += 1
            elif kind == "table_open":
                self.skip_block()
                out.append(Other("table"))
            else:
                self.i += 1
        return out

    def paragraph(self) -> Block:
        text, terms, _lead, _links = inline_text(self.t[self.i + 1])
        self.i += 3
        if not text.strip():
            return Other("image")
        return Para(text, terms, bool(_CALLOUT_TEXT.match(text) or _ALERT.match(text)))

    def skip_block(self) -> str:
        """Skip a container (blockquote, table) and return its text."""
        depth, parts = 0, []
        while self.i < len(self.t):
            tok = self.t[self.i]
            depth += tok.nesting
            if tok.type == "inline":
                parts.append(tok.content)
            self.i += 1
            if depth <= 0:
                break
        return squash(" ".join(parts))

    def html(self, content: str) -> list[Block]:
        tree = parse_html(content)
        root = tree.body
        return html_blocks(root) if root is not None else []

    def list_block(self) -> ListBlock:
        open_tok = self.t[self.i]
        close = open_tok.type.replace("_open", "_close")
        start = int(open_tok.attrGet("start") or 1) if open_tok.attrGet("start") else 1
        block = ListBlock(open_tok.type == "ordered_list_open", [], start)
        self.i += 1
        while self.i < len(self.t) and self.t[self.i].type != close:
            if self.t[self.i].type == "list_item_open":
                self.i += 1
                block.items.append(self.item())
            else:
                self.i += 1
        self.i += 1
        return block

    def item(self) -> Item:
        parts: list[str] = []
        item = Item("")
        while self.i < len(self.t) and self.t[self.i].type != "list_item_close":
            tok = self.t[self.i]
            if tok.type == "paragraph_open":
                text, terms, lead, links = inline_text(self.t[self.i + 1])
                self.i += 3
                if _CALLOUT_TEXT.match(text):
                    continue
                if not parts:
                    item.lead = lead
                    item.link_only = bool(text) and links >= 0.9 * len(text)
                parts.append(text)
                item.terms.extend(terms)
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                item.sublists.append(self.list_block())
            elif tok.type in ("fence", "code_block"):
                parts.append(squash(tok.content))
                self.i += 1
            elif tok.type in ("blockquote_open", "table_open"):
                self.skip_block()
            elif tok.type == "inline":
                text, terms, _lead, _links = inline_text(tok)
                parts.append(text)
                item.terms.extend(terms)
                self.i += 1
            else:
                self.i += 1
        self.i += 1
        item.text = squash(" ".join(parts))
        if parts and item.link_only and len(parts) > 1:
            item.link_only = False
        return item


def inline_text(token: Token) -> tuple[str, list[str], str, int]:
    """(text, UI terms, leading bold text, characters inside links) of an inline token."""
    parts: list[str] = []
    terms: list[str] = []
    opened: list[int] = []
    lead, links, link_start = "", 0, -1
    for child in token.children or []:
        kind = child.type
        if kind in ("text", "code_inline"):
            parts.append(child.content)
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind in ("strong_open", "em_open"):
            opened.append(len(parts))
        elif kind in ("strong_close", "em_close") and opened:
            start = opened.pop()
            term = squash("".join(parts[start:]))
            if term:
                terms.append(term)
                if not "".join(parts[:start]).strip() and not lead:
                    lead = term
        elif kind == "image":
            alt = squash(child.content)
            if alt:
                parts.append(f" {alt} ")
        elif kind == "link_open":
            link_start = len("".join(parts))
        elif kind == "link_close" and link_start >= 0:
            links += len("".join(parts)) - link_start
        elif kind == "html_inline":
            _html_inline(child.content, parts, opened, terms)
    text = "".join(parts)
    if "**" in text or "__" in text:
        text = _loose_strong(text, terms)
    return text, terms, lead, links


_LOOSE_STRONG = re.compile(r"(\*\*|__)[ \t]*([^*_\n]{1,60}?)[ \t]*\1")


def _loose_strong(text: str, terms: list[str]) -> str:
    """Bold that CommonMark leaves as text ("on the** File** menu"): a UI label all the same."""

    def label(match: re.Match[str]) -> str:
        terms.append(match.group(2))
        return f" {match.group(2)} "

    text = _LOOSE_STRONG.sub(label, text)
    return re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", text))


def _html_inline(tag: str, parts: list[str], opened: list[int], terms: list[str]) -> None:
    if re.match(r"^<br\s*/?>$", tag, re.I):
        parts.append("\n")
    elif _TERM_OPEN.match(tag):
        opened.append(len(parts))
    elif _TERM_CLOSE.match(tag) and opened:
        term = squash("".join(parts[opened.pop() :]))
        if term:
            terms.append(term)


def read_markdown(text: str, *, name: str) -> ParsedDoc:
    """The procedures of a Markdown help page."""
    meta, body = front_matter(text.lstrip("\ufeff"))
    body, long_line = cap_lines(body)
    blocks = _Tokens(_parser().parse(preprocess(body))).blocks()
    title = squash(str(meta.get("title") or "")) or next(
        (b.text for b in blocks if isinstance(b, Heading) and b.level == 1), ""
    )
    app = normalize_app(_first(meta, "app", "application", "product", "software", "ms.prod"))
    lang = normalize_lang(_first(meta, "lang", "language", "locale", "ms.locale"))
    plain = outline_text(blocks)
    doc = ParsedDoc("help_doc", title, app=app, lang=lang, body=plain, outline=blocks)
    doc.procedures = extract(blocks, title=title, lang=lang or detect_lang(plain))
    doc.issues.extend([long_line] if long_line else [])
    return doc


def _first(meta: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = meta.get(key)
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, str | int | float) and str(value).strip():
            return str(value)
    return None
