"""The chat fine-tuning format rules, checked line by line (the checks OpenAI's data
preparation guide lists, plus tool-call consistency against the ``tools`` definitions)."""

from __future__ import annotations

import json
import re
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError as JsonSchemaError

ROLES = {"system", "user", "assistant", "tool"}
MESSAGE_KEYS = {"role", "content", "name", "weight", "tool_calls", "tool_call_id"}
LINE_KEYS = {"messages", "tools", "parallel_tool_calls"}
NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def tool_problems(tools: Any) -> tuple[list[str], dict[str, dict[str, Any]]]:
    if not isinstance(tools, list) or not tools:
        return ["tools must be a non-empty list"], {}
    found: list[str] = []
    schemas: dict[str, dict[str, Any]] = {}
    for i, tool in enumerate(tools):
        fn = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(tool, dict) or tool.get("type") != "function" or not isinstance(fn, dict):
            found.append(f"tools[{i}] is not a function tool")
            continue
        if not isinstance(fn.get("name"), str) or not NAME.match(fn["name"]):
            found.append(f"tools[{i}] has a bad name")
            continue
        params = fn.get("parameters", {})
        try:
            Draft202012Validator.check_schema(params)
        except JsonSchemaError as exc:
            found.append(f"tools[{i}] parameters are not a JSON Schema: {exc.message}")
            continue
        if params.get("type") != "object":
            found.append(f"tools[{i}] parameters must describe an object")
        schemas[fn["name"]] = params
    return found, schemas


def call_problems(
    where: str, calls: Any, schemas: dict[str, dict[str, Any]]
) -> tuple[list[str], list[str]]:
    if not isinstance(calls, list) or not calls:
        return [f"{where}: tool_calls must be a non-empty list"], []
    found, ids = [], []
    for call in calls:
        fn = call.get("function", {}) if isinstance(call, dict) else {}
        if (
            not isinstance(call, dict)
            or call.get("type") != "function"
            or not isinstance(call.get("id"), str)
        ):
            found.append(f"{where}: a tool call needs id and type 'function'")
            continue
        ids.append(call["id"])
        if fn.get("name") not in schemas:
            found.append(f"{where}: call to undeclared function {fn.get('name')!r}")
            continue
        try:
            args = json.loads(fn.get("arguments"))
        except (TypeError, json.JSONDecodeError):
            found.append(f"{where}: arguments must be a JSON string")
            continue
        errors = list(Draft202012Validator(schemas[fn["name"]]).iter_errors(args))
        found.extend(f"{where}: arguments do not fit {fn['name']}: {e.message}" for e in errors)
    return found, ids


def message_problems(
    i: int, m: Any, schemas: dict[str, dict[str, Any]], open_ids: set[str]
) -> list[str]:
    where = f"messages[{i}]"
    if not isinstance(m, dict) or m.get("role") not in ROLES:
        return [f"{where}: needs a role among {sorted(ROLES)}"]
    found = [f"{where}: unrecognized key {k!r}" for k in m if k not in MESSAGE_KEYS]
    calls = m.get("tool_calls")
    content = m.get("content")
    if calls is None and not isinstance(content, str):
        found.append(f"{where}: content must be a string")
    if content is not None and not isinstance(content, str):
        found.append(f"{where}: content must be a string or absent")
    if "weight" in m and (m["role"] != "assistant" or m["weight"] not in (0, 1)):
        found.append(f"{where}: weight is 0 or 1, on assistant messages only")
    if calls is not None:
        if m["role"] != "assistant":
            found.append(f"{where}: only assistant messages make tool calls")
        more, ids = call_problems(where, calls, schemas)
        found.extend(more)
        open_ids.update(ids)
    if m["role"] == "tool":
        if m.get("tool_call_id") not in open_ids:
            found.append(f"{where}: tool message answers no earlier tool call")
        open_ids.discard(m.get("tool_call_id"))
    return found


def line_problems(text: str) -> list[str]:
    """Every rule a line breaks (empty when it is a valid example)."""
    try:
        line = json.loads(text)
    except json.JSONDecodeError as exc:
        return [f"not JSON: {exc}"]
    if (
        not isinstance(line, dict)
        or not isinstance(line.get("messages"), list)
        or not line["messages"]
    ):
        return ["a line is an object with a non-empty 'messages' list"]
    found = [f"unrecognized key {k!r}" for k in line if k not in LINE_KEYS]
    schemas: dict[str, dict[str, Any]] = {}
    if "tools" in line:
        more, schemas = tool_problems(line["tools"])
        found.extend(more)
    open_ids: set[str] = set()
    for i, message in enumerate(line["messages"]):
        found.extend(message_problems(i, message, schemas, open_ids))
    if not any(isinstance(m, dict) and m.get("role") == "assistant" for m in line["messages"]):
        found.append("no assistant message")
    return found


def file_problems(text: str) -> list[str]:
    if not text.endswith("\n"):
        return ["the file must end with a newline"]
    return [
        f"line {n}: {p}"
        for n, line in enumerate(text.split("\n")[:-1], 1)
        for p in line_problems(line)
    ]
