"""Paths into an environment state and the comparison operators shared by rules and checks.

A path is dot-separated keys with optional list indexes: ``doc.paragraphs[0].bold``,
``doc.cells.B2.value``, ``doc.slides[-1].title``; ``[*]`` maps the rest of the path over a list
(``doc.paragraphs[*].text`` is the list of paragraph texts). A path that does not resolve gives
:data:`MISSING` (``exists``/``not_exists`` test for it). The operators are those of the
``Check`` record (``schemas/instance.schema.json``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

OPS = (
    "eq",
    "ne",
    "contains",
    "not_contains",
    "gt",
    "ge",
    "lt",
    "le",
    "exists",
    "not_exists",
    "len_eq",
    "len_ge",
    "len_le",
    "in",
    "matches",
)
_NUMERIC = re.compile(r"^(?=.*\d)-?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
_TOKEN = re.compile(r"([^.\[\]]+)|\[(-?\d+|\*)\]")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@cache
def parse_path(path: str) -> tuple[str | int, ...]:
    """``"doc.paragraphs[0].bold"`` → ``("doc", "paragraphs", 0, "bold")``; ``[*]`` → ``"*"``."""
    tokens: list[str | int] = []
    pos = 0
    for match in _TOKEN.finditer(path):
        between = path[pos : match.start()]
        if between not in ("", "."):
            raise ValueError(f"bad path {path!r} near {between!r}")
        key, index = match.groups()
        if key is not None:
            tokens.append(key)
        else:
            tokens.append("*" if index == "*" else int(index))
        pos = match.end()
    if pos != len(path) or not tokens:
        raise ValueError(f"bad path {path!r}")
    return tuple(tokens)


def get_path(state: Any, path: str) -> Any:
    """The value at ``path`` in ``state`` or :data:`MISSING`."""
    return _walk(state, parse_path(path))


def _walk(node: Any, tokens: tuple[str | int, ...]) -> Any:
    for i, token in enumerate(tokens):
        if token == "*":
            if not isinstance(node, list):
                return MISSING
            return [_walk(item, tokens[i + 1 :]) for item in node]
        if isinstance(token, int):
            if not isinstance(node, list) or not -len(node) <= token < len(node):
                return MISSING
            node = node[token]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            return MISSING
    return node


def set_path(state: dict[str, Any], path: str, value: Any) -> None:
    """Set ``path`` to ``value``, creating dicts on the way (list indexes must exist)."""
    tokens = parse_path(path)
    node: Any = state
    for token in tokens[:-1]:
        if isinstance(token, int):
            node = node[token]
        else:
            node = node.setdefault(token, {})
    last = tokens[-1]
    if isinstance(last, int):
        node[last] = value
    else:
        node[str(last)] = value


def _norm(value: Any) -> Any:
    """Numbers (and numeric strings, as a UI shows them) compare as numbers; other strings
    compare trimmed and case-sensitively."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        return float(text.replace(",", "")) if _NUMERIC.match(text) else text
    return value


def compare(op: str, actual: Any, expected: Any) -> bool:
    """Whether ``actual op expected`` holds; a missing or mistyped value never satisfies an
    ordering operator (and never raises)."""
    if op == "exists":
        return actual is not MISSING and actual is not None
    if op == "not_exists":
        return actual is MISSING or actual is None
    if actual is MISSING:
        return op in ("ne", "not_contains")
    try:
        return bool(_COMPARE[op](actual, expected))
    except (TypeError, ValueError, re.error):
        return False


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(actual, str):
        return str(expected) in actual
    if isinstance(actual, list):
        return _norm(expected) in [_norm(a) for a in actual]
    if isinstance(actual, dict):
        return expected in actual
    return False


def _len(actual: Any) -> int:
    if isinstance(actual, list | dict | str):
        return len(actual)
    raise TypeError("no length")


_COMPARE: dict[str, Any] = {
    "eq": lambda a, e: _norm(a) == _norm(e),
    "ne": lambda a, e: _norm(a) != _norm(e),
    "contains": _contains,
    "not_contains": lambda a, e: not _contains(a, e),
    "gt": lambda a, e: _norm(a) > _norm(e),
    "ge": lambda a, e: _norm(a) >= _norm(e),
    "lt": lambda a, e: _norm(a) < _norm(e),
    "le": lambda a, e: _norm(a) <= _norm(e),
    "len_eq": lambda a, e: _len(a) == int(e),
    "len_ge": lambda a, e: _len(a) >= int(e),
    "len_le": lambda a, e: _len(a) <= int(e),
    "in": lambda a, e: _norm(a) in [_norm(x) for x in e],
    "matches": lambda a, e: re.search(str(e), str(a)) is not None,
}
