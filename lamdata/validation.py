"""JSON Schema validation of records and arguments, with JSON pointers in every error.

Schemas ship inside the package (``lamdata/schemas`` is the repository's ``schemas/`` folder)
and are loaded through ``importlib.resources``; ``$ref`` between them resolves through one
registry keyed by their ``$id``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from lamdata.errors import SchemaError


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The schema ``schemas/<name>.schema.json`` as a dict."""
    path = resources.files("lamdata") / "schemas" / f"{name}.schema.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SchemaError(f"no schema named {name!r}", hint="see lamdata/schemas/") from exc
    return data


def schema_names() -> list[str]:
    folder = resources.files("lamdata") / "schemas"
    return sorted(
        p.name.removesuffix(".schema.json")
        for p in folder.iterdir()
        if p.name.endswith(".schema.json")
    )


@cache
def _registry() -> Registry:
    resources_ = [
        (s["$id"], Resource.from_contents(s)) for s in (load_schema(n) for n in schema_names())
    ]
    return Registry().with_resources(resources_)


@cache
def validator(name: str, subschema: str = "") -> Draft202012Validator:
    """A cached validator for schema ``name`` or one of its subschemas (a JSON pointer)."""
    schema = load_schema(name)
    if subschema:
        schema = {"$ref": f"{schema['$id']}#{subschema}"}
    return Draft202012Validator(schema, registry=_registry())


def pointer_of(error: ValidationError) -> str:
    """The JSON pointer (RFC 6901) of the value an error is about."""
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in error.absolute_path]
    return "/" + "/".join(parts) if parts else ""


def errors(name: str, value: Any, subschema: str = "") -> list[tuple[str, str]]:
    """Every validation error of ``value`` as (pointer, message), best first."""
    found = sorted(validator(name, subschema).iter_errors(value), key=lambda e: e.path)
    return [(pointer_of(e), e.message) for e in found]


def validate(name: str, value: Any, subschema: str = "", *, what: str = "record") -> None:
    """Raise :class:`SchemaError` naming the JSON pointer of the first error."""
    found = errors(name, value, subschema)
    if found:
        pointer, message = found[0]
        raise SchemaError(
            f"{what} is not a valid {name} at {pointer or '/'}: {message}", pointer=pointer
        )


def validate_args(function: str, args: Any) -> list[tuple[str, str]]:
    """Errors of an action's arguments against the function's argument schema."""
    if function not in load_schema("action")["$defs"]["args"]:
        return [("/function", f"unknown function {function!r}")]
    return errors("action", args, f"/$defs/args/{function}")
