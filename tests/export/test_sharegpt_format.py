"""The ``sharegpt`` export follows LLaMA-Factory's ShareGPT rules (human/observation at odd
turns, gpt/function_call at even turns, an even number of turns, tools as a JSON string) and
its ``dataset_info.json`` names every file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lamdata.export import export
from lamdata.store import Store

ODD, EVEN = {"human", "observation"}, {"gpt", "function_call"}


def item_problems(item: dict[str, Any]) -> list[str]:
    turns = item.get("conversations")
    if not isinstance(turns, list) or not turns:
        return ["conversations must be a non-empty list"]
    found = []
    for i, turn in enumerate(turns):
        allowed = ODD if i % 2 == 0 else EVEN
        if turn.get("from") not in allowed or not isinstance(turn.get("value"), str):
            found.append(f"turn {i}: from must be one of {sorted(allowed)}, value a string")
        elif turn["from"] == "function_call":
            call = json.loads(turn["value"])
            if set(call) != {"name", "arguments"} or not isinstance(call["arguments"], dict):
                found.append(f"turn {i}: a function call is {{name, arguments}}")
    if len(turns) % 2:
        found.append("an odd number of turns (the model must speak last)")
    if "tools" in item:
        tools = json.loads(item["tools"])
        if not all({"name", "description", "parameters"} <= set(t) for t in tools):
            found.append("tools need name, description and parameters")
        names = {t["name"] for t in tools}
        calls = [json.loads(t["value"])["name"] for t in turns if t.get("from") == "function_call"]
        found.extend(f"call to undeclared {c}" for c in calls if c not in names)
    return found


@pytest.mark.parametrize("task", [None, "action-sft", "taskplan-sft", "reward"])
def test_sharegpt_export_follows_the_rules(store: Store, tmp_path: Path, task: str | None) -> None:
    out = tmp_path / "sg"
    export(store, fmt="sharegpt", out=out, task=task)
    info = json.loads((out / "dataset_info.json").read_text())
    assert len(info) == 1
    for entry in info.values():
        assert entry["formatting"] == "sharegpt" and entry["columns"]["messages"] == "conversations"
        items = json.loads((out / entry["file_name"]).read_text())
        assert items
        for item in items:
            assert item_problems(item) == []
            assert ("tools" in item) == ("tools" in entry["columns"])


def test_checker_catches_broken_items() -> None:
    good = {"conversations": [{"from": "human", "value": "a"}, {"from": "gpt", "value": "b"}]}
    assert item_problems(good) == []
    assert item_problems({"conversations": good["conversations"][:1]}) != []
    swapped = {"conversations": list(reversed(good["conversations"]))}
    assert item_problems(swapped) != []
    call = {"from": "function_call", "value": json.dumps({"name": "fly", "arguments": {}})}
    undeclared = {"conversations": [good["conversations"][0], call], "tools": "[]"}
    assert item_problems(undeclared) == ["call to undeclared fly"]


def test_kept_failed_steps_are_flagged(store: Store, tmp_path: Path) -> None:
    kept = export(store, fmt="sharegpt", out=tmp_path / "a")
    assert "1 failed steps are training targets" in kept.notes["warning"]
    dropped = export(store, fmt="sharegpt", out=tmp_path / "b", drop_failed=True)
    assert "warning" not in dropped.notes and dict(dropped.rejected) == {"failed_step": 1}


def test_one_dataset_info_entry_per_split(store: Store, tmp_path: Path) -> None:
    from lamdata.records import Trajectory
    from lamdata.records.curation import SplitAssignment

    rows = [
        SplitAssignment(
            table_name="trajectories", record_id=t.id, split=s, group_key=t.id, stratum="", seed=0
        )
        for t, s in zip(
            store.records("trajectories", Trajectory), ["train", "test", "train"], strict=True
        )
    ]
    store.replace("splits", rows, part="splits")
    export(store, fmt="sharegpt", out=tmp_path / "sg", task="reward")
    info = json.loads((tmp_path / "sg" / "dataset_info.json").read_text())
    assert sorted(info) == ["lamdata_reward_test", "lamdata_reward_train"]
    assert all((tmp_path / "sg" / e["file_name"]).is_file() for e in info.values())
    assert "tools" not in info["lamdata_reward_test"]["columns"]
