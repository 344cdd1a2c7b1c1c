"""Record selection: curation marks, dedup survivors and split assignments decide what an export
takes; any of the tables may be absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lamdata.errors import StoreError
from lamdata.export import export, select
from lamdata.records import TaskPlan, Trajectory
from lamdata.records.curation import Cluster, Mark, SplitAssignment
from lamdata.store import Store


def _trajs(store: Store) -> dict[str, Trajectory]:
    """Trajectories by outcome label (pass, fail, unsure)."""
    return {t.outcome.label: t for t in store.records("trajectories", Trajectory)}


def _mark(table: str, rid: str, keep: bool) -> Mark:
    return Mark(
        table_name=table,
        record_id=rid,
        rule="min_steps:3",
        keep=keep,
        reason="" if keep else "short",
    )


def _cluster(rid: str, survivor: bool) -> Cluster:
    return Cluster(
        table_name="trajectories",
        record_id=rid,
        cluster_id="cl_x",
        cluster_size=2,
        survivor=survivor,
        rank=0 if survivor else 1,
        method="near",
        key_hash="k",
    )


def _split(table: str, rid: str, name: str) -> SplitAssignment:
    return SplitAssignment(
        table_name=table, record_id=rid, split=name, group_key=rid, stratum="", seed=0
    )


def test_without_curation_tables_everything_is_train(store: Store) -> None:
    chosen = select(store, "trajectories")
    assert list(chosen.splits) == ["train"] and len(chosen.splits["train"]) == 3
    assert chosen.splits["train"] == sorted(chosen.splits["train"])
    assert "one split named train" in chosen.notes["splits"]


def test_marks_and_dedup_survivors_decide(store: Store) -> None:
    t = _trajs(store)
    marks = [
        _mark("trajectories", t["pass"].id, True),
        _mark("trajectories", t["fail"].id, False),
        _mark("task_plans", t["unsure"].task_plan_id, False),  # another table: no effect here
    ]
    store.replace("marks", marks, part="marks")
    store.replace(
        "clusters", [_cluster(t["pass"].id, False), _cluster(t["unsure"].id, True)], part="cl"
    )
    chosen = select(store, "trajectories")
    assert chosen.splits == {"train": [t["unsure"].id]}
    assert chosen.notes["filtered_out"] == 1 and chosen.notes["duplicates_dropped"] == 1
    assert select(store, "trajectories", curated=False).total == 3


def test_split_assignments_and_inheritance_from_task_plans(store: Store) -> None:
    t = _trajs(store)
    store.replace(
        "splits",
        [
            _split("trajectories", t["pass"].id, "test"),
            _split("task_plans", t["fail"].task_plan_id, "validation"),
        ],
        part="splits",
    )
    chosen = select(store, "trajectories")
    assert chosen.splits == {"test": [t["pass"].id], "validation": [t["fail"].id]}
    assert chosen.notes["unassigned"] == 1  # the unsure one has no split of its own or by plan
    only = select(store, "trajectories", splits=["test", "holdout"])
    assert only.splits == {"holdout": [], "test": [t["pass"].id]}


def test_splits_of_another_table_do_not_hide_records(store: Store) -> None:
    t = _trajs(store)
    store.replace("splits", [_split("trajectories", t["pass"].id, "test")], part="splits")
    plans = select(store, "task_plans")
    assert plans.splits == {"train": sorted(p.id for p in store.records("task_plans", TaskPlan))}


def test_a_broken_curation_table_stops_the_export(store: Store, tmp_path: Path) -> None:
    (store.path / "marks").mkdir(exist_ok=True)
    (store.path / "marks" / "junk.parquet").write_bytes(b"not parquet")
    with pytest.raises(StoreError):
        export(store, fmt="jsonl", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_export_writes_one_file_per_requested_split(store: Store, tmp_path: Path) -> None:
    t = _trajs(store)
    names = {"pass": "train", "fail": "test", "unsure": "test"}
    rows = [_split("trajectories", t[label].id, name) for label, name in names.items()]
    store.replace("splits", rows, part="splits")
    summary = export(store, fmt="openai", out=tmp_path / "ft", split=["test"])
    assert sorted(p.name for p in (tmp_path / "ft").iterdir()) == [
        ".lamdata-export.json",
        "test.jsonl",
    ]
    assert summary.notes["rows_per_split"] == {"test": 2}
    reward = export(store, fmt="jsonl", out=tmp_path / "rw", task="reward")
    rows = {
        name: [
            json.loads(x)["label"]
            for x in (tmp_path / "rw" / f"{name}.jsonl").read_text().splitlines()
        ]
        for name in ("train", "test")
    }
    assert rows == {"train": ["pass"], "test": ["fail"]}
    assert dict(reward.rejected) == {"unsure_label": 1}


def test_ufo_export_takes_unexecuted_instances_by_their_own_curation(
    store: Store, tmp_path: Path
) -> None:
    from lamdata.interop import import_ufo
    from tests.export.conftest import UFO_FIXTURES

    import_ufo(store, [UFO_FIXTURES / "word_heading_failed.json"])
    lone = [
        i
        for i in store.read("instances").to_pylist()
        if i["task"] == "Print the page the cursor is on."
    ]
    store.replace("marks", [_mark("instances", lone[0]["id"], False)], part="marks")
    export(store, fmt="ufo", out=tmp_path / "u")
    names = sorted(p.stem for p in (tmp_path / "u" / "train").iterdir())
    assert "w3" in names and "w9" not in names and len(names) == 4
