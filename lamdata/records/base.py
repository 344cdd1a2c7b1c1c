"""The typed mirror of the JSON Schemas, and its Arrow form.

Records are frozen-by-convention dataclasses. One small reflection layer turns them into plain
dicts (for JSON and JSON Schema validation), back from dicts, and into an Arrow schema for the
store, so Python, JSON Schema and Parquet cannot drift apart silently: ``tests/test_records.py``
checks every record class against its schema in ``schemas/``.

Supported field types: ``str``, ``int``, ``float``, ``bool``, ``X | None``, ``list[X]`` and nested
record dataclasses. Free-form values are JSON strings (``*_json`` fields), never ``dict``, which
keeps Parquet columns typed and readable by every engine.
"""

from __future__ import annotations

import copy
import dataclasses
import types
import typing
from functools import cache
from typing import Any, TypeVar, Union

import pyarrow as pa

T = TypeVar("T", bound="Record")

_SCALARS: dict[type, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
}


@dataclasses.dataclass
class Record:
    """Base of every record: dict and Arrow conversion by reflection."""

    def to_dict(self) -> dict[str, Any]:
        """What ``dataclasses.asdict`` gives (lists are new lists), without its deep copies
        of every scalar, which cost more than building many records."""
        return _plain(self)

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        return typing.cast(T, _build(cls, data))

    @classmethod
    def arrow_schema(cls) -> pa.Schema:
        return _arrow_schema(typing.cast(type, cls))


_SCALAR_TYPES = (str, int, float, bool, type(None))


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _plain(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _field_names(type(record)):
        value = getattr(record, name)
        out[name] = value if isinstance(value, _SCALAR_TYPES) else _plain_value(value)
    return out


def _plain_value(value: Any) -> Any:
    if isinstance(value, _SCALAR_TYPES):
        return value
    if isinstance(value, Record):
        return _plain(value)
    if isinstance(value, list | tuple):
        if all(isinstance(v, _SCALAR_TYPES) for v in value):
            return type(value)(value)
        return type(value)(_plain_value(v) for v in value)
    return copy.deepcopy(value)  # (a dict or another value: what asdict would copy)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


@cache
def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def _convert(tp: Any, value: Any) -> Any:
    tp, _ = _unwrap_optional(tp)
    if value is None:
        return None
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _build(tp, value)
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp)
        return [_convert(item, v) for v in value]
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _build(cls: type, data: dict[str, Any]) -> Any:
    hints = _hints(cls)
    kwargs = {}
    for field in dataclasses.fields(cls):
        if field.name in data:
            kwargs[field.name] = _convert(hints[field.name], data[field.name])
    return cls(**kwargs)


def _arrow_type(tp: Any) -> tuple[pa.DataType, bool]:
    tp, nullable = _unwrap_optional(tp)
    if tp in _SCALARS:
        return _SCALARS[tp], nullable
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp)
        inner, _ = _arrow_type(item)
        return pa.list_(inner), nullable
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return pa.struct(list(_arrow_schema(tp))), nullable
    raise TypeError(f"unsupported record field type: {tp!r}")


@cache
def _arrow_schema(cls: type) -> pa.Schema:
    hints = _hints(cls)
    fields = []
    for field in dataclasses.fields(cls):
        arrow_type, _nullable = _arrow_type(hints[field.name])
        fields.append(pa.field(field.name, arrow_type, nullable=True))
    return pa.schema(fields)
