"""Reading plan steps: words, quoted values, numbers, cell references and option names.

The offline backend grounds steps on controls and fills arguments from nothing but the step's
own text, so these readers are deliberately literal: a value is extracted only when the text
states it (quoted, a number, a cell reference, an option the control really offers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
# A quote opens after start/space/bracket and closes before end/space/punctuation, so the
# apostrophes of "don't" or "Word's" never start a value.
_QUOTED = re.compile(
    r"""(?:(?<=^)|(?<=[\s(\[:]))(?:"([^"]+)"|'([^']+)'|“([^”]+)”|‘([^’]+)’)(?=$|[\s.,;:!?)\]])"""
)
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.]*[a-zA-Z])")
_CELL = re.compile(r"\b([A-Z]{1,3}[1-9][0-9]{0,6})(?::([A-Z]{1,3}[1-9][0-9]{0,6}))?\b")
_FORMULA = re.compile(r"(?<![\w])=\s*[A-Za-z0-9(][^\s,;]*")
_KEYS = re.compile(r"\b((?:ctrl|alt|shift|win)\s*\+\s*[a-z0-9]+(?:\s*\+\s*[a-z0-9]+)*)\b", re.I)

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "into",
        "onto",
        "as",
        "is",
        "are",
        "be",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "your",
        "you",
        "my",
        "our",
        "their",
        "then",
        "than",
        "so",
        "if",
        "when",
        "which",
        "what",
        "how",
        "do",
        "does",
        "can",
        "will",
        "click",
        "select",
        "choose",
        "go",
        "open",
        "use",
        "press",
        "tap",
        "type",
        "enter",
        "make",
        "set",
        "want",
        "wish",
        "need",
        "please",
        "step",
        "steps",
        "option",
        "options",
        "button",
        "tab",
        "menu",
        "box",
        "dialog",
        "window",
        "pane",
        "group",
        "list",
        "under",
        "next",
        "also",
        "any",
        "all",
        "each",
        "some",
        "one",
        "just",
        "new",
    ]
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return _WORD.findall(text.casefold())


def content_words(text: str) -> list[str]:
    """Words minus the stop words of UI instructions, with a crude plural fold."""
    return [singular(w) for w in words(text) if w not in STOP_WORDS and len(w) > 1]


def singular(word: str) -> str:
    """'tables' → 'table', 'cells' → 'cell', 'boxes' → 'box' (good enough for overlap)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def quoted(text: str) -> list[str]:
    """Values written in quotes, in order: ``Type "Q3 results" in the box`` → ``["Q3 results"]``."""
    return [next(g for g in m.groups() if g) for m in _QUOTED.finditer(text)]


def unquoted(text: str) -> str:
    """The text with its quoted values removed (so they don't count as UI words)."""
    return _QUOTED.sub(" ", text)


def numbers(text: str) -> list[str]:
    """Numbers written in the (unquoted) text, as written: ``"3"``, ``"1.5"``."""
    return _NUMBER.findall(unquoted(text))


def formulas(text: str) -> list[str]:
    """Spreadsheet formulas written in the text: ``=SUM(B2:B6)``, ``=B2*C2``."""
    return [m.rstrip(".,;") for m in _FORMULA.findall(text)]


def cell_refs(text: str) -> list[str]:
    """Cell references and ranges: ``B2``, ``A1:C10``."""
    return [f"{a}:{b}" if b else a for a, b in _CELL.findall(text)]


def key_chords(text: str) -> list[str]:
    """Keyboard shortcuts: ``Ctrl+B`` → ``"ctrl+b"``."""
    return [re.sub(r"\s+", "", k).lower() for k in _KEYS.findall(text)]


def find_option(text: str, options: Sequence[str]) -> str | None:
    """The option of a combo box or menu that the text names (longest name wins).

    Options are matched as whole words, case-insensitively; numeric options only match a
    number written in the text, so "Font Size 12" picks "12" and never "1".
    """
    folded = " " + " ".join(words(text)) + " "
    nums = set(numbers(text)) | set(quoted(text))
    for option in sorted(options, key=len, reverse=True):
        if _is_number(option):
            if option in nums or _num_equal(option, nums):
                return option
            continue
        name = " ".join(words(option))
        if name and f" {name} " in folded:
            return option
    return None


def _is_number(value: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(?:\.\d+)?", value.strip()))


def _num_equal(option: str, found: Iterable[str]) -> bool:
    return any(_is_number(f) and float(f) == float(option) for f in found)


def overlap(a: Iterable[str], b: Iterable[str]) -> float:
    """Share of the words of ``a`` that also occur in ``b`` (0 when ``a`` is empty)."""
    left, right = set(a), set(b)
    return len(left & right) / len(left) if left else 0.0
