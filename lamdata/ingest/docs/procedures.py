"""Rules shared by every reader: step cleaning, the imperative task, UI terms, app and language.

Everything here is a pure function of strings, so each rule is testable alone:
- :func:`clean_step` strips numbering, bullets, leftover markup and extra whitespace;
- :func:`imperative` turns a goal line or heading into a task ("To insert a table" /
  "Inserting a table" / "How to insert a table" → "Insert a table") and says whether it is sure;
- :func:`is_instruction` tells a step ("On the Home tab, click Bold.") from a feature bullet;
- :func:`text_terms` finds UI labels in plain text (quoted labels, "the Layout tab");
- :func:`detect_app` and :func:`detect_lang` guess, conservatively, from the text.

Inline markup and over-long lines are cleaned up before, in ``markup.py``.
"""

from __future__ import annotations

import re
from collections import Counter

from lamdata.ingest.docs.base import Step
from lamdata.ingest.docs.lexicon import (
    APP_ALIASES,
    APP_PATTERNS,
    FILLERS,
    FOREIGN_CUES,
    NON_PROCEDURE_PREFIXES,
    NON_PROCEDURE_SECTIONS,
    SOFT_NON_PROCEDURE_SECTIONS,
    STOPWORDS,
    STRONG_VERBS,
    VERBS,
    words,
)
from lamdata.ingest.docs.markup import cap_lines as cap_lines  # re-exported
from lamdata.ingest.docs.markup import strip_inline_markup as strip_inline_markup  # re-exported

