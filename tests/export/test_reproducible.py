"""Exports are reproducible (same store and options → the same bytes) and atomic (a reader
never sees half an export; a failed export leaves nothing behind)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lamdata.errors import ConfigError, InputError
from lamdata.export import FORMATS, export, runner
from lamdata.export.base import ExportContext
from lamdata.interop import import_ufo
from lamdata.store import Store
from tests.export.conftest import UFO_FIXTURES
from tests.export.test_golden import files


@pytest.mark.parametrize("fmt", FORMATS)
def test_exporting_twice_gives_identical_bytes(store: Store, tmp_path: Path, fmt: str) -> None:
    import_ufo(store, [UFO_FIXTURES])  # also records a run: the card lists it, both times
    export(store, fmt=fmt, out=tmp_path / "a")
    export(store, fmt=fmt, out=tmp_path / "b")
    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    assert first and first == second


def test_export_leaves_the_store_unchanged(store: Store, tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in sorted(store.path.rglob("*")) if p.is_file()}
    export(store, fmt="hf", out=tmp_path / "out")
    after = {p: p.read_bytes() for p in sorted(store.path.rglob("*")) if p.is_file()}
    assert before == after


def test_a_non_empty_target_is_kept_unless_overwrite(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    with pytest.raises(InputError):
        export(store, fmt="jsonl", out=out)
    assert (out / "mine.txt").read_text() == "keep me"
    export(store, fmt="jsonl", out=out, overwrite=True)
    assert sorted(p.name for p in out.iterdir()) == [".lamdata-export.json", "train.jsonl"]
    export(store, fmt="openai", out=out)  # an earlier export is replaced whole
    manifest = json.loads((out / ".lamdata-export.json").read_text())
    assert manifest["files"] == ["train.jsonl"] and manifest["options"]["fmt"] == "openai"
    assert manifest["rows_per_split"] == {"train": 3}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_failing_writer_leaves_no_files(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(ctx: ExportContext, folder: Path) -> dict[str, int]:
        (folder / "half.jsonl").write_text("{")
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(runner.WRITERS, "jsonl", broken)
    with pytest.raises(RuntimeError):
        export(store, fmt="jsonl", out=tmp_path / "out")
    assert list(tmp_path.iterdir()) == [tmp_path / "store"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"fmt": "csv"}, "unknown export format"),
        ({"fmt": "openai", "task": "dpo"}, "unknown task"),
        ({"fmt": "ufo", "task": "reward"}, "UFO records"),
        ({"fmt": "openai", "table": "task_plans"}, "reads trajectories"),
        ({"fmt": "hf", "task": "taskplan-sft", "table": "trajectories"}, "reads task_plans"),
        ({"fmt": "jsonl", "table": "runs"}, "cannot export table"),
    ],
)
def test_bad_combinations_are_config_errors(
    store: Store, tmp_path: Path, options: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        export(store, out=tmp_path / "out", **options)  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_store_exports_empty_files(tmp_path: Path, fmt: str) -> None:
    store = Store(tmp_path / "empty")
    summary = export(store, fmt=fmt, out=tmp_path / "out")
    assert summary.records_out == 0 and summary.notes["rows_per_split"] == {"train": 0}
    assert (tmp_path / "out" / ".lamdata-export.json").is_file()


def test_leftovers_of_a_killed_export_are_cleaned(store: Store, tmp_path: Path) -> None:
    dead = 2**22 + 12345  # above the default pid_max: no such process
    for name in (f".out.tmp-{dead}", f".out.old-{dead}", f".out.tmp-{os.getppid()}"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "half.jsonl").write_text("{")
    export(store, fmt="jsonl", out=tmp_path / "out")
    hidden = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    assert hidden == [f".out.tmp-{os.getppid()}"]  # a live process's folder is left alone
