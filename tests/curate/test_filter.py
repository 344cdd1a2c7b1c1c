"""filter: named rules, SQL predicates, marks across runs, refused injections."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from lamdata.curate import evaluate_marks, filter, kept_ids, rejections
from lamdata.errors import ConfigError, InputError, QueryRefused
from lamdata.records import Judge
from lamdata.store import Store
from tests.curate.factories import plan, store_with, trajectory


@pytest.fixture
def store(tmp_path: Path) -> Store:
    long_ok = trajectory("Bold the title", [("click", "title"), ("click", "bold"), ("finish", "")])
    short_fail = trajectory("Italic", [("click", "italic")], label="fail", errors=1)
    errors = trajectory("Underline the word", [("click", "u"), ("finish", "")], errors=1)
    judged = trajectory("Center the page", [("click", "center"), ("finish", "")])
    judged.outcome.judge = Judge(complete="no")
    return store_with(str(tmp_path), "trajectories", [long_ok, short_fail, errors, judged])


def _marks(store: Store) -> pl.DataFrame:
    frame = pl.from_arrow(store.read("marks"))
    assert isinstance(frame, pl.DataFrame)
    return frame


def test_rules_count_rejections_by_rule(store: Store) -> None:
    summary = filter(store, table="trajectories", rules=["min_steps:2", "no_error_steps"])
    assert summary.records_in == 4 and summary.records_out == 2
    assert summary.rejected == {"min_steps:2": 1, "no_error_steps": 2}
    assert len(kept_ids(store, "trajectories")) == 2
    listed = rejections(store, "trajectories")
    assert sorted(listed["rule"].to_list()) == ["min_steps:2", "no_error_steps", "no_error_steps"]
    assert _marks(store).height == 8  # one mark per record per rule


def test_judge_agrees_and_outcome_rules(store: Store) -> None:
    summary = filter(
        store, table="trajectories", rules=["judge_agrees", "outcome_pass"], dry_run=True
    )
    assert summary.rejected == {"judge_agrees": 1, "outcome_pass": 1}


def test_where_predicate_and_dry_run_write_nothing(store: Store) -> None:
    summary = filter(store, table="trajectories", where="task LIKE '%the%'", dry_run=True)
    assert summary.rejected == {"where": 1}
    assert store.parts("marks") == []
    assert kept_ids(store, "trajectories") == store.keys("trajectories")


def test_latest_run_replaces_marks_unless_appended(store: Store) -> None:
    filter(store, table="trajectories", rules=["min_steps:2"])
    filter(store, table="trajectories", rules=["outcome_pass"])
    assert set(_marks(store)["rule"]) == {"outcome_pass"}
    summary = filter(store, table="trajectories", rules=["no_error_steps"], append=True)
    assert set(_marks(store)["rule"]) == {"outcome_pass", "no_error_steps"}
    assert summary.records_out == 2
    assert summary.rejected == {"outcome_pass": 1, "no_error_steps": 2}


def test_marks_of_other_tables_survive(store: Store) -> None:
    store.write("task_plans", [plan("Open"), plan("Save the file as PDF")], part="p")
    filter(store, table="task_plans", rules=["min_task_words:3"])
    filter(store, table="trajectories", rules=["min_steps:2"])
    filter(store, table="trajectories", rules=["min_steps:3"])
    marks = _marks(store)
    assert marks.filter(pl.col("table_name") == "task_plans").height == 2
    assert len(kept_ids(store, "task_plans")) == 1


def test_second_statement_is_refused(store: Store) -> None:
    with pytest.raises(QueryRefused):
        filter(store, table="trajectories", where="true; DELETE FROM trajectories")
    with pytest.raises(QueryRefused):
        filter(store, table="trajectories", where="true UNION SELECT 1")
    with pytest.raises(InputError):
        filter(store, table="trajectories", where="true) OR (true")
    with pytest.raises(QueryRefused):
        filter(
            store, table="trajectories", where="(SELECT count(*) FROM read_csv('/etc/passwd')) > 0"
        )
    assert store.parts("marks") == []


def test_comment_cannot_swallow_the_query(store: Store) -> None:
    marks = evaluate_marks(store, table="trajectories", where="len(steps) >= 3 -- trailing")
    assert marks["keep"].sum() == 1


def test_bad_rules_are_refused(store: Store) -> None:
    with pytest.raises(ConfigError, match="unknown rule"):
        filter(store, table="trajectories", rules=["nope"])
    with pytest.raises(ConfigError, match="does not apply"):
        filter(store, table="trajectories", rules=["lang:en"])
    with pytest.raises(ConfigError, match="not an integer"):
        filter(store, table="trajectories", rules=["min_steps:two"])
    with pytest.raises(ConfigError, match="needs a parameter"):
        filter(store, table="trajectories", rules=["min_steps"])
    with pytest.raises(ConfigError, match="nothing to filter"):
        filter(store, table="trajectories")
    with pytest.raises(InputError):
        filter(store, table="trajectories", where="no_such_column = 1")


def test_string_parameters_are_quoted(tmp_path: Path) -> None:
    plans = [plan("Open a file", app="o'brien"), plan("Save", app="word")]
    store = store_with(str(tmp_path), "task_plans", plans)
    summary = filter(store, table="task_plans", rules=["app:o'brien", "lang:en", "has_plan"])
    assert summary.rejected == {"app:o'brien": 1}
