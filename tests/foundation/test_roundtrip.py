"""Write → read is lossless for every record kind, through the store and through JSON;
writing the same records twice leaves one copy."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lamdata.records import Instance, Record, Rejection, Run, TaskPlan, Trajectory
from lamdata.store import Store

from .helpers import records_of

KINDS: list[tuple[type[Record], str, str]] = [
    (TaskPlan, "task_plans", "id"),
    (Instance, "instances", "id"),
    (Trajectory, "trajectories", "id"),
    (Rejection, "quarantine", "id"),
    (Run, "runs", "run_id"),
]
IDS = [cls.__name__ for cls, _, _ in KINDS]
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def batch(cls: type[Record], key: str) -> st.SearchStrategy[list[Record]]:
    return st.lists(records_of(cls), max_size=4, unique_by=lambda r: getattr(r, key))


@pytest.mark.parametrize(("cls", "table", "key"), KINDS, ids=IDS)
def test_store_round_trip_is_lossless(cls: type[Record], table: str, key: str) -> None:
    @FAST
    @given(rows=batch(cls, key))
    def check(rows: list[Record]) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "st")
            assert store.write(table, rows, part="p1") == len(rows)
            assert store.records(table, cls) == rows
            # and through a fresh Store object, as another process would see it
            assert Store(Path(tmp) / "st").records(table, cls) == rows

    check()


@pytest.mark.parametrize(("cls", "table", "key"), KINDS, ids=IDS)
def test_dict_and_json_round_trip_is_lossless(cls: type[Record], table: str, key: str) -> None:
    @FAST
    @given(record=records_of(cls))
    def check(record: Record) -> None:
        assert cls.from_dict(record.to_dict()) == record
        assert cls.from_dict(json.loads(json.dumps(record.to_dict()))) == record

    check()


@pytest.mark.parametrize(("cls", "table", "key"), KINDS, ids=IDS)
def test_writing_twice_keeps_one_copy(cls: type[Record], table: str, key: str) -> None:
    @FAST
    @given(rows=batch(cls, key), extra=records_of(cls))
    def check(rows: list[Record], extra: Record) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "st")
            store.write(table, rows, part="p1")
            assert store.write(table, rows, part="p1") == 0  # same part: skipped
            assert store.write(table, [*rows, *rows], part="p2") == 0  # other part: deduped
            fresh = [extra] if getattr(extra, key) not in {getattr(r, key) for r in rows} else []
            assert store.write(table, [*rows, *fresh], part="p3") == len(fresh)
            keys = [getattr(r, key) for r in store.records(table, cls)]
            assert sorted(keys) == sorted(getattr(r, key) for r in [*rows, *fresh])
            assert len(keys) == len(set(keys))

    check()


def test_duplicates_inside_one_batch_keep_the_first(store: Store) -> None:
    a = Rejection.create(stage="s", reason="x: one")
    b = Rejection(**{**a.to_dict(), "reason": "x: other"})  # same id, other content
    assert store.write("quarantine", [a, b, a], part="p") == 1
    assert store.records("quarantine", Rejection) == [a]


def test_other_engines_read_what_the_store_wrote(store: Store) -> None:
    rows = [Rejection.create(stage="s", reason=f"r: {i}") for i in range(5)]
    store.write("quarantine", rows, part="p")
    frame = pl.read_parquet(store.table_dir("quarantine") / "*.parquet")
    assert sorted(frame["id"].to_list()) == sorted(r.id for r in rows)
