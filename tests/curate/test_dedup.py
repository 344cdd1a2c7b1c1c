"""dedup: exact and near duplicates, survivors, incremental runs."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from lamdata.curate import dedup, survivor_ids
from lamdata.curate.keys import compose_key
from lamdata.curate.lsh import jaccard
from lamdata.curate.minhash import shingle
from lamdata.errors import ConfigError, StoreError
from lamdata.store import Store
from tests.curate.factories import WORDS, plan, store_with, trajectory


def _clusters(store: Store, table: str) -> pl.DataFrame:
    frame = pl.from_arrow(store.read("clusters"))
    assert isinstance(frame, pl.DataFrame)
    return frame.filter(pl.col("table_name") == table).sort("record_id")


def _planted(seed: int, groups: int = 12, size: int = 3) -> tuple[list, list[set[str]]]:
    """Base plans of 100 random words; variants change one word (Jaccard >= 0.94 to the base,
    where LSH at 0.8 finds a pair with probability > 0.99)."""
    rng = random.Random(seed)
    plans, truth = [], []
    for g in range(groups):
        words = [rng.choice(WORDS) + str(rng.randrange(1000)) for _ in range(100)]
        members = set()
        for v in range(size):
            variant = list(words)
            if v:
                variant[rng.randrange(10, 90)] = f"changed{g}x{v}"
            item = plan(f"task {g} " + " ".join(variant[:8]), variant[8:], uri=f"u{g}-{v}")
            plans.append(item)
            members.add(item.id)
        truth.append(members)
    return plans, truth


def test_planted_near_duplicates_are_clustered(tmp_path: Path) -> None:
    plans, truth = _planted(seed=7)
    store = store_with(str(tmp_path), "task_plans", plans)
    summary = dedup(store, table="task_plans")
    found = _clusters(store, "task_plans").group_by("cluster_id").agg(pl.col("record_id"))
    assert sorted(sorted(ids) for ids in found["record_id"].to_list()) == sorted(
        sorted(group) for group in truth
    )
    assert summary.records_out == len(truth)
    assert summary.rejected["near_duplicate"] == len(plans) - len(truth)
    assert set(_clusters(store, "task_plans")["method"]) == {"near"}


def test_exact_duplicates_and_the_survivor_rule(tmp_path: Path) -> None:
    steps = ["Select the text", "Click Bold on the Home tab"]
    a = plan("Make the text bold", steps, uri="a", frequency=3)
    b = plan("  make THE text   bold ", steps, uri="b", frequency=9)
    c = plan("Make the text bold", [], uri="c", needs_plan=True, frequency=50)
    d = plan("Insert a picture from a file", ["Click Insert", "Click Pictures"], uri="d")
    store = store_with(str(tmp_path), "task_plans", [a, b, c, d])
    summary = dedup(store, table="task_plans")
    rows = {r["record_id"]: r for r in _clusters(store, "task_plans").to_dicts()}
    assert rows[a.id]["cluster_id"] == rows[b.id]["cluster_id"] != rows[c.id]["cluster_id"]
    assert rows[a.id]["method"] == "exact" and rows[a.id]["cluster_size"] == 2
    assert rows[b.id]["survivor"] and not rows[a.id]["survivor"]  # higher frequency wins
    assert rows[d.id]["method"] == "unique" and rows[d.id]["survivor"]
    assert summary.rejected == {"exact_duplicate": 1}
    assert survivor_ids(store, "task_plans") == {b.id, c.id, d.id}
    dedup(store, table="task_plans", survivor="id", full=True)
    expected = min(a.id, b.id)
    assert {r["record_id"] for r in _clusters(store, "task_plans").to_dicts() if r["survivor"]} >= {
        expected
    }


def test_plan_beats_frequency_in_the_default_rule(tmp_path: Path) -> None:
    task = "Change the page margins of the whole document to narrow"
    with_plan = plan(task, ["Open Layout", "Click Margins", "Choose Narrow"], uri="p")
    no_plan = plan(task, ["Open Layout", "Click Margins", "Choose Narrow"], uri="q")
    no_plan.needs_plan, no_plan.signals.frequency = True, 100
    store = store_with(str(tmp_path), "task_plans", [with_plan, no_plan])
    dedup(store, table="task_plans")
    assert survivor_ids(store, "task_plans") == {with_plan.id}


def test_trajectories_key_on_actions_and_prefer_pass(tmp_path: Path) -> None:
    actions = [("click", f"control_{k}") for k in range(40)] + [("finish", "")]
    ok = trajectory("Make the first paragraph bold", actions, label="pass")
    failed = trajectory("Make the first paragraph bold", actions, label="fail", instance_id="f")
    reworded = trajectory("Make the 1st paragraph bold", actions, errors=2, instance_id="r")
    other = trajectory("Make the first paragraph bold", [("click", "italic")], instance_id="o")
    store = store_with(str(tmp_path), "trajectories", [ok, failed, reworded, other])
    dedup(store, table="trajectories")
    rows = {r["record_id"]: r for r in _clusters(store, "trajectories").to_dicts()}
    cluster = rows[ok.id]["cluster_id"]
    assert rows[failed.id]["cluster_id"] == rows[reworded.id]["cluster_id"] == cluster
    assert rows[ok.id]["cluster_size"] == 3 and rows[ok.id]["method"] == "near"
    assert rows[other.id]["cluster_size"] == 1
    assert rows[ok.id]["survivor"] and rows[reworded.id]["rank"] == 1
    assert rows[failed.id]["rank"] == 2


def test_incremental_equals_full_recomputation(tmp_path: Path) -> None:
    plans, _ = _planted(seed=3, groups=10)
    random.Random(1).shuffle(plans)
    first, second = plans[:14], plans[14:]
    inc = store_with(str(tmp_path / "inc"), "task_plans", first)
    dedup(inc, table="task_plans")
    inc.write("task_plans", second, part="more")
    summary = dedup(inc, table="task_plans")
    assert summary.notes["mode"] == "incremental"
    assert summary.notes["hashed_keys"] == len(second)
    whole = store_with(str(tmp_path / "full"), "task_plans", plans)
    dedup(whole, table="task_plans")
    columns = ["record_id", "cluster_id", "cluster_size", "survivor", "rank", "method"]
    assert (
        _clusters(inc, "task_plans")
        .select(columns)
        .equals(_clusters(whole, "task_plans").select(columns))
    )
    index = pl.from_arrow(inc.read("dedup_index")).sort("record_id")
    assert index.drop("table_name").equals(
        pl.from_arrow(whole.read("dedup_index")).sort("record_id").drop("table_name")
    )


def test_changed_parameters_recompute_everything(tmp_path: Path) -> None:
    plans, _ = _planted(seed=5, groups=3)
    store = store_with(str(tmp_path), "task_plans", plans)
    dedup(store, table="task_plans")
    again = dedup(store, table="task_plans")
    assert again.notes["mode"] == "incremental" and again.notes["hashed_keys"] == 0
    other = dedup(store, table="task_plans", threshold=0.7)
    assert other.notes["mode"] == "full" and other.notes["hashed_keys"] == len(plans)


def test_other_tables_rows_are_kept(tmp_path: Path) -> None:
    store = store_with(str(tmp_path), "task_plans", [plan("Open a file"), plan("Save a file")])
    store.write("trajectories", [trajectory("t", [("click", "x")])], part="t")
    dedup(store, table="task_plans")
    dedup(store, table="trajectories")
    dedup(store, table="task_plans", full=True)
    tables = pl.from_arrow(store.read("clusters"))["table_name"].to_list()
    assert sorted(tables) == ["task_plans", "task_plans", "trajectories"]


def test_bad_options_are_refused(tmp_path: Path) -> None:
    store = store_with(str(tmp_path), "task_plans", [plan("Open a file")])
    with pytest.raises(ConfigError):
        dedup(store, table="task_plans", threshold=1.5)
    with pytest.raises(ConfigError, match="survivor key"):
        dedup(store, table="task_plans", survivor="pass")
    with pytest.raises(ConfigError):
        dedup(store, table="runs")
    with pytest.raises(StoreError):
        dedup(store, table="trajectories")


def test_action_sequence_outweighs_task_wording() -> None:
    actions = " ".join(f"click@control_{k}" for k in range(8))
    keys = [
        compose_key("Make the first paragraph bold", actions),
        compose_key("Make the 1st paragraph bold", actions),
        compose_key("Make the first paragraph bold", actions.replace("control_3", "other")),
    ]
    sh = shingle(keys)
    same_actions, other_actions = jaccard(sh, np.array([0, 0]), np.array([1, 2]))
    assert same_actions >= 0.8 > other_actions


def test_a_leftover_part_does_not_duplicate_rows(tmp_path: Path) -> None:
    store = store_with(str(tmp_path), "task_plans", [plan("Open a file"), plan("Save a file")])
    store.write("trajectories", [trajectory("t", [("click", "x")])], part="t")
    dedup(store, table="task_plans")
    dedup(store, table="trajectories")
    for derived in ("clusters", "dedup_index"):  # as if a replace died before unlinking
        (part,) = store.parts(derived)
        part.with_name("leftover.parquet").write_bytes(part.read_bytes())
    dedup(store, table="trajectories")
    rows = pl.from_arrow(store.read("clusters"))
    assert rows.height == 3 and rows["record_id"].n_unique() == 3
    assert pl.from_arrow(store.read("dedup_index")).height == 3
