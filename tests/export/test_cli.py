"""``lamdata import ufo`` and ``lamdata export`` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lamdata.cli.main import app
from lamdata.store import Store
from tests.export.conftest import UFO_FIXTURES
from tests.export.test_ufo_interop import exported, fixture_records

runner = CliRunner()


def test_import_then_export_ufo(tmp_path: Path) -> None:
    st = str(tmp_path / "st")
    result = runner.invoke(app, ["import", "ufo", str(UFO_FIXTURES), "--store", st, "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["records_out"] == 4 and summary["rejected_by_reason"]["unknown_function"] == 1
    result = runner.invoke(
        app, ["export", "-s", st, "--format", "ufo", "--out", str(tmp_path / "u")]
    )
    assert result.exit_code == 0, result.output
    assert "one split named train" in result.stdout
    assert exported(tmp_path / "u") == fixture_records()


def test_export_presets_and_splits(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "ft"
    args = [
        "export",
        "-s",
        str(store.path),
        "-f",
        "sharegpt",
        "--task",
        "action-sft",
        "-o",
        str(out),
    ]
    result = runner.invoke(app, [*args, "--split", "train", "--drop-failed"])
    assert result.exit_code == 0, result.output
    items = json.loads((out / "train.json").read_text())
    assert len(items) == 6  # 7 steps, one failed step dropped
    info = json.loads((out / "dataset_info.json").read_text())
    assert info["lamdata_action_sft_train"]["formatting"] == "sharegpt"
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    again = runner.invoke(app, [*args[:-1], str(foreign)])
    assert again.exit_code == 1 and "not empty" in again.stderr


def test_usage_errors_exit_2(store: Store, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["export", "-s", str(store.path), "-f", "csv", "-o", str(tmp_path / "x")]
    )
    assert result.exit_code == 2 and "unknown export format" in result.stderr


def test_missing_store_and_missing_input(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["export", "-s", str(tmp_path / "none"), "-f", "jsonl", "-o", str(tmp_path / "x")]
    )
    assert result.exit_code == 1 and "no store" in result.stderr
    result = runner.invoke(
        app, ["import", "ufo", str(tmp_path / "nope.json"), "-s", str(tmp_path / "st")]
    )
    assert result.exit_code == 1 and "does not exist" in result.stderr


def test_hf_shards_from_the_cli(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "hf"
    args = ["export", "-s", str(store.path), "-f", "hf", "--task", "action-sft", "-o", str(out)]
    result = runner.invoke(app, [*args, "--shard-rows", "4"])
    assert result.exit_code == 0, result.output
    assert len(list((out / "data").glob("train-*-of-00002.parquet"))) == 2
