"""``hf``: a Hugging Face datasets folder.

``data/<split>-00000-of-0000N.parquet`` shards plus a ``README.md`` dataset card whose YAML header
declares the ``configs`` (``data_files`` per split) and the ``dataset_info`` features, so
``datasets.load_dataset(folder)`` and ``load_dataset("parquet", data_dir=folder + "/data")`` both
load it. The card's body gives counts, features, a lineage summary and the store's runs (the
pipeline that made the data). Nothing in it depends on when the export ran.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import yaml

from lamdata.export.base import ExportContext, write_parquet
from lamdata.export.records import split_tables
from lamdata.export.select import derived_rows


def _value(t: pa.DataType) -> Any:
    """A type as it follows ``list:`` in a datasets YAML feature."""
    if pa.types.is_struct(t):
        return _fields(t)
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return {"list": _value(t.value_type)}
    return _dtype(t)


_DTYPES = {"double": "float64", "float": "float32", "halffloat": "float16"}


def _dtype(t: pa.DataType) -> str:
    """The datasets name of a scalar Arrow type (``double`` is ``float64`` there)."""
    return _DTYPES.get(str(t), str(t))


def _entry(name: str, t: pa.DataType) -> dict[str, Any]:
    if pa.types.is_struct(t):
        return {"name": name, "struct": _fields(t)}
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return {"name": name, "list": _value(t.value_type)}
    return {"name": name, "dtype": _dtype(t)}


def _fields(t: pa.StructType) -> list[dict[str, Any]]:
    return [_entry(t.field(i).name, t.field(i).type) for i in range(t.num_fields)]


def features_yaml(schema: pa.Schema) -> list[dict[str, Any]]:
    """An Arrow schema as the ``dataset_info.features`` list of a dataset card."""
    return [_entry(f.name, f.type) for f in schema]


def shard_names(split: str, rows: int, shard_rows: int) -> list[str]:
    n = max(1, math.ceil(rows / max(1, shard_rows)))
    return [f"{split}-{i:05d}-of-{n:05d}.parquet" for i in range(n)]


def write_hf(ctx: ExportContext, folder: Path) -> dict[str, int]:
    tables = split_tables(ctx)
    shard_rows = ctx.options.shard_rows
    for name, table in tables.items():
        for i, file in enumerate(shard_names(name, table.num_rows, shard_rows)):
            write_parquet(folder / "data" / file, table.slice(i * shard_rows, shard_rows))
    schema = next(iter(tables.values())).schema if tables else pa.schema([])
    counts = {name: t.num_rows for name, t in tables.items()}
    sizes = {name: int(t.nbytes) for name, t in tables.items()}
    card = dataset_card(ctx, schema, counts, sizes)
    (folder / "README.md").write_text(card, encoding="utf-8", newline="\n")
    return counts


def card_header(schema: pa.Schema, counts: dict[str, int], sizes: dict[str, int]) -> dict[str, Any]:
    return {
        "configs": [
            {
                "config_name": "default",
                "data_files": [{"split": s, "path": f"data/{s}-*"} for s in counts],
            }
        ],
        "dataset_info": {
            "features": features_yaml(schema),
            "splits": [
                {"name": s, "num_bytes": sizes[s], "num_examples": n} for s, n in counts.items()
            ],
        },
    }


def dataset_card(
    ctx: ExportContext, schema: pa.Schema, counts: dict[str, int], sizes: dict[str, int]
) -> str:
    header = card_header(schema, counts, sizes)
    text = yaml.safe_dump(header, sort_keys=False, allow_unicode=True)
    what = ctx.options.task or f"{ctx.selection.table} records"
    lines = [f"---\n{text}---", "", f"# lamdata export: {what}", ""]
    lines += ["Exported by lamdata; the export options below say which records it holds.", ""]
    lines += ["## Splits", "", "| split | examples |", "| --- | --- |"]
    lines += [f"| {s} | {n} |" for s, n in counts.items()]
    lines += ["", "## Features", ""]
    lines += [f"- `{f.name}`: {f.type}" for f in schema]
    lines += ["", "## Lineage", ""]
    for title, counter in lineage_summary(ctx).items():
        shown = ", ".join(
            f"{k} {v}" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        lines.append(f"- {title}: {shown or 'none'}")
    lines += ["", "## Pipeline", "", "Export options:", "", "```json"]
    lines += [json.dumps(ctx.options.config(), sort_keys=True), "```", ""]
    lines += pipeline_runs(ctx)
    return "\n".join(lines) + "\n"


def _rows(ctx: ExportContext, table: str, ids: list[str], columns: list[str]) -> pa.Table:
    """``columns`` of the rows of ``table`` whose id is in ``ids`` (read column-wise)."""
    data = ctx.store.read(table, ["id", *columns])
    return data.filter(pc.is_in(data.column("id"), value_set=pa.array(ids, pa.string())))


def _counts(column: pa.ChunkedArray, default: str) -> Counter[str]:
    return Counter(default if v is None else str(v) for v in column.to_pylist())


def lineage_summary(ctx: ExportContext) -> dict[str, Counter[str]]:
    """Where the exported records come from: apps, outcomes, and their task-plans' sources,
    evolution ops and generations (each task-plan counted once)."""
    table, ids = ctx.selection.table, [i for ids in ctx.selection.splits.values() for i in ids]
    out: dict[str, Counter[str]] = {}
    plan_ids = ids
    if table in ("instances", "trajectories"):
        extra = ["outcome", "provenance"] if table == "trajectories" else []
        rows = _rows(ctx, table, ids, ["app", "task_plan_id", *extra])
        out["records by app"] = _counts(rows.column("app"), "(unknown)")
        if extra:
            labels = pc.struct_field(rows.column("outcome"), "label")
            out["trajectories by outcome"] = _counts(labels, "unsure")
            # by config, not run id: a resumed run must give the same card as one that was not
            configs = pc.struct_field(rows.column("provenance"), "config_hash")
            out["trajectories by executor config"] = _counts(configs, "")
        plan_ids = sorted(set(rows.column("task_plan_id").to_pylist()))
    plans = _rows(ctx, "task_plans", plan_ids, ["app", "source", "lineage"])
    if table == "task_plans":
        out["records by app"] = _counts(plans.column("app"), "(unknown)")
    lineage = plans.column("lineage")
    out["task-plans by source"] = _counts(pc.struct_field(plans.column("source"), "kind"), "")
    out["task-plans by lineage op"] = _counts(pc.struct_field(lineage, "op"), "seed")
    out["task-plans by generation"] = _counts(pc.struct_field(lineage, "generation"), "0")
    return out


def pipeline_runs(ctx: ExportContext) -> list[str]:
    """The stage configurations that made the data: each (command, config hash) that ran.

    Run ids, times and counts are left out on purpose: they differ between an uninterrupted
    run and a resumed one, and the card must be byte-identical for the same data and options.
    Pipeline runs (``run NAME``) are wrappers of their stages and are left out too: an export
    inside a pipeline runs before its pipeline's own row is written.
    """
    rows = derived_rows(ctx.store, "runs", ["command", "config_hash", "status"])
    configs = sorted(
        {
            (r["command"], r["config_hash"])
            for r in rows
            if r["status"] == "ok" and not r["command"].startswith("run ")
        }
    )
    if not configs:
        return ["No runs are recorded in the store."]
    lines = ["| command | config hash |", "| --- | --- |"]
    lines += [f"| {command} | {config_hash[:12]} |" for command, config_hash in configs]
    return lines
