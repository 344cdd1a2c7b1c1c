"""Which reader reads a file: by its suffix (looking through ``.gz``), else by its first bytes."""

from __future__ import annotations

import re
from pathlib import Path

from lamdata.ingest.docs.base import DocError, ParsedDoc, Reader
from lamdata.ingest.docs.blocks import outline_text
from lamdata.ingest.docs.dumps import read_csv, read_json, read_jsonl
from lamdata.ingest.docs.html import read_help_html
from lamdata.ingest.docs.html_page import check_truncation, parse_html, resolve_entities
from lamdata.ingest.docs.markdown import read_markdown
from lamdata.ingest.docs.markup import cap_lines
from lamdata.ingest.docs.outline import extract
from lamdata.ingest.docs.procedures import detect_lang
from lamdata.ingest.docs.text import text_blocks
from lamdata.ingest.docs.wikihow import (
    assemble,
    looks_like_wikihow_html,
    looks_like_wikihow_text,
    read_wikihow_tree,
)
from lamdata.ingest.docs.xmlhelp import read_xml_with
from lamdata.ingest.files import logical_suffix


def read_html(text: str, *, name: str) -> ParsedDoc:
    """An HTML page: WikiHow-style pages get the WikiHow rules, others the support-page rules."""
    if name.lower().endswith((".xhtml", ".xml")) or text.lstrip("\ufeff \t\r\n")[:5] == "<?xml":
        text = resolve_entities(text)
    tree = parse_html(text)
    doc = read_wikihow_tree(tree) if looks_like_wikihow_html(text) else read_help_html(tree)
    check_truncation(text, doc)
    return doc


def read_text(text: str, *, name: str) -> ParsedDoc:
    """A plain-text how-to: WikiHow-style when titled "How to ..." or split in methods/parts."""
    text, long_line = cap_lines(text)
    title, blocks = text_blocks(text)
    title = title[:300]
    body = outline_text(blocks)
    if looks_like_wikihow_text(title, blocks):
        doc = ParsedDoc("wikihow", title, assemble(blocks, title), body=body, outline=blocks)
    else:
        procedures = extract(blocks, title=title, lang=detect_lang(body))
        doc = ParsedDoc("help_doc", title, procedures, body=body, outline=blocks)
    doc.issues.extend([long_line] if long_line else [])
    return doc


def read_xml(text: str, *, name: str) -> ParsedDoc:
    """DITA, DocBook, MAML or Mallard topics; XHTML files go to the HTML reader."""
    return read_xml_with(resolve_entities(text), name=name, html=read_html)


READERS: dict[str, Reader] = {
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".shtml": read_html,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".mdx": read_markdown,
    ".mkd": read_markdown,
    ".txt": read_text,
    ".text": read_text,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".csv": read_csv,
    ".tsv": read_csv,
    ".xml": read_xml,
    ".dita": read_xml,
    ".dbk": read_xml,
    ".docbook": read_xml,
    ".maml": read_xml,
    ".page": read_xml,
}

#: The suffixes looked for inside folders and globs.
DOC_SUFFIXES = tuple(READERS)


def reader_for(path: Path, text: str) -> Reader:
    """The reader for a file; unknown suffixes are sniffed from the first characters."""
    reader = READERS.get(logical_suffix(path))
    if reader is not None:
        return reader
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith(("<!doctype html", "<html", "<head", "<body", "<!--")):
        return read_html
    if head.startswith(("<?xml", "<page ")):
        return read_xml
    if re.match(r"(?:\{\s*\"|\[\s*[\[{\"\]])", head):
        return read_json
    raise DocError(
        "unsupported_format",
        f"unknown document format {logical_suffix(path) or '(no suffix)'}",
    )
