"""Plain-text help documents → block outline (WikiHow dumps, README-style how-tos).

Plain text has no markup, so structure comes from line shapes: the first line is the title;
numbered lines ("1.", "2)", "Step 3:") are steps, and lines that follow a step without a blank
line are its wrapped continuation; indented or bulleted lines under a step are its sub-steps (or,
in WikiHow dumps, its detail); "Method 1 of 3: ...", "Part 2", "Tips", Markdown-style "# ..."
and underlined lines are headings, and so is a short line standing alone before a list, or
one right above its intro line (no blank line between, see ``_glued_heading``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lamdata.ingest.docs.blocks import Block, Heading, Item, ListBlock, Para
from lamdata.ingest.docs.intro import parse_intro
from lamdata.ingest.docs.markup import strip_inline_markup
from lamdata.ingest.docs.procedures import (
    is_non_procedure_section,
    squash,
)

_NUMBERED = re.compile(r"^\s*(?:step\s*\d{1,2}\s*[:.)\-–—]?|\d{1,2}[.)])\s+\S", re.I)
_BULLET = re.compile(r"^\s*[-*•·▪◦+]\s+\S")
_METHOD = re.compile(r"^\s*(?:method|part)\s*\d+\b", re.I)
_ATX = re.compile(r"^\s*(#{1,6})\s+(.*?)\s*#*\s*$")
_UNDERLINE = re.compile(r"^\s*(=+|-+)\s*$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _is_heading(lines: list[str], i: int) -> bool:
    line = lines[i].strip()
    if not line or _NUMBERED.match(line) or _BULLET.match(line):
        return False
    if _METHOD.match(line) or is_non_procedure_section(line) or _glued_heading(lines, i):
        return True
    if len(line) > 80 or line[-1] in ".,;!" or _indent(lines[i]):
        return False
    if line[-1] == ":" and ("," in line or len(line.split()) > 8):
        return False  # a lead-in sentence ("If it is too long, renaming it is quick:")
    before = i == 0 or not lines[i - 1].strip()
    nxt = next((ln for ln in lines[i + 1 :] if ln.strip()), "")
    return before and bool(_NUMBERED.match(nxt))


def _glued_heading(lines: list[str], i: int) -> bool:
    """A heading with its intro line right under it, no blank line between: a short line
    without end punctuation, after a blank line or a finished sentence, before a line that
    starts a sentence and is an intro line ("To print, follow these steps:") or under a
    line in Title Case ("Using the Alt Key")."""
    line = lines[i].strip()
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    if i == 0 or len(line) > 80 or line[-1] in ".,;:!" or _indent(lines[i]) or " " not in line:
        return False
    if not line[0].isupper() or lines[i - 1].strip()[-1:] not in ("", ".", "!", "?", ":"):
        return False
    after = nxt.strip()
    if not after or _indent(nxt) or not after[0].isupper() or _NUMBERED.match(after):
        return False
    if _BULLET.match(after):
        return False
    long_words = [w for w in line.split() if len(w) > 3 and w[0].isalpha()]
    title_case = bool(long_words) and all(w[0].isupper() for w in long_words)
    return title_case or parse_intro(after)[1] in ("goal", "steps")


def text_blocks(text: str) -> tuple[str, list[Block]]:
    """(title, blocks) of a plain-text document."""
    reader = _TextReader(text.splitlines())
    i = 0
    while i < len(reader.lines):
        i += reader.take(i)
    reader.flush_para()
    return reader.title, reader.out


@dataclass
class _TextReader:
    """The state of reading one text document, line by line."""

    lines: list[str]
    out: list[Block] = field(default_factory=list)
    title: str = ""
    para: list[str] = field(default_factory=list)
    current: ListBlock | None = None
    indent: int = 0  # of the current list's items: lines indented deeper belong to its last item

    def take(self, i: int) -> int:
        """Read line ``i`` (with its underline, if any); returns how many lines it used."""
        line, stripped = self.lines[i], self.lines[i].strip()
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else ""
        if not stripped:
            self.flush_para()
            return 1
        atx = _ATX.match(line)
        underlined = bool(_UNDERLINE.match(nxt)) and not _NUMBERED.match(line) and not self.para
        if not self.title and not atx:
            self.title = stripped
        elif atx or underlined or _is_heading(self.lines, i):
            level = len(atx.group(1)) if atx else (1 if underlined and "=" in nxt else 2)
            self._heading(level, atx.group(2) if atx else stripped, atx is not None)
        else:
            self._body(i, line, stripped)
            return 1
        return 2 if underlined else 1

    def _heading(self, level: int, text: str, atx: bool) -> None:
        self.flush_para()
        self.current = None
        if atx and level == 1 and not self.title:
            self.title = text
        else:
            self.out.append(Heading(level, strip_inline_markup(text)[0]))

    def _body(self, i: int, line: str, stripped: str) -> None:
        """A line that is no heading: a step, a bullet, a step's detail, or prose."""
        current, deeper = self.current, _indent(line) > self.indent
        if _NUMBERED.match(line) and _top_level(current, line, self.indent):
            self.flush_para()
            if current is None or not current.ordered:
                current = self._start(ListBlock(True, [], _number(stripped)), line)
            current.items.append(_item(stripped))
        elif _BULLET.match(line) and current is not None and not current.ordered and not deeper:
            current.items.append(_item(stripped))
        elif (
            current is not None
            and current.items
            and (deeper or (current.ordered and _BULLET.match(line)))
        ):
            _sub_line(current.items[-1], line, stripped)
        elif current is not None and current.items and not self.para and self.lines[i - 1].strip():
            _extend(current.items[-1], stripped)
        elif _BULLET.match(line):
            self.flush_para()
            self._start(ListBlock(False, []), line).items.append(_item(stripped))
        else:
            self.current = None
            self.para.append(stripped)

    def _start(self, block: ListBlock, line: str) -> ListBlock:
        self.current, self.indent = block, _indent(line)
        self.out.append(block)
        return block

    def flush_para(self) -> None:
        if self.para:
            body, terms = strip_inline_markup(squash(" ".join(self.para)))
            self.out.append(Para(body, terms))
            self.para.clear()


def _top_level(current: ListBlock | None, line: str, indent: int) -> bool:
    """A numbered line starts or continues the list (pages copied from the web often indent
    whole lists by a few spaces), unless it is indented under the current list's items."""
    if current is None or not current.items:
        return _indent(line) <= 8
    return _indent(line) <= indent or not current.ordered


def _sub_line(parent: Item, line: str, stripped: str) -> None:
    if not parent.sublists:
        parent.sublists.append(ListBlock(False, []))
    items = parent.sublists[-1].items
    if _BULLET.match(line) or _NUMBERED.match(line) or not items:
        items.append(_item(stripped))
    else:
        _extend(items[-1], stripped)


def _number(line: str) -> int:
    digits = re.search(r"\d+", line)
    return int(digits.group()) if digits else 1


def _item(line: str) -> Item:
    text, terms = strip_inline_markup(line)
    return Item(text, terms)


def _extend(item: Item, line: str) -> None:
    text, terms = strip_inline_markup(line)
    item.text = f"{item.text} {text}"
    item.terms.extend(terms)
