"""The reader contract: decoded document text in, procedures out.

A reader is a function ``read(text, *, name) -> ParsedDoc``. It knows one format (HTML help pages,
Markdown, WikiHow-style text, JSON/CSV dumps, UFO task files) and nothing about the store: the
stage (per file: ``document.py``) turns procedures into ``TaskPlan`` records, decides the app and
the language when the reader could not, and turns issues into quarantined ``Rejection`` records.

Two kinds of trouble, kept apart on purpose:
- :class:`DocError` — the whole document is refused (binary, empty, wrong JSON shape, CSV without
  the needed columns): nothing of it is kept.
- :class:`DocIssue` — a part of it is refused (a ragged CSV row, a bad JSONL line, a page cut off
  in the middle of its last procedure): the rest of the document is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from lamdata.ingest.docs.blocks import Block


@dataclass
class Step:
    """One step of a procedure: cleaned text (UI labels kept) and the labels themselves."""

    text: str
    ui_terms: list[str] = field(default_factory=list)


@dataclass
class Procedure:
    """A goal and its ordered steps, with where in the document it stands."""

    task: str
    steps: list[Step]
    locator: str
    app: str | None = None
    lang: str | None = None
    title: str = ""
    kind: str | None = None


@dataclass
class DocIssue:
    """A refused part of a document (or a warning about it, when ``warning`` is set)."""

    code: str
    message: str
    line: int | None = None
    pointer: str = ""
    record_json: str = ""
    warning: bool = False


@dataclass
class ParsedDoc:
    """What a reader found in one document.

    ``app`` and ``lang`` are what the document declares (front matter, meta tags, task-file
    fields), or None; ``body`` is plain text the stage may scan to guess them.
    """

    kind: str
    title: str
    procedures: list[Procedure] = field(default_factory=list)
    app: str | None = None
    lang: str | None = None
    body: str = ""
    issues: list[DocIssue] = field(default_factory=list)
    plan_source: str = "document"
    outline: list[Block] = field(default_factory=list)


class DocError(Exception):
    """The whole document is refused; ``code`` is the stable reason code."""

    def __init__(
        self, code: str, message: str, *, line: int | None = None, pointer: str = ""
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.pointer = pointer


class Reader(Protocol):
    def __call__(self, text: str, *, name: str) -> ParsedDoc: ...
