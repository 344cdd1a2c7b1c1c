"""Structured answers: find the JSON in a model's text, validate it against its schema.

Models wrap JSON in prose or in a fenced block (```json ... ```); the parser takes the fenced
block when there is one, else the whole text, else the outermost ``{...}``/``[...]`` span. A
failure is an :class:`AnswerError` whose ``code`` (``llm_json`` or ``llm_schema``) starts the
quarantine reason and whose message is what the model is told when it is re-asked.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from lamdata.llm.schema_check import fast_check
from lamdata.validation import errors as schema_errors
from lamdata.validation import load_schema, validator

_FENCE = re.compile(r"```[ \t]*(?:json|JSON)?[ \t]*\n?(.*?)```", re.DOTALL)


class AnswerError(Exception):
    """An answer that is not JSON, or not valid against its schema."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def extract_json(text: str) -> Any:
    """The JSON value in ``text`` (fenced block, whole text, or outermost bracket span)."""
    candidates = [m.group(1).strip() for m in _FENCE.finditer(text)]
    candidates.append(text.strip())
    for opener, closer in (("{", "}"), ("[", "]")):
        start, end = text.find(opener), text.rfind(closer)
        if 0 <= start < end:
            candidates.append(text[start : end + 1])
    last = "empty answer"
    for candidate in candidates:
        if not candidate:
            continue
        try:
            return json.loads(candidate)
        except json.JSONDecodeError as exc:
            last = f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    raise AnswerError("llm_json", f"the answer is not JSON ({last})")


def parse_answer(text: str, schema: str) -> Any:
    """The answer's JSON value, validated against ``schemas/<schema>.schema.json``."""
    value = extract_json(text)
    check = fast_check(schema)  # the common case, without jsonschema's per-keyword objects
    if check(value) if check is not None else validator(schema).is_valid(value):
        return value
    found = schema_errors(schema, value)
    if found:
        pointer, message = found[0]
        raise AnswerError(
            "llm_schema", f"the answer does not match the schema at {pointer or '/'}: {message}"
        )
    return value


@cache
def schema_text(schema: str) -> str:
    """The schema as compact JSON, without its ``$id``/``$schema`` noise, for a prompt."""
    value = {k: v for k, v in load_schema(schema).items() if not k.startswith("$")}
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def reask_message(error: AnswerError) -> str:
    """What the model is told after an invalid answer."""
    return (
        f"Your answer was rejected: {error.message}. "
        "Answer again with only one JSON value that matches the schema, no prose."
    )
