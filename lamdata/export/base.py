"""The export contract: a writer turns selected records into files under one folder.

Every writer is a function ``write(ctx, folder) -> dict[str, int]`` (rows written per split) that
writes only under ``folder``, a fresh temporary folder that :func:`commit_folder` renames into
place when the writer is done, so a reader never sees half an export. Writers are deterministic:
records sorted by id, JSON with fixed separators, no timestamps, fixed Parquet settings, so the
same store and options give byte-identical files.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from lamdata.errors import InputError, StoreError
from lamdata.export.select import Selection
from lamdata.records import Instance, Record, TaskPlan, Trajectory
from lamdata.store import Store
from lamdata.store.store import pid_alive

R = TypeVar("R", bound=Record)

#: The file that describes an export (hidden: dataset loaders skip it).
MANIFEST = ".lamdata-export.json"
#: Parquet settings every export uses (part of what makes exports byte-identical).
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "row_group_size": 10_000,
    "data_page_version": "1.0",
    "version": "2.6",
}


@dataclass
class ExportOptions:
    """What to export and how (all JSON-serializable: they are the export's config)."""

    fmt: str
    task: str | None = None
    table: str | None = None
    split: list[str] | None = None
    curated: bool = True
    drop_failed: bool = False
    tool_calls: bool = True
    shard_rows: int = 50_000

    def config(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ExportContext:
    """The store, the options, the selection, and typed records loaded once on demand."""

    store: Store
    options: ExportOptions
    selection: Selection
    excluded: dict[str, int] = field(default_factory=dict)
    #: Records a writer takes beyond the selection (``ufo``: never-executed instances).
    extra_in: int = 0
    #: What a writer wants the summary to say (warnings, counts).
    notes: dict[str, Any] = field(default_factory=dict)

    def exclude(self, reason: str, n: int = 1) -> None:
        """Count records a writer left out (e.g. ``unsure_label`` for reward data)."""
        self.excluded[reason] = self.excluded.get(reason, 0) + n

    def _typed(self, table: str, cls: type[R]) -> dict[str, R]:
        """Typed records of ``table``: only the selected ones when the export reads it."""
        data = self.store.read(table)
        if table == self.selection.table:
            chosen = pa.array(
                [i for ids in self.selection.splits.values() for i in ids], pa.string()
            )
            data = data.filter(pc.is_in(data.column("id"), value_set=chosen))
        return {row["id"]: cls.from_dict(row) for row in data.to_pylist()}

    @cached_property
    def task_plans(self) -> dict[str, TaskPlan]:
        return self._typed("task_plans", TaskPlan)

    @cached_property
    def instances(self) -> dict[str, Instance]:
        return self._typed("instances", Instance)

    @cached_property
    def trajectories(self) -> dict[str, Trajectory]:
        return self._typed("trajectories", Trajectory)


Writer = Callable[[ExportContext, Path], dict[str, int]]


def dumps(value: Any) -> str:
    """One compact, deterministic JSON line (key order as built, UTF-8 kept)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_lines(path: Path, lines: list[str]) -> None:
    """Lines of already-encoded JSON, one a line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for line in lines:
            handle.write(line + "\n")


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    write_lines(path, [dumps(row) for row in rows])


def write_json(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8", newline="\n")


def write_parquet(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table.replace_schema_metadata(None), path, **PARQUET_OPTIONS)


def clean_leftovers(out: Path) -> int:
    """Remove the temporary folders of exports to ``out`` whose process died (``kill -9``)."""
    removed = 0
    for kind in ("tmp", "old"):
        for path in out.parent.glob(f".{out.name}.{kind}-*"):
            pid = path.name.rsplit("-", 1)[-1]
            if pid.isdigit() and not pid_alive(int(pid)):
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
    return removed


def temp_folder(out: Path) -> Path:
    """A fresh folder next to ``out`` (same file system, so the final rename is atomic)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    return tmp


def write_manifest(folder: Path, options: ExportOptions, counts: dict[str, int]) -> None:
    """What the export holds; it also marks the folder as one an export may replace."""
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    manifest = {"lamdata_export": 1, "options": options.config(), "rows_per_split": counts}
    write_json(folder / MANIFEST, {**manifest, "files": files})


def check_target(out: Path, overwrite: bool) -> None:
    """Refuse to replace a non-empty folder that is not an earlier export, unless asked to."""
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file", hint="pass a folder path to --out")
    earlier_export = (out / MANIFEST).is_file()
    if out.is_dir() and any(out.iterdir()) and not (overwrite or earlier_export):
        raise InputError(
            f"{out} exists and is not empty", hint="pass --overwrite or choose another --out"
        )


def commit_folder(tmp: Path, out: Path) -> None:
    """Move the finished export into place; an earlier export there is replaced whole."""
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    moved = False
    try:
        if out.exists():
            os.replace(out, old)
            moved = True
        os.replace(tmp, out)
    except OSError as exc:
        if moved and not out.exists():
            os.replace(old, out)
        shutil.rmtree(tmp, ignore_errors=True)
        raise StoreError(f"cannot move the export into {out}: {exc.strerror}") from exc
    shutil.rmtree(old, ignore_errors=True)
