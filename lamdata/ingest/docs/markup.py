"""Text clean-ups below the rules: inline emphasis markup and over-long lines.

- :func:`strip_inline_markup` turns Markdown or HTML emphasis (``**Insert**``, ``<b>OK</b>``)
  into plain text and keeps the emphasized labels as UI terms; links keep their text.
- :func:`cap_lines` cuts lines longer than ``MAX_LINE`` (a one-line 50 MB file is not prose) and
  says so in a warning.
"""

from __future__ import annotations

import re

from lamdata.ingest.docs.base import DocIssue

_MD_STRONG = re.compile(r"\*\*(?!\s)(.{1,200}?)(?<!\s)\*\*|__(?!\s)(.{1,200}?)(?<!\s)__")
_MD_EM = re.compile(
    r"(?<![\w*])\*(?![\s*])([^*\n]{1,200}?)(?<![\s*])\*(?![\w*])"
    r"|(?<![\w_])_(?![\s_])([^_\n]{1,200}?)(?<![\s_])_(?![\w_])"
)
_MD_CODE = re.compile(r"`([^`\n]+)`")
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_HTML_TERM = re.compile(r"<(b|strong|em|i)\b[^>]{0,200}>([\s\S]{0,300}?)</\1\s*>", re.I)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def strip_inline_markup(text: str) -> tuple[str, list[str]]:
    """Plain text and UI terms of a string with Markdown or HTML emphasis (``**Insert**``)."""
    if not any(ch in text for ch in "*_`[<"):
        return text, []
    terms: list[str] = []

    def keep(match: re.Match[str]) -> str:
        inner = next(g for g in match.groups() if g is not None)
        terms.append(_TAG.sub("", inner).strip())
        return inner

    def keep_html(match: re.Match[str]) -> str:
        terms.append(_TAG.sub("", match.group(2)).strip())
        return match.group(2)

    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _HTML_TERM.sub(keep_html, text)
    text = _TAG.sub("", text)
    text = _MD_CODE.sub(r"\1", text)
    text = _MD_STRONG.sub(keep, text)
    text = _MD_EM.sub(keep, text)
    return text, terms


MAX_LINE = 20_000


def cap_lines(text: str, limit: int = MAX_LINE) -> tuple[str, DocIssue | None]:
    """Cut lines longer than ``limit`` characters (a one-line 50 MB file is not prose; parsing
    it whole would take minutes), with a warning naming the first such line."""
    if len(text) <= limit or all(len(line) <= limit for line in text.split("\n")):
        return text, None
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines, start=1) if len(line) > limit)
    capped = "\n".join(line[:limit] for line in lines)
    issue = DocIssue(
        "long_line",
        f"line {first} has {len(lines[first - 1]):,} characters; only the first {limit:,} "
        "of each long line were read",
        line=first,
        warning=True,
    )
    return capped, issue
