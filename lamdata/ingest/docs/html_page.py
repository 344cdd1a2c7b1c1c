"""Page-level facts of an HTML or XML help page, apart from its body's outline.

Where the article is (``main``, ``[role=main]`` or a lone ``article``, else ``body``), its title
(the main content's ``h1``, else the ``<title>`` without its site suffix), the app and language it
declares in ``<meta>`` and ``<html lang>``, whether it was cut off before its end, and the page's
own XML entities, resolved before parsing.
"""

from __future__ import annotations

import re
from html.entities import html5

from selectolax.lexbor import LexborHTMLParser, LexborNode

from lamdata.ingest.docs.base import DocIssue, ParsedDoc
from lamdata.ingest.docs.procedures import normalize_app, normalize_lang, squash

_META_APP = ("app", "application", "product", "ms.prod", "ms.service", "ms.product")
_TITLE_SPLIT = re.compile(r"\s+(?:\||-|–|—|::)\s+")
HEAD_TAIL = re.compile(r"[\s¶#§]+$")

_ENTITY_DECL = re.compile(r"<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:\"([^\"]*)\"|'([^']*)')\s*>")
_ENTITY_REF = re.compile(r"&([A-Za-z_][\w.-]*);")


def resolve_entities(text: str) -> str:
    """An XML page's own entities: those its internal DTD subset declares take their value;
    undefined ones (``&brandShortName;``, declared in an external DTD that is never read) keep
    their name without the ``&...;`` wrapper, the most readable stand-in that still says which
    placeholder stood there. HTML's named entities are left to the parser. Declared values
    are inserted once, never re-expanded, and only until they would double the text."""
    if "&" not in text:
        return text
    head = text[:65536]
    declared = (
        {m.group(1): m.group(2) or m.group(3) or "" for m in _ENTITY_DECL.finditer(head)}
        if "<!ENTITY" in head
        else {}
    )

    budget = [len(text)]  # one level, never re-expanded, and at most doubling the text: no bombs

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        value = declared.get(name)
        if value is not None and len(value) <= budget[0]:
            budget[0] -= len(value)
            return value
        return match.group(0) if f"{name};" in html5 else name

    return _ENTITY_REF.sub(replace, text)


def parse_html(text: str) -> LexborHTMLParser:
    return LexborHTMLParser(text)


def main_content(tree: LexborHTMLParser) -> LexborNode | None:
    found = tree.css_first("main, [role=main]")
    if found is not None:
        return found
    articles = tree.css("article")
    return articles[0] if len(articles) == 1 else tree.body


def page_title(tree: LexborHTMLParser) -> str:
    """The first ``h1`` of the main content (a site header's ``h1`` names the site, not the
    page), else of the page, else the ``<title>`` without its site suffix."""
    root = main_content(tree)
    h1 = root.css_first("h1") if root is not None else None
    h1 = h1 if h1 is not None else tree.css_first("h1")
    if h1 is not None:
        text = HEAD_TAIL.sub("", squash(h1.text(deep=True, separator=" ")))
        if text:
            return text
    head = tree.css_first("title")
    title = squash(head.text()) if head is not None else ""
    parts = _TITLE_SPLIT.split(title)
    if len(parts) > 1 and len(parts[-1].split()) <= 4:
        title = " - ".join(parts[:-1])
    return title


def page_meta(tree: LexborHTMLParser) -> tuple[str | None, str | None]:
    """(declared app, declared language) from meta tags and ``<html lang>``."""
    app = None
    for meta in tree.css("meta[name]"):
        name = (meta.attributes.get("name") or "").lower()
        if name in _META_APP and app is None:
            app = normalize_app(meta.attributes.get("content"))
    html = tree.css_first("html")
    lang = normalize_lang(html.attributes.get("lang") if html is not None else None)
    return app, lang


def truncation(text: str) -> DocIssue | None:
    """A page cut off before its end: inside a tag, or with ``<html>`` but no ``</html>``."""
    tail = text.rstrip()[-512:]
    inside_tag = tail.rfind("<") > tail.rfind(">")
    opened = re.search(r"<(?:html|body)\b", text[:65536], re.I) is not None
    closed = re.search(r"</(?:html|body)\s*>", text[-65536:], re.I) is not None
    if not inside_tag and (closed or not opened):
        return None
    line = text.count("\n") + 1
    where = "inside a tag" if inside_tag else "before </body></html>"
    return DocIssue("truncated_html", f"the page ends {where} at line {line}", line=line)


def _last_list_open(text: str) -> bool:
    low = text[-65536:].lower()
    opened = max(low.rfind("<ol"), low.rfind("<ul"), low.rfind("<li"))
    return opened > max(low.rfind("</ol"), low.rfind("</ul"))


def check_truncation(text: str, doc: ParsedDoc) -> None:
    """Report a cut-off page and drop its last procedure when the cut fell inside it."""
    issue = truncation(text)
    if issue is None:
        return
    if doc.procedures and _last_list_open(text):
        dropped = doc.procedures.pop()
        issue.message += f'; dropped the cut-off procedure "{dropped.task}"'
    issue.message += f"; kept {len(doc.procedures)} procedure(s) before it"
    doc.issues.append(issue)