_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_NUMBERING = re.compile(
    r"^(?:step\s*\d+\s*(?:of\s*\d+\s*)?[:.)\-–—]?|\(?\d{1,3}(?:\.\d{1,2})*[.)](?!\d)|"
    r"\(?[a-h][.)](?=\s+[A-Z])|[•·▪◦‣∙●○■□➤►▶*+\-–—])\s*",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_PREFIX = re.compile(
    r"^(?:how (?:to|do i|do you|can i|can you|should i|would i|to:)|here'?s how to|"
    r"steps? (?:to|for)|instructions (?:to|for|on)|ways? to|learn (?:how )?to|"
    r"(?:you can|you may|want to|in order to|to|let'?s|let us))\s+",
    re.I,
)
_LABEL_PREFIX = re.compile(
    r"^(?:(?:method|part|option|way|procedure|task|section|step)\s*\d+"
    r"(?:\s*of\s*\d+)?|\d{1,3}(?:\.\d{1,3}){0,3}[.)]?|[IVX]{1,4}[.)])\s*[:.)\-–—]?\s+",
    re.I,
)
_QUOTED = re.compile(r"(?<![\w'’])(?:\"([^\"\n]{1,40})\"|“([^”\n]{1,40})”|‘([^’\n]{1,40})’)")
_NAMED = re.compile(
    r"\bthe ((?:[A-Z0-9][\w&+'’./-]*)(?: (?:[A-Z0-9&][\w&+'’./-]*|and|or|to|of|&))*) "
    r"(tab|button|menu|group|dialog box|dialog|box|option|command|icon|pane|field|check box|"
    r"checkbox|list|gallery|ribbon)\b"
)
_VALUE_CUE = re.compile(r"\b(?:type|enter|typing|entering|write|name it|called|named)\s*$", re.I)
_EMPHASIS_WORDS = frozenset(
    words("not only must never always before after important note tip warning caution and or")
)
_CLICK_TAIL = re.compile(r"\s+(?:to|of|by|&|as|a|and)$")
_CLICKED = re.compile(
    r"\b(?:[Cc]lick|[Ss]elect|[Cc]hoose|[Tt]ap|[Pp]ress)\s+(?:on\s+)?"
    r"([A-Z0-9][\w&+'’./()-]*(?:\s+(?:[A-Z0-9&(][\w&+'’./():-]*|(?:to|of|by|as|a|and)\b|&))*)"
)
_LABEL_END = re.compile(r"(?<=[\w)])[.:]\s.*$|\s\(.*$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def squash(text: str) -> str:
    """Collapse whitespace (wrapped lines, NBSP) and drop invisible characters."""
    if text.isascii():
        return " ".join(text.split())
    return _SPACE.sub(" ", _INVISIBLE.sub("", text)).strip()


def strip_numbering(text: str) -> str:
    """Drop a leading "1.", "Step 2:", "a)" or bullet mark (repeatedly: "1. • Click ...")."""
    for _ in range(3):
        new = _NUMBERING.sub("", text, count=1)
        if new == text:
            break
        text = new
    return text


_TRAILING_NOTE = re.compile(
    r"(?<=[.!?])\s+(?:Note|Notes|Tip|Important|Warning|Caution)\s*:\s.*$", re.S
)


def clean_step(text: str) -> str:
    """Step text without numbering, extra whitespace, or a trailing "Note: ..." aside."""
    return _TRAILING_NOTE.sub("", strip_numbering(squash(text))).strip()


def make_step(text: str, terms: list[str]) -> Step | None:
    """A cleaned step with its UI terms (those still in the text, deduplicated), or None."""
    cleaned = clean_step(text)
    if not cleaned or not any(ch.isalnum() for ch in cleaned):
        return None
    kept = dedupe(t for t in (squash(t).strip(" :,;") for t in terms) if ok_term(t, cleaned))
    if not kept:
        kept = text_terms(cleaned)
    return Step(cleaned, kept)


def ok_term(term: str, text: str) -> bool:
    if not term or len(term) > 60 or term not in text:
        return False
    if term[-1] in ".!?" and term.count(" ") >= 3:
        return False
    return term.lower() not in _EMPHASIS_WORDS and any(ch.isalnum() for ch in term)


def dedupe(items: object) -> list[str]:
    out: dict[str, None] = {}
    for item in items:  # type: ignore[attr-defined]
        if item:
            out.setdefault(item, None)
    return list(out)


def text_terms(text: str) -> list[str]:
    """UI labels in plain text: quoted labels ("Click 'Insert'") and "the X tab/button"."""
    terms: list[str] = []
    for match in _QUOTED.finditer(text):
        if _VALUE_CUE.search(text[: match.start()]):
            continue
        terms.append(next(g for g in match.groups() if g is not None).strip())
    terms.extend(m.group(1) for m in _NAMED.finditer(text))
    for match in _CLICKED.finditer(text):  # a label ends with its sentence: "Click OK. The ..."
        label = _LABEL_END.sub("", match.group(1)).rstrip(".,;:")
        terms.append(
            _CLICK_TAIL.sub(
                "", label[:-1].rstrip(".") if label.endswith(")") and "(" not in label else label
            )
        )
    return dedupe(t for t in terms if t and t.lower() not in _EMPHASIS_WORDS)


# -- the task ------------------------------------------------------------------------------
def base_verb(word: str) -> str | None:
    """The base form of a gerund ("inserting" → "insert"), or None if it is not one."""
    w = word.lower()
    if not w.endswith("ing") or len(w) < 5:
        return None
    stem = w[:-3]
    candidates = [stem, stem + "e"]
    if len(stem) >= 2 and stem[-1] == stem[-2]:
        candidates.append(stem[:-1])
    for candidate in candidates:
        if candidate in VERBS:
            return candidate
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] in "bdgmnprt":
        return stem[:-1]
    if stem.endswith(("at", "iz", "is", "ur", "v", "ag", "uc", "ac")):
        return stem + "e"
    return stem if stem[-1] not in "aeiou" else None


def imperative(text: str) -> tuple[str, bool]:
    """The goal as an imperative task, and whether it reads like one for sure."""
    goal = squash(text).strip(" :.?!;,\"'“”")
    goal = _LABEL_PREFIX.sub("", goal, count=1)
    stripped = _PREFIX.sub("", goal, count=1)
    prefixed = stripped != goal
    goal = stripped.strip(" :")
    if not goal:
        return "", False
    first, _, rest = goal.partition(" ")
    lower = first.lower()
    if lower in VERBS:
        return _cap(goal), True
    base = base_verb(first)
    if base is not None and (base in VERBS or prefixed or base.endswith(("ize", "ify"))):
        return _cap(f"{base} {rest}".strip()), True
    return _cap(goal), prefixed and lower not in ("a", "an", "the")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def is_instruction(text: str, lang: str = "en") -> bool:
    """Does this list item read like a step ("Click ...", "On the Home tab, select ...")?"""
    if lang != "en":
        low = text.lower()
        return any(cue in low for cue in FOREIGN_CUES) or is_instruction(text, "en")
    words = [w.lower().strip("'’") for w in _WORD.findall(text[:240])][:14]
    while words and words[0] in FILLERS:
        words.pop(0)
    if not words:
        return False
    if words[0] in VERBS or words[0] in STRONG_VERBS:
        return True
    head = text[:160]
    for sep in (",", ";", " then "):
        _, found, after = head.partition(sep)
        if found:
            after_words = [w.lower() for w in _WORD.findall(after)]
            while after_words and after_words[0] in FILLERS:
                after_words.pop(0)
            if after_words and after_words[0] in VERBS:
                return True
    return any(w in STRONG_VERBS for w in words[:10])


#: "Alt + PrtScn: captures the window", "Cache — a store of ...": a label and what it means.
_DEFINITION = re.compile(r"^([^:—–]{1,50}?)(?::| [—–-]) +(\S.*)$", re.S)


def is_definition(text: str) -> bool:
    """Is this item a "label: description" entry of a reference list (a shortcut, a term)
    rather than a step? A label that reads as an instruction ("Type the address: ...") is a
    step, unless it is a capitalized name ("Print Screen (PrtScn): Pressing this key ...")
    whose description is no instruction."""
    match = _DEFINITION.match(text)
    if match is None:
        return False
    label, description = match.group(1).strip(), match.group(2)
    if not label or len(label.split()) > 6:
        return False
    if not is_instruction(label):
        return True
    named = all(w[:1].isupper() or not w[:1].isalpha() for w in label.split())
    return named and len(description.split()) >= 3 and not is_instruction(description)


def is_reference_list(texts: list[str]) -> bool:
    """Are most items (two thirds, at least two) "label: description" entries?"""
    defined = sum(is_definition(t) for t in texts)
    return defined >= 2 and defined * 3 >= len(texts) * 2


def heading_key(text: str) -> str:
    return re.sub(r"[^\w&'’ ]+", "", squash(text).lower()).strip()


def is_soft_section(heading: str) -> bool:
    """A "More information" section: procedures in it need an intro line or a task heading."""
    return heading_key(heading) in SOFT_NON_PROCEDURE_SECTIONS


def is_non_procedure_section(heading: str) -> bool:
    key = heading_key(heading)
    return key in NON_PROCEDURE_SECTIONS or any(
        key.startswith(p + " ") or key == p for p in NON_PROCEDURE_PREFIXES
    )


# -- app and language ----------------------------------------------------------------------
def normalize_app(value: str | None) -> str | None:
    """A declared app name as a canonical id ("Microsoft Word" → "word"); None if empty."""
    if not value or not value.strip():
        return None
    key = squash(value).lower()
    if key in APP_ALIASES:
        return APP_ALIASES[key]
    found = mentioned_apps(value)
    if len(found) == 1:
        return next(iter(found))
    return re.sub(r"[^a-z0-9]+", "_", key).strip("_") or None


def mentioned_apps(text: str) -> Counter[str]:
    """How often each app is named in (the first 20,000 characters of) a text."""
    text = text[:20_000]
    counts: Counter[str] = Counter()
    for app, patterns in APP_PATTERNS.items():
        n = sum(len(p.findall(text)) for p in patterns)
        if n:
            counts[app] = n
    return counts


def detect_app(*texts: str) -> str | None:
    """The app the texts name, tried in order; a text naming two apps equally decides nothing."""
    for text in texts:
        counts = mentioned_apps(text)
        if not counts:
            continue
        ranked = counts.most_common(2)
        if len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]:
            return ranked[0][0]
        return None
    return None


