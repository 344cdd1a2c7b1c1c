"""A fast yes/no schema check for model answers: the common case without ``jsonschema``.

``jsonschema`` builds a validator object per keyword and per level (about 0.15 ms for an
instantiation answer); a model's answer is almost always valid, so :func:`fast_check` compiles
a schema once into plain Python predicates for the keywords the answer schemas use (``type``,
``properties``, ``required``, ``additionalProperties: false``, ``items``, ``enum`` of strings,
``minLength``/``maxLength``, ``minimum``, ``minItems``/``maxItems``, ``$ref`` between the
package's schemas), with ``jsonschema``'s Draft 2020-12 semantics (a bool is not a number,
``1.0`` is an integer, lengths count code points). A schema with any other keyword gets
``None``: the caller keeps ``jsonschema``. A ``False`` is never trusted on its own either: the
caller asks ``jsonschema`` for the error, so only the cheap "valid" answer is decided here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from numbers import Number
from typing import Any

from lamdata.validation import load_schema, schema_names

Check = Callable[[Any], bool]
#: Keywords that never change validity (annotations, and $defs reached only through $ref).
_IGNORED = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default"}
)


class _Unsupported(Exception):
    """The schema uses a keyword this module does not compile."""


#: Type names that are exactly one ``isinstance`` (``boolean`` is ``bool``, which no other
#: of these includes; ``integer``/``number`` must exclude bools, so they are not here).
_PLAIN_TYPES: dict[str, type] = {
    "string": str,
    "object": dict,
    "array": list,
    "boolean": bool,
    "null": type(None),
}


def _is_type(name: str, value: Any) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if name == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, Number)
    raise _Unsupported(f"type {name!r}")


@cache
def _by_id() -> dict[str, dict[str, Any]]:
    return {s["$id"]: s for s in (load_schema(n) for n in schema_names()) if "$id" in s}


def _resolve(ref: str, base: str) -> tuple[Any, str]:
    uri, _, fragment = ref.partition("#")
    uri = uri or base
    node: Any = _by_id().get(uri)
    if node is None or (fragment and not fragment.startswith("/")):
        raise _Unsupported(f"$ref {ref!r}")
    for token in fragment.split("/")[1:] if fragment else ():
        key = token.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            raise _Unsupported(f"$ref {ref!r}")
        node = node[key]
    return node, uri


def _compile(node: Any, base: str, refs: tuple[str, ...]) -> Check:
    if node is True:
        return lambda value: True
    if node is False:
        return lambda value: False
    if not isinstance(node, dict):
        raise _Unsupported("schema is not an object")
    base = node.get("$id", base)
    checks: list[Check] = []
    for key, arg in node.items():
        if key in _IGNORED or key in ("properties", "additionalProperties"):
            continue
        checks.append(_keyword(key, arg, node, base, refs))
    if "properties" in node or "additionalProperties" in node:
        checks.append(_object(node, base, refs))
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)

    return lambda value: all(check(value) for check in checks)


def _keyword(key: str, arg: Any, node: dict[str, Any], base: str, refs: tuple[str, ...]) -> Check:
    if key == "type":
        names = [arg] if isinstance(arg, str) else list(arg)
        for name in names:
            _is_type(name, None)  # raises for an unknown type name
        plain = tuple(_PLAIN_TYPES[n] for n in names if n in _PLAIN_TYPES)
        if len(plain) == len(names):  # no bool-excluding number types: one isinstance
            return lambda value: isinstance(value, plain)
        return lambda value: any(_is_type(n, value) for n in names)
    if key == "required":
        needed = list(arg)
        return lambda value: not isinstance(value, dict) or all(k in value for k in needed)
    if key == "enum":
        if not all(isinstance(e, str) for e in arg):
            raise _Unsupported("enum of non-strings")
        allowed = frozenset(arg)
        return lambda value: isinstance(value, str) and value in allowed
    if key in ("minLength", "maxLength", "minItems", "maxItems", "minimum"):
        return _bound(key, arg)
    if key == "items":
        item = _compile(arg, base, refs)
        return lambda value: not isinstance(value, list) or all(item(v) for v in value)
    if key == "$ref":
        if arg in refs:
            raise _Unsupported("recursive $ref")
        target, target_base = _resolve(arg, base)
        return _compile(target, target_base, (*refs, arg))
    raise _Unsupported(key)


def _bound(key: str, arg: Any) -> Check:
    if isinstance(arg, bool) or not isinstance(arg, int | float):
        raise _Unsupported(f"{key} {arg!r}")
    if key == "minimum":
        return lambda value: not _is_type("number", value) or value >= arg
    kind = str if key.endswith("Length") else list
    if key.startswith("min"):
        return lambda value: not isinstance(value, kind) or len(value) >= arg
    return lambda value: not isinstance(value, kind) or len(value) <= arg


def _object(node: dict[str, Any], base: str, refs: tuple[str, ...]) -> Check:
    props = {k: _compile(v, base, refs) for k, v in node.get("properties", {}).items()}
    extra = node.get("additionalProperties", True)
    if extra is not True and extra is not False:
        raise _Unsupported("additionalProperties schema")
    closed = extra is False

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for k, v in value.items():
            prop = props.get(k)
            if prop is None:
                if closed:
                    return False
            elif not prop(v):
                return False
        return True

    return check


@cache
def fast_check(name: str) -> Check | None:
    """A predicate equal to ``validator(name).is_valid`` when it says True (None when the
    schema uses a keyword not compiled here)."""
    schema = load_schema(name)
    try:
        return _compile(schema, str(schema.get("$id", "")), ())
    except _Unsupported:
        return None
