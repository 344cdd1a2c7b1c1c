"""split: no cluster and no lineage group straddles two splits; ratios; determinism."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lamdata.curate import dedup, leakage_report, split, split_ids
from lamdata.curate.groups import keys_for
from lamdata.errors import ConfigError, StoreError
from lamdata.records import TaskPlan
from lamdata.store import Store
from tests.curate.factories import WORDS, plan, store_with, trajectory

APPS = ["word", "excel", "powerpoint"]


def _random_plans(data: st.DataObject) -> list[TaskPlan]:
    """Seeds, evolved variants (with one or two parents) and planted near-duplicates."""
    plans: list[TaskPlan] = []
    for k in range(data.draw(st.integers(3, 25), label="plans")):
        words = data.draw(st.lists(st.sampled_from(WORDS), min_size=4, max_size=12))
        app = data.draw(st.sampled_from(APPS))
        parents = data.draw(st.lists(st.sampled_from(plans), max_size=2)) if plans else []
        task = f"{k} " + " ".join(words)
        plans.append(plan(task, [task], app=app, parents=[p.id for p in parents], uri=str(k)))
        if data.draw(st.booleans()):  # an exact/near duplicate from another source
            plans.append(plan(task.upper(), [task], app=app, uri=f"dup{k}"))
    return plans


def _straddling(store: Store, table: str, dimension: str) -> int:
    rows = pl.from_arrow(store.read("splits"))
    assert isinstance(rows, pl.DataFrame)
    rows = rows.filter(pl.col("table_name") == table)
    keys = keys_for(store, table, dimension).join(rows, on="record_id")
    spread = keys.group_by("key").agg(pl.col("split").n_unique())
    return int((spread["split"] > 1).sum())


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.integers(0, 3))
def test_no_cluster_or_lineage_group_in_two_splits(data: st.DataObject, seed: int) -> None:
    plans = _random_plans(data)
    trajs = [
        trajectory(f"do {p.task}", [("click", w) for w in p.task.split()], task_plan_id=p.id,
                   app=p.app or "word", instance_id=f"in{k}{p.id}", template_id=f"t{k % 4}")
        for p in plans
        for k in range(data.draw(st.integers(0, 2)))
    ]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        store = store_with(folder, "task_plans", plans)
        dedup(store, table="task_plans")
        summary = split(store, table="task_plans", ratios=[0.5, 0.25, 0.25], seed=seed)
        assert _straddling(store, "task_plans", "cluster") == 0
        assert _straddling(store, "task_plans", "lineage") == 0
        assert summary.notes["leakage"]["near_duplicate_pairs_across_splits"] == 0
        assert summary.records_out == len({p.id for p in plans})
        if trajs:
            store.write("trajectories", trajs, part="t")
            dedup(store, table="trajectories")
            split(store, table="trajectories", seed=seed)
            for dimension in ("cluster", "lineage"):
                assert _straddling(store, "trajectories", dimension) == 0


def _singletons(folder: str, n: int = 300) -> Store:
    plans = [plan(f"task number {k} " + WORDS[k % len(WORDS)], app=APPS[k % 2]) for k in range(n)]
    return store_with(folder, "task_plans", plans)


def test_ratios_per_stratum_and_determinism(tmp_path: Path) -> None:
    store = _singletons(str(tmp_path))
    summary = split(store, table="task_plans", ratios=[0.8, 0.1, 0.1], seed=1)
    ratios = summary.notes["leakage"]["ratios"]
    for stratum in ("word", "excel"):
        assert ratios[stratum]["records"] == 150
        assert ratios[stratum]["train"] == pytest.approx(0.8, abs=0.01)
        assert ratios[stratum]["test"] == pytest.approx(0.1, abs=0.01)
    test_ids = split_ids(store, "task_plans", "test")
    split(store, table="task_plans", ratios=[0.8, 0.1, 0.1], seed=1)
    assert split_ids(store, "task_plans", "test") == test_ids
    split(store, table="task_plans", ratios=[0.8, 0.1, 0.1], seed=2)
    assert split_ids(store, "task_plans", "test") != test_ids


def test_without_grouping_the_report_shows_leaks(tmp_path: Path) -> None:
    base = " ".join(WORDS)
    plans = [plan(base, uri=f"u{k}") for k in range(40)]  # one cluster of 40 copies
    store = store_with(str(tmp_path), "task_plans", plans)
    dedup(store, table="task_plans")
    leaky = split(store, table="task_plans", group_by=[], stratify_by=None)
    assert leaky.notes["leakage"]["near_duplicate_pairs_across_splits"] > 0
    assert leaky.notes["leakage"]["groups_across_splits"]["cluster"] == 1
    safe = split(store, table="task_plans")
    assert safe.notes["leakage"]["near_duplicate_pairs_across_splits"] == 0
    assert leakage_report(store, "task_plans") == safe.notes["leakage"]


def test_template_grouping_and_custom_names(tmp_path: Path) -> None:
    trajs = [
        trajectory(f"t{k}", [("click", f"c{k}")], template_id=f"tpl{k % 5}", instance_id=f"i{k}")
        for k in range(60)
    ]
    store = store_with(str(tmp_path), "trajectories", trajs)
    summary = split(store, table="trajectories", ratios=[3, 1], names=["fit", "holdout"],
                    group_by=["template"])  # fmt: skip
    assert summary.notes["groups"] == 5
    assert summary.notes["leakage"]["groups_across_splits"]["template"] == 0
    assert split_ids(store, "trajectories", "fit") | split_ids(store, "trajectories", "holdout")


def test_bad_split_options(tmp_path: Path) -> None:
    store = _singletons(str(tmp_path), n=5)
    with pytest.raises(ConfigError):
        split(store, table="task_plans", ratios=[0.5, -0.5])
    with pytest.raises(ConfigError, match="no column"):
        split(store, table="task_plans", stratify_by="colour")
    with pytest.raises(ConfigError, match="no template"):
        split(store, table="task_plans", group_by=["template"])
    with pytest.raises(ConfigError):
        split(store, table="task_plans", ratios=[0.5, 0.5], names=["a"])
    with pytest.raises(StoreError):
        leakage_report(store, "task_plans")
