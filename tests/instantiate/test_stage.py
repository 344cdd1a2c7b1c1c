"""The stage over a store: parts, resume, counts, skipped plan-less tasks, the CLI."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from lamdata.cli.main import app as cli
from lamdata.instantiate import instantiate
from lamdata.records import Instance, TaskPlan
from lamdata.store import Store

from .conftest import SAMPLE_APPS, plan


def plans() -> list[TaskPlan]:
    needs = plan("word", "how to fix word", [])
    needs.needs_plan = True
    return [
        plan(
            "word",
            "Make text bold",
            ["Select the text.", "On the **Home** tab, click **Bold**."],
            [[], ["Home", "Bold"]],
        ),
        plan("word", "Install a template pack", ["Download and install the pack."]),
        plan(
            "excel",
            "Freeze the top row",
            ["On the **View** tab, click **Freeze Panes**.", "Click **Freeze Top Row**."],
            [["View", "Freeze Panes"], ["Freeze Top Row"]],
        ),
        plan("visio", "Draw a flowchart", ["Click **Shapes**."], [["Shapes"]]),
        needs,
    ]


def seeded(tmp_path: Path) -> Store:
    store = Store(tmp_path / "st")
    items = plans()
    store.write("task_plans", items[:3], part="ingest-a")
    store.write("task_plans", items[3:], part="ingest-b")
    return store


def test_one_output_part_per_input_part_and_resume(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    first = instantiate(store, apps=str(SAMPLE_APPS))
    assert first.records_in == 5 and first.records_out == 4
    assert first.notes["skipped_needs_plan"] == 1
    assert len(store.parts("instances")) == 2
    kinds = {i.task: i.verdict.kind for i in store.records("instances", Instance)}
    assert kinds["Install a template pack"] == "env_change"
    assert kinds["Draw a flowchart"] == "template_miss"
    assert sum(i.verdict.keep for i in store.records("instances", Instance)) == 2
    again = instantiate(store, apps=str(SAMPLE_APPS))
    assert again.skipped_parts == 2 and again.records_out == 0
    assert store.count("instances") == 4


def test_only_consumes_the_named_input_parts(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    summary = instantiate(store, apps=str(SAMPLE_APPS), only=["ingest-b"])
    assert summary.records_in == 2 and store.count("instances") == 1


def test_every_instance_validates_against_its_schema(tmp_path: Path) -> None:
    from lamdata.validation import errors

    store = seeded(tmp_path)
    instantiate(store, apps=str(SAMPLE_APPS))
    for inst in store.records("instances", Instance):
        assert errors("instance", inst.to_dict()) == []
        assert inst.llm.backend == "offline" and inst.llm.prompt_id


def test_cli_instantiate_prints_a_summary(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    result = CliRunner().invoke(
        cli, ["instantiate", "--store", str(store.path), "--apps", str(SAMPLE_APPS), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert '"records_out": 4' in result.output
    assert "verdict_env_change" in result.output


def test_cli_missing_apps_folder_is_a_clear_error(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    result = CliRunner().invoke(
        cli, ["instantiate", "--store", str(store.path), "--apps", str(tmp_path / "nope")]
    )
    assert result.exit_code == 1
    assert "nope" in result.output and "--apps" in result.output


def test_bad_options_are_usage_errors(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    runner = CliRunner()
    base = ["instantiate", "--store", str(store.path), "--apps", str(SAMPLE_APPS)]
    for extra in (["--llm", "gpt4"], ["--concurrency", "0"], ["--min-template-score", "2"]):
        result = runner.invoke(cli, [*base, *extra])
        assert result.exit_code == 2, (extra, result.output)
    assert store.count("instances") == 0


def test_progress_counts_every_task_plan(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    ticks: list[int] = []
    instantiate(store, apps=str(SAMPLE_APPS), progress=lambda n=1, total=None: ticks.append(n))
    assert sum(ticks) == 5


def test_a_malformed_app_model_is_named_in_the_verdict(tmp_path: Path) -> None:
    import json
    import shutil

    apps = tmp_path / "apps"
    shutil.copytree(SAMPLE_APPS, apps)
    word = json.loads((apps / "word.json").read_text(encoding="utf-8"))
    word["controls"][3]["parent"] = "no_such_parent"
    (apps / "word.json").write_text(json.dumps(word), encoding="utf-8")
    store = seeded(tmp_path)
    summary = instantiate(store, apps=str(apps))
    assert summary.records_out == 4
    by_task = {i.task: i for i in store.records("instances", Instance)}
    bold = by_task["Make text bold"]
    assert bold.verdict.kind == "template_miss"
    assert "word.json" in bold.verdict.reason and "/controls/3/parent" in bold.verdict.reason
    assert any(i.app == "excel" and i.verdict.keep for i in by_task.values())
