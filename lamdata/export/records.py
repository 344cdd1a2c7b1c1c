"""``jsonl`` and ``parquet``: the selected records as they are (or a preset's rows), one file
per split. Also the per-split Arrow tables the ``hf`` writer shares."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from lamdata.export.base import ExportContext, write_jsonl, write_parquet
from lamdata.export.tasks import SCHEMAS, task_rows


def split_tables(ctx: ExportContext) -> dict[str, pa.Table]:
    """One Arrow table per split: the records sorted by id, or the preset's rows."""
    task = ctx.options.task
    if task is not None:
        return {
            name: pa.Table.from_pylist(task_rows(ctx, task, ids), schema=SCHEMAS[task])
            for name, ids in ctx.selection.splits.items()
        }
    data = ctx.store.read(ctx.selection.table)
    out = {}
    for name, ids in ctx.selection.splits.items():
        chosen = data.filter(pc.is_in(data.column("id"), value_set=pa.array(ids, pa.string())))
        out[name] = chosen.sort_by("id")
    return out


def write_records_jsonl(ctx: ExportContext, folder: Path) -> dict[str, int]:
    counts = {}
    for name, table in split_tables(ctx).items():
        write_jsonl(folder / f"{name}.jsonl", table.to_pylist())
        counts[name] = table.num_rows
    return counts


def write_records_parquet(ctx: ExportContext, folder: Path) -> dict[str, int]:
    counts = {}
    for name, table in split_tables(ctx).items():
        write_parquet(folder / f"{name}.parquet", table)
        counts[name] = table.num_rows
    return counts
