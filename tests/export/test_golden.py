"""Golden files: the hand-built store exported in every format and preset, byte for byte.

To regenerate after an intended change: ``LAMDATA_UPDATE_GOLDEN=1 pytest tests/export`` and
review the diff of ``tests/export/golden/``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from lamdata.export import export
from lamdata.store import Store
from tests.export.conftest import GOLDEN

CASES: dict[str, dict[str, Any]] = {
    "openai": {"fmt": "openai"},
    "openai-json-actions": {"fmt": "openai", "tool_calls": False},
    "openai-action-sft": {"fmt": "openai", "task": "action-sft"},
    "openai-taskplan-sft": {"fmt": "openai", "task": "taskplan-sft"},
    "openai-reward": {"fmt": "openai", "task": "reward"},
    "sharegpt": {"fmt": "sharegpt"},
    "sharegpt-drop-failed": {"fmt": "sharegpt", "drop_failed": True},
    "sharegpt-reward": {"fmt": "sharegpt", "task": "reward"},
    "hf": {"fmt": "hf"},
    "hf-action-sft": {"fmt": "hf", "task": "action-sft"},
    "jsonl-task-plans": {"fmt": "jsonl", "table": "task_plans"},
    "jsonl-taskplan-sft": {"fmt": "jsonl", "task": "taskplan-sft"},
    "parquet": {"fmt": "parquet"},
    "ufo": {"fmt": "ufo"},
}


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("case", sorted(CASES))
def test_export_matches_golden(store: Store, tmp_path: Path, case: str) -> None:
    out = tmp_path / case
    export(store, out=out, **CASES[case])
    expected_dir = GOLDEN / case
    if os.environ.get("LAMDATA_UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir)
    got, expected = files(out), files(expected_dir)
    assert sorted(got) == sorted(expected)
    for name, data in expected.items():
        assert got[name] == data, f"{case}/{name} differs from the golden file"
