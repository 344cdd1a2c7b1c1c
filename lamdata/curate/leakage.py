"""The leakage report of a table's split: what crosses splits, and the ratios achieved.

- ``near_duplicate_pairs_across_splits``: pairs of records in one dedup cluster (for
  trajectories and instances, also pairs whose task-plans share a cluster) that sit in
  different splits, counted per shared cluster. Zero whenever ``cluster`` was grouped on.
- ``groups_across_splits``: per dimension (cluster, lineage, template), how many of its groups
  have records in more than one split. Zero for every dimension that was grouped on.
- ``ratios``: per stratum and overall, the record count and the fraction in each split.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from lamdata.curate.base import derived_rows
from lamdata.curate.groups import keys_for
from lamdata.errors import StoreError
from lamdata.store import Store


def leakage_report(store: Store, table: str) -> dict[str, Any]:
    """Read the stored split of ``table`` and report what leaks across it."""
    splits = derived_rows(store, "splits", table).select("record_id", "split", "stratum")
    if splits.is_empty():
        raise StoreError(f"{table} has no split yet", hint=f"run: lamdata split --table {table}")
    dimensions = ["cluster", "lineage"] + ([] if table == "task_plans" else ["template"])
    keyed = {dim: keys_for(store, table, dim).join(splits, on="record_id") for dim in dimensions}
    return {
        "table": table,
        "records": splits.height,
        "near_duplicate_pairs_across_splits": _pairs_across(keyed["cluster"]),
        "groups_across_splits": {dim: _groups_across(frame) for dim, frame in keyed.items()},
        "ratios": _ratios(splits),
    }


def _pairs_across(keyed: pl.DataFrame) -> int:
    """Pairs of records sharing a cluster key but not a split (counted per shared key)."""
    per_split = keyed.group_by("key", "split").len()
    per_key = per_split.group_by("key").agg(
        total=pl.col("len").sum(), squares=(pl.col("len") ** 2).sum()
    )
    crossing = (per_key["total"] ** 2 - per_key["squares"]) // 2
    return int(crossing.sum())


def _groups_across(keyed: pl.DataFrame) -> int:
    spread = keyed.group_by("key").agg(pl.col("split").n_unique().alias("n"))
    return int((spread["n"] > 1).sum())


def _ratios(splits: pl.DataFrame) -> dict[str, dict[str, Any]]:
    names = sorted(splits["split"].unique().to_list())
    frames = {
        "(overall)": splits,
        **{
            str(s): splits.filter(pl.col("stratum") == s)
            for s in sorted(splits["stratum"].unique())
        },
    }
    out: dict[str, dict[str, Any]] = {}
    for stratum, frame in frames.items():
        counts = dict(frame.group_by("split").len().iter_rows())
        total = frame.height
        out[stratum] = {"records": total, **{n: round(counts.get(n, 0) / total, 4) for n in names}}
    return out
