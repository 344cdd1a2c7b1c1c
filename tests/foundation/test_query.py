"""The read-only SQL sandbox: what it refuses, what it accepts, the views, empty stores."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from lamdata.cli.main import app
from lamdata.errors import InputError, QueryRefused
from lamdata.store import Store, query

from .helpers import sample_instance, sample_task_plan, sample_trajectory, snapshot

REFUSED = {
    "two statements": "SELECT 1; SELECT 2",
    "read_csv": "SELECT * FROM read_csv('/etc/passwd')",
    "read_text": "SELECT * FROM read_text('/etc/passwd')",
    "bare file": "SELECT * FROM '{outside}/foreign.parquet'",
    "glob": "SELECT * FROM glob('/*')",
    "copy to": "COPY (SELECT 1 AS a) TO '{outside}/copied.csv'",
    "copy from": "COPY task_plans FROM '{outside}/x.csv'",
    "export": "EXPORT DATABASE '{outside}/exported'",
    "attach": "ATTACH '{outside}/other.duckdb' AS other",
    "detach": "DETACH memory",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "set": "SET threads = 1",
    "reset": "RESET threads",
    "use": "USE memory",
    "create table": "CREATE TABLE t AS SELECT 1",
    "create view": "CREATE VIEW v AS SELECT 1",
    "create secret": "CREATE SECRET s (TYPE s3)",
    "drop": "DROP VIEW steps",
    "insert": "INSERT INTO runs SELECT * FROM runs",
    "update": "UPDATE runs SET command = 'x'",
    "delete": "DELETE FROM runs",
    "pragma": "PRAGMA version",
    "call": "CALL pragma_version()",
    "checkpoint": "CHECKPOINT",
    "read_parquet outside": "SELECT * FROM read_parquet('{outside}/foreign.parquet')",
    "parquet_metadata outside": "SELECT * FROM parquet_metadata('{outside}/foreign.parquet')",
    "relative escape": "SELECT * FROM read_parquet('{store}/../outside/foreign.parquet')",
    "sibling prefix": "SELECT * FROM read_parquet('{store}2/x.parquet')",
}
ACCEPTED = {
    "select": ("SELECT id, app FROM task_plans", 1),
    "with": ("WITH t AS (SELECT * FROM trajectories) SELECT count(*) AS n FROM t", 1),
    "describe": ("DESCRIBE trajectories", None),
    "summarize": ("SUMMARIZE task_plans", None),
    "explain": ("EXPLAIN SELECT * FROM steps", None),
    "show": ("SHOW TABLES", None),
    "from-first": ("FROM steps SELECT status", 2),
    "inside the store": (
        "SELECT count(*) AS n FROM read_parquet('{store}/task_plans/*.parquet')",
        1,
    ),
}
VIEWS = ["task_plans", "instances", "trajectories", "quarantine", "runs", "steps"]


@pytest.fixture
def filled(tmp_path: Path) -> Store:
    outside = tmp_path / "outside"
    outside.mkdir()
    pq.write_table(pa.table({"secret": ["s3cr3t"]}), outside / "foreign.parquet")
    store = Store(tmp_path / "store")
    plan = sample_task_plan()
    instance = sample_instance(plan)
    store.write("task_plans", [plan], part="tp")
    store.write("instances", [instance], part="in")
    store.write("trajectories", [sample_trajectory(instance)], part="tr")
    return store


def _sql(template: str, store: Store) -> str:
    root = store.path.resolve()
    return template.format(store=root, outside=root.parent / "outside")


@pytest.mark.parametrize("sql", REFUSED.values(), ids=REFUSED.keys())
def test_refused_and_nothing_changes(filled: Store, sql: str) -> None:
    root = filled.path.parent
    before = snapshot(root)
    with pytest.raises(QueryRefused) as caught:
        query(filled, _sql(sql, filled))
    assert "s3cr3t" not in str(caught.value)
    assert "root:" not in str(caught.value)
    assert snapshot(root) == before


@pytest.mark.parametrize("name", ["two statements", "read_csv", "copy to", "attach", "set"])
def test_refusals_through_the_cli_are_one_clear_line(filled: Store, name: str) -> None:
    result = CliRunner().invoke(app, ["query", "-s", str(filled.path), _sql(REFUSED[name], filled)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and " — " in lines[0]
    assert "Traceback" not in result.output


def test_a_refused_copy_writes_no_file(filled: Store) -> None:
    outside = filled.path.resolve().parent / "outside"
    with pytest.raises(QueryRefused):
        query(filled, f"COPY (SELECT * FROM task_plans) TO '{outside}/leak.parquet'")
    assert not (outside / "leak.parquet").exists()


@pytest.mark.parametrize(("sql", "rows"), ACCEPTED.values(), ids=ACCEPTED.keys())
def test_accepted(filled: Store, sql: str, rows: int | None) -> None:
    result = query(filled, _sql(sql, filled))
    assert result.num_rows > 0
    if rows is not None:
        assert result.num_rows == rows


def test_steps_view_has_one_row_per_step_with_action_fields(filled: Store) -> None:
    rows = query(filled, "SELECT * FROM steps ORDER BY idx").to_pylist()
    assert [(r["idx"], r["status"], r["function"]) for r in rows] == [
        (0, "ok", "select_text"),
        (1, "ok", "click"),
    ]
    trajectory = filled.records("trajectories", type(sample_trajectory()))[0]
    assert {r["trajectory_id"] for r in rows} == {trajectory.id}
    assert rows[1]["control_text"] == "Bold"


def test_views_of_tables_the_parser_cannot_see_are_there_too(filled: Store) -> None:
    assert query(filled, "SELECT count(*) AS n FROM query_table('steps')").to_pylist() == [{"n": 2}]
    names = query(filled, "SHOW TABLES").column("name").to_pylist()
    assert set(VIEWS) <= set(names)
    assert query(filled, "SELECT count(*) AS n FROM Steps").to_pylist() == [{"n": 2}]


def test_a_cte_named_like_a_table_is_fine(filled: Store) -> None:
    sql = "WITH runs AS (SELECT 1 AS x) SELECT count(*) AS n FROM runs, task_plans"
    assert query(filled, sql).to_pylist() == [{"n": 1}]


def test_configuration_stays_locked(filled: Store) -> None:
    result = query(filled, "SELECT current_setting('enable_external_access') AS v")
    assert result.to_pylist() == [{"v": False}]


def test_unknown_table_names_the_views(filled: Store) -> None:
    with pytest.raises(InputError, match="nope") as caught:
        query(filled, "SELECT * FROM nope")
    assert "task_plans" in caught.value.hint and "steps" in caught.value.hint


def test_sql_that_does_not_parse_is_an_input_error(filled: Store) -> None:
    with pytest.raises(InputError, match=r"parse\b|Parser"):
        query(filled, "SELEC 1")


@pytest.mark.parametrize("view", VIEWS)
def test_an_empty_store_answers_with_zero_rows(store: Store, view: str) -> None:
    result = query(store, f"SELECT * FROM {view}")
    assert result.num_rows == 0
    assert result.num_columns > 3
    assert query(store, f"SELECT count(*) AS n FROM {view}").to_pylist() == [{"n": 0}]
    assert list(store.path.iterdir()) == []  # reading created nothing


def test_an_empty_part_answers_with_zero_rows(store: Store) -> None:
    store.write("trajectories", [], part="nothing")
    assert query(store, "SELECT * FROM steps").num_rows == 0
    assert query(store, "SELECT count(*) AS n FROM trajectories").to_pylist() == [{"n": 0}]


# -- output formats ----------------------------------------------------------------------------


def _cli(store: Store, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["query", "-s", str(store.path), *args])
    return result.exit_code, result.stdout, result.stderr


SQL = "SELECT id, app, len(steps) AS n FROM task_plans"


def test_format_table(filled: Store) -> None:
    code, out, _ = _cli(filled, SQL)
    assert code == 0
    assert sample_task_plan().id in out and "word" in out and "┃" in out


def test_format_csv(filled: Store) -> None:
    code, out, _ = _cli(filled, SQL, "--format", "csv")
    assert code == 0
    assert out.splitlines() == ["id,app,n", f"{sample_task_plan().id},word,2"]


def test_format_json(filled: Store) -> None:
    code, out, _ = _cli(filled, SQL, "-f", "json")
    assert code == 0
    assert json.loads(out) == [{"id": sample_task_plan().id, "app": "word", "n": 2}]


def test_format_jsonl_with_nested_values(filled: Store) -> None:
    code, out, _ = _cli(filled, "SELECT steps, source FROM task_plans", "-f", "jsonl")
    assert code == 0
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert row["steps"] == sample_task_plan().steps
    assert row["source"]["kind"] == "help_doc"


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "table"])
def test_output_file(filled: Store, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    code, out, _ = _cli(filled, SQL, "-f", fmt, "--output", str(target))
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert sample_task_plan().id in text
    assert sample_task_plan().id not in out


def test_unknown_format_is_a_usage_error(filled: Store) -> None:
    code, _, err = _cli(filled, SQL, "-f", "xml")
    assert code == 2
    assert err.startswith("Error: unknown format 'xml'")
