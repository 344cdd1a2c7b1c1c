"""The ``hf`` export loads with Hugging Face ``datasets`` (offline), by folder and by data_dir,
with the counts, splits and fields the card declares."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from lamdata.export import export
from lamdata.export.hf import features_yaml, shard_names
from lamdata.records import Trajectory
from lamdata.records.curation import SplitAssignment
from lamdata.store import Store


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))


def _split_store(store: Store) -> None:
    """The failed trajectory goes to test, the others to train."""
    rows = [
        SplitAssignment(
            table_name="trajectories",
            record_id=t.id,
            split="test" if t.outcome.label == "fail" else "train",
            group_key=t.id,
            stratum="",
            seed=0,
        )
        for t in store.records("trajectories", Trajectory)
    ]
    store.replace("splits", rows, part="splits")


def _load(path: Path, **kwargs: Any) -> Any:
    return datasets.load_dataset(str(path), cache_dir=str(path.parent / "cache"), **kwargs)


def test_folder_loads_with_its_card(store: Store, tmp_path: Path) -> None:
    _split_store(store)
    out = tmp_path / "hf"
    export(store, fmt="hf", out=out)
    loaded = _load(out)
    assert {name: len(part) for name, part in loaded.items()} == {"train": 2, "test": 1}
    row = loaded["test"][0]
    original = {t.id: t for t in store.records("trajectories", Trajectory)}[row["id"]]
    assert row["task"] == original.task
    assert [s["status"] for s in row["steps"]] == [s.status for s in original.steps]
    assert row["outcome"]["label"] == original.outcome.label


def test_parquet_builder_loads_the_data_dir(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "hf"
    export(store, fmt="hf", out=out, task="action-sft")
    loaded = datasets.load_dataset(
        "parquet", data_dir=str(out / "data"), cache_dir=str(tmp_path / "c")
    )
    assert list(loaded) == ["train"] and len(loaded["train"]) == 7
    assert set(loaded["train"].column_names) >= {
        "task",
        "observation",
        "history",
        "function",
        "weight",
    }
    assert sorted(loaded["train"]["weight"]) == [0] + [1] * 6


def test_card_declares_what_the_files_hold(store: Store, tmp_path: Path) -> None:
    _split_store(store)
    out = tmp_path / "hf"
    export(store, fmt="hf", out=out, task="reward")
    text = (out / "README.md").read_text()
    header = yaml.safe_load(text.split("---\n")[1])
    data = {p.name: pq.read_table(p) for p in sorted((out / "data").glob("*.parquet"))}
    assert sorted(data) == ["test-00000-of-00001.parquet", "train-00000-of-00001.parquet"]
    declared = {s["name"]: s["num_examples"] for s in header["dataset_info"]["splits"]}
    assert all(s["num_bytes"] > 0 for s in header["dataset_info"]["splits"])
    assert declared == {"test": 1, "train": 1}  # the unsure trajectory is left out of reward data
    assert header["configs"][0]["data_files"] == [
        {"split": "test", "path": "data/test-*"},
        {"split": "train", "path": "data/train-*"},
    ]
    schema = data["train-00000-of-00001.parquet"].schema
    assert (
        header["dataset_info"]["features"]
        == datasets.Features.from_arrow_schema(schema)._to_yaml_list()
    )
    assert "| train | 1 |" in text and "## Lineage" in text and "trajectories by outcome" in text


def test_features_match_what_datasets_derives_for_every_table(store: Store) -> None:
    for table in ("task_plans", "instances", "trajectories"):
        schema = store.schema(table)
        assert features_yaml(schema) == datasets.Features.from_arrow_schema(schema)._to_yaml_list()
    nested = pa.schema(
        [("a", pa.list_(pa.list_(pa.float32()))), ("b", pa.struct([("c", pa.bool_())]))]
    )
    assert features_yaml(nested) == datasets.Features.from_arrow_schema(nested)._to_yaml_list()


def test_large_splits_are_sharded(store: Store, tmp_path: Path) -> None:
    assert shard_names("train", 0, 10) == ["train-00000-of-00001.parquet"]
    assert shard_names("train", 21, 10)[-1] == "train-00002-of-00003.parquet"
    out = tmp_path / "hf"
    export(store, fmt="hf", out=out, task="action-sft", shard_rows=3)
    assert sorted(p.name for p in (out / "data").iterdir()) == shard_names("train", 7, 3)
    assert len(_load(out)["train"]) == 7
