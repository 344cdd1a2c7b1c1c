"""Settings resolve flag > environment > config file > default; ``lamdata stats``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lamdata.cli.main import app
from lamdata.errors import ConfigError
from lamdata.settings import Settings, resolve
from lamdata.store import Store, Summary, recorded_run

from .helpers import sample_instance, sample_rejection, sample_task_plan, sample_trajectory


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in (
        "LAMDATA_STORE",
        "LAMDATA_SEED",
        "LAMDATA_CONFIG",
        "LAMDATA_CACHE",
        "LAMDATA_JOBS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_defaults(clean_env: Path) -> None:
    settings = resolve()
    assert settings == Settings()
    assert settings.config_file is None


def test_flag_beats_env_beats_file_beats_default(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (clean_env / "lamdata.toml").write_text(
        '[lamdata]\nstore = "from-file"\nseed = 3\njobs = 4\n', encoding="utf-8"
    )
    monkeypatch.setenv("LAMDATA_STORE", "from-env")
    monkeypatch.setenv("LAMDATA_SEED", "7")
    settings = resolve(store="from-flag", seed=None)
    assert settings.store == "from-flag"  # flag over env and file
    assert settings.seed == 7  # env over file (a None flag is "not given")
    assert settings.jobs == 4  # file over default
    assert settings.concurrency == Settings().concurrency  # default
    assert settings.config_file == "lamdata.toml"
    assert resolve(seed=0).seed == 0  # a falsy flag still wins


def test_config_file_from_env_and_flag(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (clean_env / "a.toml").write_text('store = "a"\ncache = false\n', encoding="utf-8")
    (clean_env / "b.toml").write_text('store = "b"\n', encoding="utf-8")
    monkeypatch.setenv("LAMDATA_CONFIG", str(clean_env / "a.toml"))
    assert resolve().store == "a" and resolve().cache is False
    assert resolve(config_file=str(clean_env / "b.toml")).store == "b"


def test_env_values_are_coerced_and_bad_ones_are_config_errors(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAMDATA_CACHE", "no")
    monkeypatch.setenv("LAMDATA_JOBS", "2")
    assert resolve().cache is False and resolve().jobs == 2
    monkeypatch.setenv("LAMDATA_JOBS", "many")
    with pytest.raises(ConfigError, match="jobs"):
        resolve()


def test_the_cli_takes_the_store_from_env_and_the_flag_wins(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_store = Store(clean_env / "env-store")
    env_store.write("task_plans", [sample_task_plan()], part="p")
    flag_store = clean_env / "flag-store"
    flag_store.mkdir()
    sql = ["query", "SELECT count(*) AS n FROM task_plans", "-f", "csv"]
    monkeypatch.setenv("LAMDATA_STORE", str(env_store.path))
    assert CliRunner().invoke(app, sql).stdout == "n\n1\n"
    assert CliRunner().invoke(app, [*sql, "--store", str(flag_store)]).stdout == "n\n0\n"


# -- stats ---------------------------------------------------------------------------------------


@pytest.fixture
def filled(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store")
    word = sample_task_plan()
    excel = sample_task_plan(task="Sum a column", app="excel")
    instance = sample_instance(word)
    store.write("task_plans", [word, excel], part="tp")
    store.write("instances", [instance], part="in")
    other = sample_instance(excel)
    store.write(
        "trajectories",
        [sample_trajectory(instance), sample_trajectory(other, label="fail")],
        part="tr",
    )
    with recorded_run(store, "test", {"k": 1}) as summary:
        summary.records_in = 2
        store.quarantine([sample_rejection()], part="qr", run_id=summary.run_id)
    return store


def test_stats_json(filled: Store) -> None:
    result = CliRunner().invoke(app, ["stats", "--store", str(filled.path), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {k: data["tables"][k] for k in ("task_plans", "instances", "trajectories")} == {
        "task_plans": 2,
        "instances": 1,
        "trajectories": 2,
    }
    assert data["tables"]["quarantine"] == 1 and data["tables"]["runs"] == 1
    assert data["task_plans by app"] == {"excel": 1, "word": 1}
    assert data["task_plans by source"] == {"help_doc": 2}
    assert data["trajectories by app"] == {"excel": 1, "word": 1}
    assert data["trajectories by outcome"] == {"fail": 1, "pass": 1}
    assert data["quarantine by stage"] == {"ingest_docs": 1}


def test_stats_table(filled: Store) -> None:
    result = CliRunner().invoke(app, ["stats", "--store", str(filled.path)], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    for title in ("tables", "task_plans by app", "trajectories by outcome"):
        assert title in result.stdout
    rows = [line.strip("│ ").split() for line in result.stdout.splitlines()]
    assert ["task_plans", "│", "2"] in rows
    assert ["fail", "│", "1"] in rows


def test_stats_of_an_empty_store(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(app, ["stats", "--store", str(tmp_path / "empty"), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data["tables"].values()) == {0}
    assert data["trajectories by outcome"] == {}


def test_a_run_is_recorded_even_when_the_work_fails(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    with pytest.raises(ValueError), recorded_run(store, "doomed", {}) as summary:
        summary.records_in = 5
        raise ValueError("boom")
    (run,) = store.read("runs").to_pylist()
    assert (run["command"], run["status"], run["records_in"]) == ("doomed", "failed", 5)
    assert Summary(command="x", config={"a": 1}).config_hash == Summary("x", {"a": 1}).config_hash
