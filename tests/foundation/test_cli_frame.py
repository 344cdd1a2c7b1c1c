"""The CLI frame: help, version, ``python -m lamdata``, exit codes, tracebacks only on --debug."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import lamdata
from lamdata.cli import store_cmds
from lamdata.cli.main import app
from lamdata.store import Store

from .helpers import sample_task_plan

ROOT = Path(__file__).resolve().parents[2]


def _python_m(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("LAMDATA_STORE", None)
    env["COLUMNS"] = "200"
    return subprocess.run(
        [sys.executable, "-m", "lamdata", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


def _commands() -> list[str]:
    group = __import__("typer").main.get_command(app)
    return sorted(group.list_commands(None))


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    rows = {line.strip("│ ").split(" ")[0] for line in result.stdout.splitlines()}
    for name in _commands():
        assert name in rows
    assert {"query", "stats"} <= set(_commands())


def test_no_arguments_shows_help_as_a_usage_error() -> None:
    result = CliRunner().invoke(app, [])
    assert result.exit_code == 2
    assert "Usage" in result.output


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"lamdata {lamdata.__version__}"


@pytest.mark.parametrize("command", ["query", "stats"])
def test_every_command_help_has_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Example: lamdata" in result.stdout


def test_python_dash_m_lamdata(tmp_path: Path) -> None:
    result = _python_m("--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "query" in result.stdout and "stats" in result.stdout
    assert _python_m("--version", cwd=tmp_path).stdout.strip() == f"lamdata {lamdata.__version__}"


@pytest.mark.parametrize(
    "args",
    [
        ["no-such-command"],
        ["query"],
        ["query", "SELECT 1", "--no-such-option"],
        ["query", "SELECT 1", "--format", "xml"],
        ["stats", "extra-argument"],
    ],
)
def test_usage_errors_exit_2(store: Store, args: list[str]) -> None:
    result = CliRunner().invoke(app, [*args, "--store", str(store.path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_bad_config_file_is_a_usage_error(store: Store, tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("store = [unclosed", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["stats", "--store", str(store.path)], env={"LAMDATA_CONFIG": str(config)}
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: config file") and str(config) in result.stderr
    missing = CliRunner().invoke(
        app, ["stats", "--store", str(store.path)], env={"LAMDATA_CONFIG": str(tmp_path / "no")}
    )
    assert missing.exit_code == 2


@pytest.fixture
def corrupt(tmp_path: Path) -> Path:
    store = Store(tmp_path / "store")
    store.write("task_plans", [sample_task_plan()], part="p")
    (store.table_dir("task_plans") / "broken.parquet").write_bytes(b"PAR1 nope")
    return store.path


def test_no_traceback_without_debug(corrupt: Path, tmp_path: Path) -> None:
    result = _python_m("query", "--store", str(corrupt), "SELECT 1", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: store file ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback_without_locals(corrupt: Path, tmp_path: Path) -> None:
    result = _python_m("--debug", "query", "--store", str(corrupt), "SELECT 1", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "lamdata.errors.StoreError" in result.stderr
    assert "broken.parquet" in result.stderr
    for marker in ("locals", "self = ", "store = <", "╭"):
        assert marker not in result.stderr


def test_an_unexpected_error_is_one_line_and_names_the_bug(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "sk-do-not-print-me"

    def broken(*_args: object) -> None:
        api_key = secret  # a local that must never be dumped
        raise RuntimeError("boom\nsecond line " + str(len(api_key)))

    monkeypatch.setattr(store_cmds, "run_query", broken)
    result = CliRunner().invoke(app, ["query", "--store", str(store.path), "SELECT 1"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: unexpected RuntimeError: boom second line 18 — "
        "this is a bug; rerun with --debug and report it"
    )
    assert secret not in result.output


def test_an_unexpected_error_with_debug_propagates(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(store_cmds, "run_query", broken)
    result = CliRunner().invoke(app, ["--debug", "query", "--store", str(store.path), "SELECT 1"])
    assert isinstance(result.exception, RuntimeError)
