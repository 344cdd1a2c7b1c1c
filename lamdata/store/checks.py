"""Checks at the store's edges: is a Parquet file a part of this table, and which field of a
record cannot be stored.

A part written by another engine may spell a type differently (polars writes ``large_string``,
newer writers ``string_view``); what matters is the kind of each column, so a foreign file with
the right column names but other kinds of values (an integer ``id``) is refused by name instead
of being cast silently or failing later with an obscure error.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.types as pat


def type_kind(tp: pa.DataType) -> Any:
    """A comparable description of a type, blind to large/view variants and integer widths."""
    if pat.is_null(tp):
        return "null"
    if pat.is_string(tp) or pat.is_large_string(tp) or pat.is_string_view(tp):
        return "string"
    if pat.is_integer(tp):
        return "integer"
    if pat.is_floating(tp):
        return "floating"
    if pat.is_list(tp) or pat.is_large_list(tp) or pat.is_list_view(tp):
        return ("list", type_kind(tp.value_type))
    if pat.is_struct(tp):
        return (
            "struct",
            {tp.field(i).name: type_kind(tp.field(i).type) for i in range(tp.num_fields)},
        )
    return str(tp)


def kind_mismatch(found: pa.DataType, expected: pa.DataType, where: str) -> str | None:
    """Where ``found`` cannot hold what ``expected`` holds (None when it can)."""
    if pat.is_null(found):
        return None  # an all-null column written by another engine
    fk, ek = type_kind(found), type_kind(expected)
    if isinstance(ek, tuple) and isinstance(fk, tuple) and fk[0] == ek[0]:
        if ek[0] == "list":
            return kind_mismatch(found.value_type, expected.value_type, f"{where}[]")
        for i in range(expected.num_fields):
            child = expected.field(i)
            index = found.get_field_index(child.name)
            if index < 0:
                return f"{where}.{child.name} is missing"
            problem = kind_mismatch(found.field(index).type, child.type, f"{where}.{child.name}")
            if problem:
                return problem
        return None
    return None if fk == ek else f"{where} is {found}, expected {expected}"


def schema_mismatch(found: pa.Schema, expected: pa.Schema) -> str | None:
    """The first column of ``expected`` that ``found`` lacks or holds with another kind."""
    if found.equals(expected, check_metadata=False):
        return None  # a part the store wrote itself: the common case, checked quickly
    missing = [n for n in expected.names if n not in found.names]
    if missing:
        return f"lacks columns {missing}"
    for field in expected:
        problem = kind_mismatch(found.field(field.name).type, field.type, field.name)
        if problem:
            return f"has column {problem}"
    return None


def bad_field(row: dict[str, Any], schema: pa.Schema) -> tuple[str, str]:
    """The JSON pointer of the first value of ``row`` that Arrow cannot store, and why."""
    for field in schema:
        found = _bad_value(row.get(field.name), field.type, f"/{field.name}")
        if found:
            return found
    return "", "the record cannot be stored"


def _bad_value(value: Any, tp: pa.DataType, pointer: str) -> tuple[str, str] | None:
    try:
        pa.array([value], type=tp)
        return None
    except (pa.ArrowException, OverflowError, TypeError, ValueError) as exc:
        reason = f"{type(value).__name__} value does not fit {tp} ({exc})"
    if pat.is_struct(tp) and isinstance(value, dict):
        for i in range(tp.num_fields):
            child = tp.field(i)
            found = _bad_value(value.get(child.name), child.type, f"{pointer}/{child.name}")
            if found:
                return found
    if pat.is_list(tp) and isinstance(value, list):
        for i, item in enumerate(value):
            found = _bad_value(item, tp.value_type, f"{pointer}/{i}")
            if found:
                return found
    return pointer, reason


# -- a part's schema, fingerprinted without parsing the whole footer ---------------------------
#
# Parsing a Parquet footer (pyarrow, DuckDB) costs about half a millisecond a file, most of it
# in the row-group statistics. The schema is the footer's second field, serialized by Thrift's
# compact protocol before anything that varies with the data, so parts with byte-identical
# schema serializations have identical schemas: a store checks one part of each fingerprint in
# full and the others by comparing bytes. Anything unexpected gives no fingerprint, and the
# caller falls back to the full check.

_FIXED = {1: 0, 2: 0, 3: 1, 7: 8}  # compact types: bool true/false, byte, double


def schema_fingerprint(path: Path, known: Iterable[bytes] = ()) -> bytes | None:
    """The bytes of the schema in the footer of Parquet file ``path`` (None if unsure).

    A footer that starts with a ``known`` fingerprint has that schema (the serialization is
    self-delimiting), which spares parsing it.
    """
    try:
        with open(path, "rb") as handle:
            handle.seek(-8, os.SEEK_END)
            tail = handle.read(8)
            size = int.from_bytes(tail[:4], "little")
            if tail[4:] != b"PAR1" or not 0 < size < 2**26:
                return None
            handle.seek(-8 - size, os.SEEK_END)
            footer = handle.read(size)
        return next((k for k in known if footer.startswith(k)), None) or _through_schema(footer)
    except (OSError, IndexError, ValueError):
        return None


def _through_schema(footer: bytes) -> bytes | None:
    """``footer`` up to the end of field 2 (the schema list), if it starts with fields 1, 2."""
    if footer[:1] != b"\x15":  # field 1 (version), i32
        return None
    pos = _varint(footer, 1)[1]
    if footer[pos] != 0x19:  # field 2 (delta 1), list
        return None
    return footer[: _skip(footer, pos + 1, 9)]


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos
        if shift > 63:
            raise ValueError("varint too long")


def _skip(data: bytes, pos: int, kind: int) -> int:
    """The position after a compact-protocol value of type ``kind`` starting at ``pos``."""
    if kind in _FIXED:
        return pos + _FIXED[kind]
    if kind in (4, 5, 6):  # i16, i32, i64
        return _varint(data, pos)[1]
    if kind == 8:  # binary
        length, pos = _varint(data, pos)
        return pos + length
    if kind in (9, 10):  # list, set
        header = data[pos]
        count, pos = (header >> 4, pos + 1) if header >> 4 != 15 else _varint(data, pos + 1)
        if header & 0x0F in (1, 2):  # booleans in a list take a byte each
            return pos + count
        for _ in range(count):
            pos = _skip(data, pos, header & 0x0F)
        return pos
    if kind == 12:  # struct
        while data[pos] != 0:  # fields until the stop byte
            header = data[pos]
            pos += 1
            if header >> 4 == 0:  # no id delta: the field id follows
                pos = _varint(data, pos)[1]
            pos = _skip(data, pos, header & 0x0F)
        return pos + 1
    raise ValueError(f"unexpected compact type {kind}")
