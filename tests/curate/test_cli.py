"""The filter, dedup and split commands through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lamdata.cli.main import app
from tests.curate.factories import WORDS, plan, store_with, trajectory

runner = CliRunner()


def _store(tmp_path: Path) -> str:
    plans = [
        plan(f"task {k} " + " ".join(WORDS[k : k + 6]), app=["word", "excel"][k % 2])
        for k in range(30)
    ]
    plans += [plan(plans[0].task.upper(), plans[0].steps, uri="copy")]
    store = store_with(str(tmp_path), "task_plans", plans)
    trajs = [
        trajectory(f"do {p.task}", [("click", "a"), ("finish", "")], task_plan_id=p.id,
                   app=p.app or "word", instance_id=f"i{k}", label=["pass", "fail"][k % 2])
        for k, p in enumerate(plans)
    ]  # fmt: skip
    store.write("trajectories", trajs, part="t")
    return str(tmp_path)


def test_filter_dry_run_and_list(tmp_path: Path) -> None:
    st = _store(tmp_path)
    args = ["filter", "-s", st, "-t", "trajectories", "-r", "outcome_pass", "--dry-run", "--list"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "rejected     15  outcome_pass" in result.output
    assert result.output.count("outcome is not pass") == 15
    assert not (tmp_path / "marks").exists()


def test_filter_json_and_rules_listing(tmp_path: Path) -> None:
    st = _store(tmp_path)
    result = runner.invoke(
        app, ["filter", "-s", st, "-t", "task_plans", "-w", "app = 'word'", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rejected_by_reason"] == {"where": 15} and data["records_out"] == 16
    listing = runner.invoke(app, ["filter", "--rules"])
    assert "min_steps" in listing.output and "judge_agrees" in listing.output


def test_filter_refuses_injection(tmp_path: Path) -> None:
    st = _store(tmp_path)
    result = runner.invoke(
        app, ["filter", "-s", st, "-t", "task_plans", "-w", "true; DROP TABLE x"]
    )
    assert result.exit_code == 1
    assert "refused" in result.output
    bad = runner.invoke(app, ["filter", "-s", st, "-t", "task_plans", "-r", "nope"])
    assert bad.exit_code == 2 and "unknown rule" in bad.output


def test_dedup_then_split_with_report(tmp_path: Path) -> None:
    st = _store(tmp_path)
    result = runner.invoke(app, ["dedup", "-s", st, "-t", "task_plans"])
    assert result.exit_code == 0, result.output
    assert "rejected      1  exact_duplicate" in result.output
    result = runner.invoke(app, ["split", "-s", st, "-t", "task_plans", "--ratios", "0.5,0.5"])
    assert result.exit_code == 0, result.output
    assert "0 near-duplicate pairs across splits" in result.output
    assert "excel" in result.output and "word" in result.output
    report = runner.invoke(app, ["split", "-s", st, "-t", "task_plans", "--report", "--json"])
    data = json.loads(report.output)
    assert data["groups_across_splits"] == {"cluster": 0, "lineage": 0}
    assert set(data["ratios"]["(overall)"]) == {"records", "test", "train"}


def test_split_usage_errors(tmp_path: Path) -> None:
    st = _store(tmp_path)
    result = runner.invoke(app, ["split", "-s", st, "--ratios", "a,b"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["split", "-s", st, "-t", "trajectories", "--report"])
    assert result.exit_code == 1 and "no split yet" in result.output
