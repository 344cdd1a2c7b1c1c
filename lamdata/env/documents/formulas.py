"""A small, safe spreadsheet formula evaluator (no ``eval``).

Grammar: numbers, "strings", cell references (``B2``, ``$B$2``), ranges (``A1:A9``), the
functions SUM, AVERAGE, MIN, MAX, COUNT, ROUND, ABS, the operators ``+ - * / ^ &`` and the
comparisons ``= <> < <= > >=``, parentheses and unary minus. Errors are values, as in a
spreadsheet: ``#DIV/0!``, ``#VALUE!``, ``#NAME?``, ``#REF!``, ``#CYCLE!``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from lamdata.env.controls import range_refs

_TOKENS = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<str>\"[^\"]*\")"
    r"|(?P<range>\$?[A-Z]+\$?\d+:\$?[A-Z]+\$?\d+)|(?P<ref>\$?[A-Z]+\$?\d+)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_.]*)|(?P<op><>|<=|>=|[-+*/^&=<>(),:]))"
)
ERRORS = ("#DIV/0!", "#VALUE!", "#NAME?", "#REF!", "#CYCLE!")


class FormulaError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _numbers(values: list[Any]) -> list[float]:
    for v in values:
        if isinstance(v, str) and v in ERRORS:
            raise FormulaError(v)
    return [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]


def _average(values: list[Any]) -> float:
    nums = _numbers(values)
    if not nums:
        raise FormulaError("#DIV/0!")
    return sum(nums) / len(nums)


FUNCTIONS: dict[str, Callable[[list[Any]], Any]] = {
    "SUM": lambda v: sum(_numbers(v)),
    "AVERAGE": _average,
    "MIN": lambda v: min(_numbers(v), default=0.0),
    "MAX": lambda v: max(_numbers(v), default=0.0),
    "COUNT": lambda v: float(len(_numbers(v))),
    "ABS": lambda v: abs(_numbers(v)[0]),
    "ROUND": lambda v: round(_numbers(v)[0], int(_numbers(v)[1]) if len(v) > 1 else 0),
}


@cache
def tokenize(text: str) -> tuple[tuple[str, str], ...]:
    """The tokens of a formula (cached: sheets re-evaluate the same formulas)."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKENS.match(text, pos)
        if not match or match.end() == pos:
            raise FormulaError("#VALUE!")
        kind = match.lastgroup or "op"
        tokens.append(
            (kind, match.group(kind).replace("$", "") if kind != "str" else match.group(kind))
        )
        pos = match.end()
    return tuple(tokens)


class _Parser:
    """Recursive descent over the tokens; ``lookup(ref)`` gives a cell's value."""

    def __init__(self, tokens: tuple[tuple[str, str], ...], lookup: Callable[[str], Any]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.lookup = lookup

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise FormulaError("#VALUE!")
        self.pos += 1
        return self.tokens[self.pos - 1]

    def parse(self) -> Any:
        value = self.comparison()
        if self.pos != len(self.tokens):
            raise FormulaError("#VALUE!")
        return value

    def comparison(self) -> Any:
        left = self.concat()
        while self.peek() in ("=", "<>", "<", "<=", ">", ">="):
            op = self.take()[1]
            right = self.concat()
            left = _compare(op, left, right)
        return left

    def concat(self) -> Any:
        left = self.additive()
        while self.peek() == "&":
            self.take()
            left = _text(left) + _text(self.additive())
        return left

    def additive(self) -> Any:
        left = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            right = _num(self.term())
            left = _num(left) + right if op == "+" else _num(left) - right
        return left

    def term(self) -> Any:
        left = self.power()
        while self.peek() in ("*", "/"):
            op = self.take()[1]
            right = _num(self.power())
            if op == "/" and right == 0:
                raise FormulaError("#DIV/0!")
            left = _num(left) * right if op == "*" else _num(left) / right
        return left

    def power(self) -> Any:
        base = self.unary()
        if self.peek() == "^":
            self.take()
            return _num(base) ** _num(self.unary())
        return base

    def unary(self) -> Any:
        if self.peek() in ("-", "+"):
            sign = -1.0 if self.take()[1] == "-" else 1.0
            return sign * _num(self.unary())
        return self.atom()

    def atom(self) -> Any:
        kind, text = self.take()
        if kind == "num":
            return float(text)
        if kind == "str":
            return text[1:-1]
        if kind == "ref":
            return self.lookup(text)
        if kind == "range":
            return [self.lookup(r) for r in range_refs(text)]
        if kind == "name":
            return self.call(text.upper())
        if text == "(":
            value = self.comparison()
            if self.take()[1] != ")":
                raise FormulaError("#VALUE!")
            return value
        raise FormulaError("#VALUE!")

    def call(self, name: str) -> Any:
        if name not in FUNCTIONS or self.take()[1] != "(":
            raise FormulaError("#NAME?")
        args: list[Any] = []
        while self.peek() != ")":
            value = self.comparison()
            args.extend(value if isinstance(value, list) else [value])
            if self.peek() == ",":
                self.take()
        self.take()
        return FUNCTIONS[name](args)


def _num(value: Any) -> float:
    if isinstance(value, list):
        raise FormulaError("#VALUE!")
    if value is None or value == "":
        return 0.0
    if isinstance(value, str) and value in ERRORS:
        raise FormulaError(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise FormulaError("#VALUE!") from None


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _compare(op: str, left: Any, right: Any) -> bool:
    table: dict[str, Callable[[Any, Any], bool]] = {
        "=": lambda a, b: a == b,
        "<>": lambda a, b: a != b,
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
    }
    try:
        return table[op](left, right)
    except TypeError:
        raise FormulaError("#VALUE!") from None


def evaluate(formula: str, lookup: Callable[[str], Any]) -> Any:
    """The value of ``formula`` (without its leading ``=``), or an error code string."""
    try:
        value = _Parser(tokenize(formula), lookup).parse()
    except FormulaError as exc:
        return exc.code
    except (ValueError, OverflowError, ZeroDivisionError):
        return "#VALUE!"
    if isinstance(value, list):
        return "#VALUE!"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value
