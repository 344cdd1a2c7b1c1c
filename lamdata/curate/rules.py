"""Named filter rules: each is an SQL boolean expression over one table's columns.

A rule is written ``name`` or ``name:param`` (``min_steps:2``, ``lang:en``). Its parameter is
validated (an integer, or a string quoted as an SQL literal), never pasted as SQL. Rules and
user predicates run together as one sandboxed SELECT, so filtering is vectorized in DuckDB.
A rule whose expression is NULL for a record rejects it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from lamdata.errors import ConfigError, InputError, QueryRefused

_STEPS = {"task_plans": "steps", "instances": "actions", "trajectories": "steps"}
_ALL = ("task_plans", "instances", "trajectories")
_JUDGE_AGREES = (
    "outcome.judge IS NULL OR coalesce(outcome.judge.agrees, "
    "CASE lower(outcome.judge.complete) WHEN 'yes' THEN outcome.success "
    "WHEN 'no' THEN NOT outcome.success ELSE true END)"
)


@dataclass(frozen=True)
class Rule:
    """A named rule: its SQL (``{steps}`` and ``{param}`` are filled in), its parameter kind
    (``int``, ``str`` or None) and what a rejection says."""

    name: str
    sql: str
    reason: str
    tables: tuple[str, ...] = _ALL
    param: str | None = None

    def expression(self, table: str, param: str | None) -> str:
        return self.sql.format(steps=_STEPS[table], param=param)


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("min_steps", "len({steps}) >= {param}", "fewer steps than {param}", param="int"),
        Rule("max_steps", "len({steps}) <= {param}", "more steps than {param}", param="int"),
        Rule(
            "min_task_chars",
            "length(task) >= {param}",
            "task shorter than {param} chars",
            param="int",
        ),
        Rule(
            "max_task_chars",
            "length(task) <= {param}",
            "task longer than {param} chars",
            param="int",
        ),
        Rule(
            "min_task_words",
            "len(regexp_split_to_array(trim(task), '\\s+')) >= {param}",
            "task has fewer than {param} words",
            param="int",
        ),
        Rule("app", "app = {param}", "app is not {param}", param="str"),
        Rule("lang", "lang = {param}", "language is not {param}", ("task_plans",), "str"),
        Rule("has_plan", "NOT needs_plan AND len(steps) > 0", "no plan", ("task_plans",)),
        Rule("verdict_keep", "verdict.keep", "instantiation verdict says drop", ("instances",)),
        Rule("has_checks", "len(checks) > 0", "no success checks", ("instances",)),
        Rule(
            "no_error_steps",
            "len(list_filter(steps, lambda s: s.status <> 'ok')) = 0",
            "has error steps",
            ("trajectories",),
        ),
        Rule("outcome_pass", "outcome.label = 'pass'", "outcome is not pass", ("trajectories",)),
        Rule("not_fail", "outcome.label <> 'fail'", "outcome is fail", ("trajectories",)),
        Rule("judge_agrees", _JUDGE_AGREES, "judge disagrees with checks", ("trajectories",)),
    )
}


@dataclass(frozen=True)
class Predicate:
    """A rule ready to run: the label marks carry, its SQL and its rejection reason."""

    label: str
    sql: str
    reason: str


def parse_rule(spec: str, table: str) -> Predicate:
    """``min_steps:2`` -> a predicate for ``table``; ConfigError for an unknown or bad rule."""
    name, _, raw = spec.strip().partition(":")
    rule = RULES.get(name)
    if rule is None:
        raise ConfigError(f"unknown rule {name!r}", hint=f"rules: {', '.join(sorted(RULES))}")
    if table not in rule.tables:
        raise ConfigError(
            f"rule {name!r} does not apply to {table}", hint=f"it works on {', '.join(rule.tables)}"
        )
    param = _param(rule, raw)
    label = f"{name}:{raw}" if rule.param else name
    return Predicate(label, rule.expression(table, param), rule.reason.format(param=raw))


def _param(rule: Rule, raw: str) -> str | None:
    converters: dict[str, Callable[[str], str]] = {"int": _int_literal, "str": _str_literal}
    if rule.param is None:
        if raw:
            raise ConfigError(f"rule {rule.name!r} takes no parameter")
        return None
    if not raw:
        raise ConfigError(f"rule {rule.name!r} needs a parameter", hint=f"e.g. {rule.name}:2")
    return converters[rule.param](raw)


def _int_literal(raw: str) -> str:
    try:
        return str(int(raw))
    except ValueError as exc:
        raise ConfigError(f"rule parameter {raw!r} is not an integer") from exc


def _str_literal(raw: str) -> str:
    return "'" + raw.replace("'", "''") + "'"


def where_predicate(sql: str) -> Predicate:
    """A user's SQL predicate, checked to be exactly one expression and re-rendered by DuckDB
    (so a second statement, a trailing comment or a closing parenthesis cannot escape it)."""
    try:
        expression = duckdb.SQLExpression(sql)
    except (duckdb.ParserException, duckdb.InvalidInputException) as exc:
        message = str(exc).strip().splitlines()[0]
        if any(word in message for word in ("statement", "set operation", "expressions")):
            raise QueryRefused(
                f"--where refused: {message}",
                hint="a filter predicate is one boolean expression; it cannot add statements",
            ) from exc
        raise InputError(
            f"--where is not one SQL expression: {message}",
            hint="give a single boolean expression over the table's columns, e.g. len(steps) >= 2",
        ) from exc
    return Predicate("where", str(expression), f"where {sql.strip()} is not true")