def detect_lang(text: str) -> str:
    """A cheap language guess: script first, then common function words; English by default."""
    sample = text[:4000]
    letters = sum(ch.isalpha() for ch in sample) or 1
    if len(_KANA.findall(sample)) > letters * 0.05:
        return "ja"
    if len(_HANGUL.findall(sample)) > letters * 0.2:
        return "ko"
    if len(_CJK.findall(sample)) > letters * 0.2:
        return "zh"
    if len(_CYRILLIC.findall(sample)) > letters * 0.3:
        return "ru"
    words = Counter(w.lower() for w in _WORD.findall(sample))
    scores = {lang: sum(words[w] for w in stop) for lang, stop in STOPWORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > max(2, scores["en"] * 1.5) else "en"


def normalize_lang(value: str | None) -> str | None:
    if not value:
        return None
    primary = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


_MEANS = re.compile(r"^(?:using|with|via|through|by|from|in|on)\b", re.I)
_PLATFORMS = frozenset(
    words(
        "windows mac macos ios ipados iphone ipad android web desktop mobile linux chromebook "
        "online"
    )
)


def is_means(text: str) -> bool:
    """Does a heading name a way of doing the task ("Using the ribbon") rather than a task?"""
    return bool(_MEANS.match(_LABEL_PREFIX.sub("", squash(text), count=1)))


def method_task(goal: str, name: str) -> str:
    """The task of one method of an article: "Insert a table" + "Using the Insert tab"."""
    name = _LABEL_PREFIX.sub("", squash(name), count=1).strip(" :")
    if not name or name.lower() in ("steps", "instructions", "procedure"):
        return goal
    if not goal:
        return imperative(name)[0]
    if is_means(name):
        return f"{goal} {name[0].lower()}{name[1:]}"
    if all(
        w.lower().strip(",&") in _PLATFORMS | {"and", "or", "&", "for", "the"} for w in name.split()
    ):
        return f"{goal} on {name}"
    task, sure = imperative(name)
    return task if sure else f"{goal} ({name})"
