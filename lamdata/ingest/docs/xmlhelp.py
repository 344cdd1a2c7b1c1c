"""XML help formats → block outline: DITA tasks, DocBook procedures, MAML (Windows help) and
Mallard pages (GNOME help, ``.page``).

All four say what HTML pages only suggest: a ``<steps>``/``<procedure>``/``<maml:steps>``
element holds the steps, each ``<step>`` (Mallard: ``<item>``) has its command (DITA ``<cmd>``,
else its paragraphs) and maybe ``<substeps>`` or a nested list; ``<info>``, ``<stepresult>``,
``<note>`` and Mallard's editorial ``<comment>`` are detail, not steps; a Mallard ``<list>`` is
ordered only with ``type="numbered"``. UI labels are ``<uicontrol>``, ``<guilabel>``,
``<guibutton>``, ``<guimenu>``, Mallard ``<gui>`` (a ``<menucascade>`` or ``<guiseq>`` reads
"File > Save"). Lexbor parses the XML leniently (no DTD); entities are resolved before by
``html_page.resolve_entities`` (internal-subset values one level deep and capped, so no entity
bombs; undefined ones keep their name) and the outline goes to the same extractor as HTML and
Markdown.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from lamdata.ingest.docs.base import ParsedDoc, Reader
from lamdata.ingest.docs.blocks import Block, Heading, Item, ListBlock, Para, outline_text
from lamdata.ingest.docs.lexicon import words
from lamdata.ingest.docs.outline import extract
from lamdata.ingest.docs.procedures import detect_lang, normalize_lang, squash

_PUNCT_SPACE = re.compile(r"\s+([.,;:!?])")
_TITLES = frozenset(words("title maml:title"))
_STEP_LISTS = frozenset(words("steps steps-unordered substeps maml:steps procedure maml:procedure"))
_STEPS = frozenset(words("step substep maml:step item"))
_LISTS = frozenset(words("ol ul orderedlist itemizedlist maml:list list"))
_LIST_ITEMS = frozenset(words("li listitem maml:listitem item"))
_UNORDERED = frozenset(words("steps-unordered ul itemizedlist"))
_PARAS = frozenset(words("p para simpara maml:para shortdesc context prereq result"))
_DETAIL = frozenset(
    words(
        "info stepresult stepxmp note tip important warning caution maml:alert maml:alertset "
        "fig figure image img indexterm draft-comment remark prolog metadata choicetable "
        "comment media terms"
    )
)
_TERMS = frozenset(
    words("uicontrol guilabel guibutton guimenu guimenuitem guisubmenu wintitle maml:ui b gui")
)
_SECTIONS = frozenset(
    words(
        "task concept reference topic section chapter article sect1 sect2 sect3 maml:section page"
    )
)


class _Text:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.terms: list[str] = []

    def add(self, node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self.parts.append(child.text_content or "")
            elif tag in _DETAIL or tag in _STEP_LISTS or tag in _LISTS:
                continue
            elif tag in ("menucascade", "menuchoice", "guiseq"):
                labels = [squash(c.text()) for c in child.iter() if c.tag in _TERMS]
                self.parts.append(" " + " > ".join(labels) + " ")
                self.terms.extend(labels)
            elif tag in _TERMS:
                start = len(self.parts)
                self.add(child)
                self.terms.append(squash("".join(self.parts[start:])))
            else:
                self.parts.append(" ")
                self.add(child)

    def text(self) -> str:
        return _PUNCT_SPACE.sub(r"\1", squash("".join(self.parts)))


def _item(step: LexborNode) -> Item:
    text = _Text()
    command = next((c for c in step.iter() if c.tag == "cmd"), None)
    text.add(command if command is not None else step)
    subs = [_list(c) for c in step.iter() if c.tag in _STEP_LISTS or c.tag in _LISTS]
    return Item(text.text(), text.terms, subs)


def _list(node: LexborNode) -> ListBlock:
    wanted = _LIST_ITEMS if node.tag in _LISTS else _STEPS
    items = [_item(c) for c in node.iter() if c.tag in wanted]
    if node.tag == "list":  # Mallard: bulleted unless type="numbered"
        ordered = (node.attributes.get("type") or "") == "numbered"
    else:
        ordered = node.tag not in _UNORDERED
    return ListBlock(ordered, items)


def xml_blocks(node: LexborNode, depth: int = 0, out: list[Block] | None = None) -> list[Block]:
    """Blocks of an XML help topic; a title's heading level is its section depth."""
    out = [] if out is None else out
    for child in node.iter():
        tag = child.tag
        if tag in _TITLES:
            out.append(Heading(max(1, min(depth, 6)), squash(child.text())))
        elif tag in ("procedure", "maml:procedure"):
            for title in (c for c in child.iter() if c.tag in _TITLES):
                out.append(Heading(min(depth + 1, 6), squash(title.text())))
            steps = next((c for c in child.iter() if c.tag == "maml:steps"), child)
            out.append(_list(steps))
        elif tag in _STEP_LISTS or tag in _LISTS:
            out.append(_list(child))
        elif tag in _DETAIL:
            out.append(Para(squash(child.text()), callout=True))
        elif tag in _PARAS:
            text = _Text()
            text.add(child)
            out.append(Para(text.text(), text.terms))
        else:
            xml_blocks(child, depth + 1 if tag in _SECTIONS else depth, out)
    return out


def read_xml_with(text: str, *, name: str, html: Reader) -> ParsedDoc:
    """The procedures of a DITA, DocBook, MAML or Mallard topic (XHTML goes to the HTML reader)."""
    if "<html" in text[:2000].lower():
        return html(text, name=name)
    tree = LexborHTMLParser(text)
    body = tree.body
    blocks = xml_blocks(body) if body is not None else []
    title = next((b.text for b in blocks if isinstance(b, Heading)), "")
    root = next(iter(body.iter()), None) if body is not None else None
    lang = normalize_lang(root.attributes.get("xml:lang") if root is not None else None)
    plain = outline_text(blocks)
    doc = ParsedDoc("help_doc", title, lang=lang, body=plain, outline=blocks)
    doc.procedures = extract(blocks, title=title, lang=lang or detect_lang(plain))
    return doc
