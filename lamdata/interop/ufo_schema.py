"""What an import accepts as a UFO dataflow record (lamdata's own, lenient reading of it).

Only what the mapping relies on is required: the identity (``unique_id``, ``app``), the
``original`` task and, when present, the shapes of the prefill plan and the evaluation verdict.
Everything else passes through to the residual untouched.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft7Validator

from lamdata.errors import SchemaError
from lamdata.validation import pointer_of

_STR = {"type": "string"}
_OPT_STR = {"type": ["string", "null"]}
_STEP = {
    "type": "object",
    "properties": {
        "Step": {"type": "integer", "minimum": 0},
        "Subtask": _OPT_STR,
        "ControlLabel": _OPT_STR,
        "ControlText": _OPT_STR,
        "Function": _STR,
        "Args": {"type": "object"},
        "Success": {"type": ["boolean", "null"]},
        "MatchedControlText": _OPT_STR,
    },
    "required": ["Step", "Function", "Args"],
}
_VERDICT = {
    "type": ["object", "null"],
    "properties": {
        "reason": _STR,
        "sub_scores": {"type": "object", "additionalProperties": _STR},
        "complete": _STR,
    },
}
_EVALUATION = {
    "type": ["object", "null"],
    "properties": {"judge": {"type": "boolean"}, "thought": _STR, "request_type": _STR},
}
_PREFILL_RESULT = {
    "type": ["object", "null"],
    "properties": {
        "instantiated_request": _STR,
        "instantiated_plan": {"type": ["array", "null"], "items": _STEP},
    },
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "unique_id": {"type": "string", "minLength": 1},
        "app": {"type": "string", "minLength": 1},
        "original": {
            "type": "object",
            "properties": {
                "original_task": {"type": "string", "minLength": 1},
                "original_steps": {"type": "array", "items": _STR},
            },
            "required": ["original_task", "original_steps"],
        },
        "execution_result": {
            "type": ["object", "null"],
            "properties": {"result": _VERDICT, "error": {"type": ["object", "null"]}},
        },
        "instantiation_result": {
            "type": ["object", "null"],
            "properties": {
                "choose_template": {
                    "type": ["object", "null"],
                    "properties": {"result": _OPT_STR},
                },
                "prefill": {"type": ["object", "null"], "properties": {"result": _PREFILL_RESULT}},
                "instantiation_evaluation": {
                    "type": ["object", "null"],
                    "properties": {"result": _EVALUATION},
                },
            },
        },
        "time_cost": {"type": ["object", "null"]},
    },
    "required": ["unique_id", "app", "original"],
}


@cache
def _validator() -> Draft7Validator:
    return Draft7Validator(SCHEMA)


def check_record(record: Any) -> None:
    """Raise :class:`SchemaError` naming the JSON pointer of the first problem."""
    found = sorted(_validator().iter_errors(record), key=lambda e: list(map(str, e.path)))
    if found:
        error = found[0]
        pointer = pointer_of(error)
        raise SchemaError(
            f"bad_record: not a UFO dataflow record at {pointer or '/'}: {error.message}",
            pointer=pointer,
        )
