"""Bad input: one clear line naming the file or record, exit 1, and the store unchanged."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from lamdata.cli.errors import LamdataGroup
from lamdata.cli.main import app
from lamdata.errors import SchemaError, StoreError
from lamdata.records import TaskPlan
from lamdata.store import Store

from .helpers import (
    sample_instance,
    sample_rejection,
    sample_task_plan,
    sample_trajectory,
    snapshot,
)


@pytest.fixture
def filled(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store")
    plan = sample_task_plan()
    instance = sample_instance(plan)
    store.write("task_plans", [plan], part="tp")
    store.write("instances", [instance], part="in")
    store.write("trajectories", [sample_trajectory(instance)], part="tr")
    store.write("quarantine", [sample_rejection()], part="qr")
    return store


def _garbage(path: Path, store: Store) -> None:
    path.write_bytes(b"this is not parquet at all\n" * 10)


def _truncated(path: Path, store: Store) -> None:
    good = store.parts("task_plans")[0].read_bytes()
    path.write_bytes(good[: len(good) // 2])


def _empty(path: Path, store: Store) -> None:
    path.write_bytes(b"")


def _other_columns(path: Path, store: Store) -> None:
    pq.write_table(pa.table({"name": ["x"], "value": [1]}), path)


def _other_kinds(path: Path, store: Store) -> None:
    table = store.read("task_plans")
    pq.write_table(table.set_column(0, "id", pa.array([42], pa.int64())), path)


def _nested_kind(path: Path, store: Store) -> None:
    table = store.read("task_plans")
    pq.write_table(table.set_column(3, "steps", pa.array([[1, 2]], pa.list_(pa.int64()))), path)


BAD_FILES: dict[str, Callable[[Path, Store], None]] = {
    "garbage": _garbage,
    "truncated part": _truncated,
    "empty file": _empty,
    "other columns": _other_columns,
    "integer id": _other_kinds,
    "integer steps": _nested_kind,
}
BAD_NAME = re.escape("zz-dropped-here.parquet")
COMMANDS = {
    "query": ["query", "SELECT count(*) FROM task_plans"],
    "query a join": ["query", "SELECT count(*) FROM trajectories, task_plans"],
    "query every view": ["query", "SHOW TABLES"],
    "stats": ["stats"],
    "stats json": ["stats", "--json"],
}


def _invoke(store_path: Path, args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [args[0], "--store", str(store_path), *args[1:]])
    return result.exit_code, result.stdout, result.stderr


def _assert_one_error_line(stderr: str, *names: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: ") and " — " in lines[0]
    for name in names:
        assert name in lines[0]
    assert "Traceback" not in stderr


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
@pytest.mark.parametrize("make", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_in_a_table_folder(
    filled: Store, make: Callable[[Path, Store], None], command: list[str]
) -> None:
    bad = filled.table_dir("task_plans") / "zz-dropped-here.parquet"
    make(bad, filled)
    before = snapshot(filled.path)
    code, out, err = _invoke(filled.path, command)
    assert code == 1
    _assert_one_error_line(err, "zz-dropped-here.parquet")
    assert out == ""
    assert snapshot(filled.path) == before


@pytest.mark.parametrize("make", [_garbage, _other_kinds], ids=["garbage", "integer id"])
def test_a_bad_file_does_not_block_queries_of_other_tables(
    filled: Store, make: Callable[[Path, Store], None]
) -> None:
    make(filled.table_dir("task_plans") / "zz-dropped-here.parquet", filled)
    code, out, err = _invoke(filled.path, ["query", "SELECT count(*) AS n FROM steps", "-f", "csv"])
    assert (code, out, err) == (0, "n\n2\n", "")


@pytest.mark.parametrize("make", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_writing_next_to_a_bad_file_is_refused_and_changes_nothing(
    filled: Store, make: Callable[[Path, Store], None]
) -> None:
    bad = filled.table_dir("task_plans") / "zz-dropped-here.parquet"
    make(bad, filled)
    before = snapshot(filled.path)
    new = sample_task_plan(task="Underline the title")
    with pytest.raises(StoreError, match=BAD_NAME):
        filled.write("task_plans", [new], part="next")
    with pytest.raises(StoreError, match=BAD_NAME):
        filled.read("task_plans")
    with pytest.raises(StoreError, match=BAD_NAME):
        list(filled.iter_records("task_plans", TaskPlan))
    assert snapshot(filled.path) == before


def test_a_part_written_by_another_engine_with_other_type_widths_is_accepted(
    filled: Store,
) -> None:
    import polars as pl

    extra = sample_trajectory(label="fail")
    frame = pl.from_arrow(filled._to_arrow("trajectories", [extra]))
    assert isinstance(frame, pl.DataFrame)
    frame.write_parquet(filled.table_dir("trajectories") / "from-polars.parquet")
    code, out, err = _invoke(filled.path, ["query", "SELECT count(*) AS n FROM steps", "-f", "csv"])
    assert (code, out, err) == (0, "n\n4\n", "")
    assert len(filled.read("trajectories")) == 2


def test_store_path_that_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my notes\n", encoding="utf-8")
    for command in COMMANDS.values():
        code, _, err = _invoke(path, command)
        assert code == 1
        _assert_one_error_line(err, str(path), "is a file")
    assert path.read_text(encoding="utf-8") == "my notes\n"
    with pytest.raises(StoreError, match="is a file"):
        Store(path)


def test_store_path_that_does_not_exist_is_not_created(tmp_path: Path) -> None:
    code, _, err = _invoke(tmp_path / "nowhere", COMMANDS["query"])
    assert code == 1
    _assert_one_error_line(err, "nowhere")
    assert not (tmp_path / "nowhere").exists()


def test_unknown_table_in_sql(filled: Store) -> None:
    before = snapshot(filled.path)
    code, _, err = _invoke(filled.path, ["query", "SELECT * FROM task_plan"])
    assert code == 1
    _assert_one_error_line(err, "task_plan", "task_plans")
    assert snapshot(filled.path) == before


def test_a_schema_invalid_record_is_refused_by_name_and_pointer(filled: Store) -> None:
    before = snapshot(filled.path)
    plan = sample_task_plan(task="Italic")
    plan.steps = ["Select", 3]  # type: ignore[list-item]
    with pytest.raises(SchemaError) as caught:
        filled.write("task_plans", [sample_task_plan(task="fine"), plan], part="next")
    assert caught.value.pointer == "/steps/1"
    assert plan.id in caught.value.message and "task_plans" in caught.value.message
    trajectory = sample_trajectory()
    trajectory.steps[1].action.step = "two"  # type: ignore[assignment]
    with pytest.raises(SchemaError) as nested:
        filled.write("trajectories", [trajectory], part="next")
    assert nested.value.pointer == "/steps/1/action/step"
    assert snapshot(filled.path) == before
    assert not list(filled.path.glob(".tmp/*"))


def test_a_schema_error_reaches_the_user_as_one_line(filled: Store) -> None:
    """Through the one adapter, as any command that writes records would raise it."""
    cli = typer.Typer(cls=LamdataGroup, pretty_exceptions_enable=False)

    @cli.command()
    def put() -> None:
        plan = sample_task_plan()
        plan.lineage.generation = "first"  # type: ignore[assignment]
        filled.write("task_plans", [plan], part="put")

    @cli.command()
    def other() -> None:
        pass

    before = snapshot(filled.path)
    result = CliRunner().invoke(cli, ["put"])
    assert result.exit_code == 1
    _assert_one_error_line(result.stderr, sample_task_plan().id, "/lineage/generation")
    assert snapshot(filled.path) == before
