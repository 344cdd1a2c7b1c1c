"""``export``: selected records → training-format files under one folder, atomically.

An export reads the store and writes only under ``out``: it builds the files in a temporary
folder next to ``out`` and renames it into place when done. It records no run in the store, so
exporting twice leaves the store as it was and gives byte-identical files.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from lamdata.errors import ConfigError
from lamdata.export.base import (
    ExportContext,
    ExportOptions,
    Writer,
    check_target,
    commit_folder,
    temp_folder,
    write_manifest,
)
from lamdata.export.constants import FORMATS, TASK_TABLES, TASKS
from lamdata.export.hf import write_hf
from lamdata.export.openai import write_openai
from lamdata.export.records import write_records_jsonl, write_records_parquet
from lamdata.export.select import select
from lamdata.export.sharegpt import write_sharegpt
from lamdata.export.ufo import write_ufo
from lamdata.store import Store, Summary

WRITERS: dict[str, Writer] = {
    "openai": write_openai,
    "sharegpt": write_sharegpt,
    "hf": write_hf,
    "ufo": write_ufo,
    "jsonl": write_records_jsonl,
    "parquet": write_records_parquet,
}
CHAT_FORMATS = ("openai", "sharegpt")
RECORD_TABLES = ("task_plans", "instances", "trajectories")


def resolve_table(fmt: str, task: str | None, table: str | None) -> str:
    """The table an export reads, or :class:`ConfigError` for a combination that makes no sense."""
    if fmt not in WRITERS:
        raise ConfigError(f"unknown export format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
    if task is not None and task not in TASK_TABLES:
        raise ConfigError(f"unknown task {task!r}", hint=f"use one of {', '.join(TASKS)}")
    if table is not None and table not in RECORD_TABLES:
        raise ConfigError(
            f"cannot export table {table!r}", hint=f"use one of {', '.join(RECORD_TABLES)}"
        )
    if fmt == "ufo" and (task is not None or table not in (None, "trajectories")):
        raise ConfigError(
            "--format ufo exports trajectories and instances as UFO records",
            hint="drop --task/--table",
        )
    wanted = (
        TASK_TABLES[task] if task else ("trajectories" if fmt in (*CHAT_FORMATS, "ufo") else None)
    )
    if table is not None and wanted is not None and table != wanted:
        what = f"--task {task}" if task else f"--format {fmt} without --task"
        raise ConfigError(
            f"{what} reads {wanted}, not {table}", hint=f"drop --table or pass --table {wanted}"
        )
    return table or wanted or "trajectories"


def export(
    store: Store,
    *,
    fmt: str,
    out: str | Path,
    split: Sequence[str] | None = None,
    task: str | None = None,
    table: str | None = None,
    curated: bool = True,
    drop_failed: bool = False,
    tool_calls: bool = True,
    shard_rows: int = 50_000,
    overwrite: bool = False,
) -> Summary:
    """Write the store's curated records (or a training preset of them) in format ``fmt``."""
    start = time.perf_counter()
    options = ExportOptions(
        fmt=fmt,
        task=task,
        table=resolve_table(fmt, task, table),
        split=sorted(set(split)) if split else None,
        curated=curated,
        drop_failed=drop_failed,
        tool_calls=tool_calls,
        shard_rows=shard_rows,
    )
    target = Path(out)
    check_target(target, overwrite)
    selection = select(store, str(options.table), splits=options.split, curated=curated)
    ctx = ExportContext(store, options, selection)
    tmp = temp_folder(target)
    try:
        counts = WRITERS[fmt](ctx, tmp)
        write_manifest(tmp, options, counts)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    commit_folder(tmp, target)
    summary = Summary(command="export", config=options.config())
    summary.records_in = selection.total + ctx.extra_in
    summary.records_out = sum(counts.values())
    summary.rejected = Counter(ctx.excluded)
    summary.notes = {**selection.notes, **ctx.notes, "out": str(target), "rows_per_split": counts}
    summary.seconds = time.perf_counter() - start
    return summary
