from __future__ import annotations

import os
from pathlib import Path

import pytest

from lamdata.errors import ConfigError
from lamdata.pipeline import load_pipeline, registry, run_pipeline
from lamdata.pipeline.registry import StageInfo
from lamdata.records import TaskPlan
from lamdata.store import Store


@pytest.fixture()
def fake_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    stages = dict(registry.STAGES)
    stages["ingest_docs"] = StageInfo(
        "tests.pipeline.fake_stages:make_plans", None, "task_plans", ("paths",)
    )
    stages["evolve"] = StageInfo("tests.pipeline.fake_stages:count_plans", "task_plans", None)
    monkeypatch.setattr(registry, "STAGES", stages)
    monkeypatch.setattr("lamdata.pipeline.spec.STAGES", stages)
    monkeypatch.setattr("lamdata.pipeline.runner.STAGES", stages)


def write_pipeline(folder: Path, suffix: str = "") -> Path:
    (folder / "docs").mkdir(exist_ok=True)
    (folder / "docs" / "a.txt").write_text("Insert a table\nApply bold\n")
    path = folder / "p.yaml"
    path.write_text(
        "name: t\nstages:\n"
        "  - stage: ingest_docs\n    with:\n      paths: [docs/a.txt]\n"
        f"      suffix: '{suffix}'\n"
        "  - stage: evolve\n    name: count\n"
    )
    return path


def test_relative_paths_resolve_against_the_pipeline_file(tmp_path: Path, fake_registry: None):
    spec = load_pipeline(write_pipeline(tmp_path))
    assert spec.stages[0].options["paths"] == [str(tmp_path / "docs/a.txt")]
    assert [s.name for s in spec.stages] == ["ingest_docs", "count"]


def test_rerun_skips_and_changed_options_rerun_only_the_new_parts(
    tmp_path: Path, fake_registry: None
) -> None:
    store = Store(tmp_path / "store")
    first = run_pipeline(write_pipeline(tmp_path), store)
    assert [s.records_out for _, s in first.stages] == [2, 0]
    again = run_pipeline(write_pipeline(tmp_path), store)
    assert again.stages[0][1].skipped_parts == 1
    assert again.stages[0][1].records_out == 0
    # the consumer still sees exactly the current parts
    assert again.stages[1][1].notes["seen"] == 2
    changed = run_pipeline(write_pipeline(tmp_path, suffix=" now"), store)
    assert changed.stages[0][1].records_out == 2
    assert changed.stages[1][1].notes["seen"] == 2
    # the parts written with the old options are retired, not deleted
    assert changed.retired == {"task_plans": 1}
    assert store.count("task_plans") == 2
    assert len(list((store.path / "retired" / "task_plans").glob("*.parquet"))) == 1
    assert {p.task for p in store.records("task_plans", TaskPlan)} == {
        "Insert a table now",
        "Apply bold now",
    }
    runs = store.read("runs").to_pylist()
    assert any(r["command"] == "run t" for r in runs)


def test_from_and_to_select_stages(tmp_path: Path, fake_registry: None) -> None:
    run_pipeline(write_pipeline(tmp_path), tmp_path / "s")
    run_pipeline(write_pipeline(tmp_path, suffix="!"), tmp_path / "s", stop="ingest_docs")
    result = run_pipeline(write_pipeline(tmp_path), tmp_path / "s", start="count")
    assert [spec.name for spec, _ in result.stages] == ["count"]
    # a partial run retires nothing: it does not know what the other stages produce
    assert result.retired == {}
    assert Store(tmp_path / "s").count("task_plans") == 4
    with pytest.raises(ConfigError, match="no stage named 'nope'"):
        run_pipeline(write_pipeline(tmp_path), tmp_path / "s", stop="nope")


def test_env_substitution_and_errors_name_stage_and_key(
    tmp_path: Path, fake_registry: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "docs").mkdir()
    path = tmp_path / "p.yaml"
    path.write_text(
        "name: t\nstages:\n  - stage: ingest_docs\n    with:\n"
        "      paths: ['${DOCS_DIR}/a.txt']\n      suffix: '${SUFFIX:-!}'\n"
    )
    monkeypatch.setenv("DOCS_DIR", "/data")
    spec = load_pipeline(path)
    assert spec.stages[0].options == {"paths": ["/data/a.txt"], "suffix": "!"}
    monkeypatch.delenv("DOCS_DIR")
    with pytest.raises(ConfigError, match=r"stage 'ingest_docs', key 'paths'.*DOCS_DIR"):
        load_pipeline(path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("name: t\nstages:\n  - stage: nope\n", r"stage 'nope', key 'stage'"),
        (
            "name: t\nstages:\n  - stage: ingest_docs\n    with: {colour: 1}\n",
            r"stage 'ingest_docs', key 'colour': unknown option",
        ),
        ("name: t\nstages: []\n", "key '/stages'"),
        ("name: t\nstages:\n  - {stage: evolve}\n  - {stage: evolve}\n", "unique"),
        ("name: [\n", "not valid YAML"),
    ],
)
def test_bad_pipeline_files(tmp_path: Path, fake_registry: None, body: str, message: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(body)
    with pytest.raises(ConfigError, match=message):
        load_pipeline(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_pipeline(tmp_path / "none.yaml")
    assert not os.path.exists(tmp_path / "none.yaml")
