"""Checking many parts cheaply: one full check per distinct schema, the rest by schema bytes."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lamdata.errors import StoreError
from lamdata.records import Rejection
from lamdata.store import Store, query
from lamdata.store.checks import schema_fingerprint

from .helpers import sample_rejection


def _write(path: Path, table: pa.Table) -> Path:
    pq.write_table(table, path)
    return path


def test_same_schema_same_fingerprint_whatever_the_rows(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.parquet", pa.table({"x": [1], "y": ["a"]}))
    b = _write(tmp_path / "b.parquet", pa.table({"x": list(range(1000)), "y": ["b"] * 1000}))
    c = _write(tmp_path / "c.parquet", pa.table({"x": ["1"], "y": ["a"]}))
    d = _write(tmp_path / "d.parquet", pa.table({"y": ["a"], "x": [1]}))
    fa = schema_fingerprint(a)
    assert fa is not None and fa == schema_fingerprint(b)
    assert schema_fingerprint(c) not in (None, fa)
    assert schema_fingerprint(d) not in (None, fa)
    assert schema_fingerprint(b, known=[fa]) == fa  # found by prefix, no parse
    assert schema_fingerprint(c, known=[fa]) != fa


@settings(max_examples=30, deadline=None)
@given(
    names=st.lists(
        st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=1, max_size=4, unique=True
    ),
    kinds=st.lists(
        st.sampled_from(["int", "str", "list", "struct", "bool"]), min_size=4, max_size=4
    ),
)
def test_fingerprints_differ_exactly_when_schemas_differ(
    names: list[str], kinds: list[str]
) -> None:
    import tempfile

    types = {
        "int": pa.int64(),
        "str": pa.string(),
        "list": pa.list_(pa.string()),
        "struct": pa.struct([("a", pa.float64()), ("b", pa.list_(pa.bool_()))]),
        "bool": pa.bool_(),
    }
    one = pa.schema([(n, types[k]) for n, k in zip(names, kinds, strict=False)])
    other = pa.schema([(n, types[k]) for n, k in zip(names, reversed(kinds), strict=False)])
    with tempfile.TemporaryDirectory() as tmp:
        fa = schema_fingerprint(_write(Path(tmp) / "a.parquet", one.empty_table()))
        fb = schema_fingerprint(_write(Path(tmp) / "b.parquet", other.empty_table()))
        assert fa is not None and fb is not None
        assert (fa == fb) == one.equals(other)


@pytest.mark.parametrize("content", [b"", b"PAR1", b"garbage" * 10, b"PAR1\xff\xff\xff\x7fPAR1"])
def test_no_fingerprint_for_what_is_not_parquet(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.parquet"
    path.write_bytes(content)
    assert schema_fingerprint(path) is None


def test_check_parts_says_whether_parts_are_uniform(store: Store) -> None:
    for i in range(3):
        store.write("quarantine", [sample_rejection(f"r: {i}")], part=f"p{i}")
    parts = store.parts("quarantine")
    assert store.check_parts("quarantine", parts) is True
    frame = pl.from_arrow(store._to_arrow("quarantine", [sample_rejection("r: polars")]))
    assert isinstance(frame, pl.DataFrame)
    frame.write_parquet(store.table_dir("quarantine") / "p9-polars.parquet")
    assert store.check_parts("quarantine", store.parts("quarantine")) is False
    result = query(store, "SELECT count(*) AS n FROM quarantine")  # unified by name
    assert result.to_pylist() == [{"n": 4}]
    assert len(store.records("quarantine", Rejection)) == 4


def test_a_foreign_part_among_many_is_still_found(store: Store) -> None:
    for i in range(5):
        store.write("quarantine", [sample_rejection(f"r: {i}")], part=f"p{i}")
    table = store.read("quarantine").slice(0, 1)
    bad = table.set_column(2, "reason", pa.array([7], pa.int64()))
    pq.write_table(bad, store.table_dir("quarantine") / "p2-foreign.parquet")
    with pytest.raises(StoreError, match="p2-foreign"):
        store.check_parts("quarantine", store.parts("quarantine"))
    with pytest.raises(StoreError, match="p2-foreign"):
        query(store, "SELECT count(*) FROM quarantine")


def test_damage_after_the_schema_is_still_named_when_reading_fails(store: Store) -> None:
    """The fast check compares schema bytes only; a failing read then checks every part."""
    for i in range(3):
        store.write("quarantine", [sample_rejection(f"r: {i}")], part=f"p{i}")
    path = store.parts("quarantine")[1]
    fingerprint = schema_fingerprint(path)
    assert fingerprint is not None
    data = bytearray(path.read_bytes())
    footer_start = len(data) - 8 - int.from_bytes(data[-8:-4], "little")
    for i in range(footer_start + len(fingerprint) + 5, len(data) - 8):
        data[i] = 0xFF  # row-group metadata destroyed, schema intact
    path.write_bytes(bytes(data))
    assert schema_fingerprint(path) == fingerprint
    with pytest.raises(StoreError, match=r"p1\.parquet"):
        query(store, "SELECT count(*) FROM quarantine")
    with pytest.raises(StoreError, match=r"p1\.parquet"):
        query(store, "SELECT max(reason) FROM quarantine")
