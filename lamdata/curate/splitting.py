"""``split``: deterministic, group-aware, stratified train/validation/test assignment.

Design notes
- Groups (see :mod:`lamdata.curate.groups`) move as a whole: a dedup cluster, a task-plan
  lineage or a template never straddles two splits.
- A group's stratum is the most common stratify value among its records. Within a stratum,
  groups are ordered by ``hash_unit(group_key, seed)`` (deterministic, independent of the
  order records were written in) and cut at the ratios by cumulative record count, using each
  group's midpoint: the achieved ratios track the targets in every stratum, not just overall.
- The leakage report is computed from what was written, by :mod:`lamdata.curate.leakage`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from lamdata.curate.base import check_table, replace_rows, sql_frame
from lamdata.curate.groups import assign_groups, check_column, keys_for
from lamdata.curate.leakage import leakage_report
from lamdata.errors import ConfigError
from lamdata.hashing import hash_unit
from lamdata.store import Store, Summary, recorded_run

DEFAULT_NAMES = {1: ["train"], 2: ["train", "test"], 3: ["train", "validation", "test"]}


def split_names(ratios: list[float], names: list[str] | None) -> list[str]:
    """The split names for ``ratios`` (given, or train/validation/test by count)."""
    if names:
        if len(names) != len(ratios) or len(set(names)) != len(names):
            raise ConfigError("give one distinct split name per ratio")
        return names
    return DEFAULT_NAMES.get(len(ratios), [f"split{k}" for k in range(len(ratios))])


def _normalized(ratios: list[float]) -> np.ndarray:
    values = np.asarray(ratios, dtype=np.float64)
    if values.size == 0 or (values < 0).any() or values.sum() <= 0:
        raise ConfigError(f"bad ratios {ratios}", hint="e.g. 0.8,0.1,0.1")
    return values / values.sum()  # type: ignore[no-any-return]


def split(
    store: Store,
    *,
    table: str = "trajectories",
    ratios: list[float] | tuple[float, ...] = (0.8, 0.1, 0.1),
    names: list[str] | None = None,
    group_by: list[str] | tuple[str, ...] = ("cluster", "lineage"),
    stratify_by: str | None = "app",
    seed: int = 0,
) -> Summary:
    """Assign every record of ``table`` to a split; the leakage report goes to ``notes``."""
    check_table(store, table)
    weights = _normalized(list(ratios))
    labels = split_names(list(ratios), names)
    config: dict[str, Any] = {"table": table, "ratios": [float(r) for r in ratios], "names": labels}
    config.update(group_by=list(group_by), stratify_by=stratify_by, seed=seed)
    with recorded_run(store, "split", config) as summary:
        records = _records(store, table, stratify_by)
        keys = [keys_for(store, table, dim) for dim in group_by]
        groups = assign_groups(records["record_id"], pl.concat(keys) if keys else _no_keys())
        rows = _assign(records.join(groups, on="record_id"), weights, labels, seed)
        rows = rows.with_columns(
            table_name=pl.lit(table), seed=pl.lit(seed), run_id=pl.lit(summary.run_id)
        )
        replace_rows(store, "splits", table, rows)
        summary.records_in = summary.records_out = rows.height
        report = leakage_report(store, table)
        summary.notes.update(groups=int(rows["group_key"].n_unique()), leakage=report)
        summary.notes.update(leaking_pairs=report["near_duplicate_pairs_across_splits"])
    return summary


def _no_keys() -> pl.DataFrame:
    return pl.DataFrame(schema={"record_id": pl.String, "key": pl.String})


def _records(store: Store, table: str, stratify_by: str | None) -> pl.DataFrame:
    value = (
        "NULL" if not stratify_by else f"CAST({check_column(store, table, stratify_by)} AS VARCHAR)"
    )
    frame = sql_frame(store, f"SELECT id AS record_id, {value} AS value FROM {table} ORDER BY id")
    return frame.with_columns(pl.col("value").fill_null("(none)").cast(pl.String))


def _assign(
    records: pl.DataFrame, weights: np.ndarray, labels: list[str], seed: int
) -> pl.DataFrame:
    """Each record's split: groups sorted by hash within their stratum, cut at the ratios."""
    strata = (
        records.group_by("group_key", "value")
        .len()
        .sort(["group_key", "len", "value"], descending=[False, True, False])
        .group_by("group_key", maintain_order=True)
        .first()
        .select("group_key", pl.col("value").alias("stratum"))
    )
    sizes = records.group_by("group_key").len()
    groups = strata.join(sizes, on="group_key")
    order = [hash_unit(key, seed) for key in groups["group_key"].to_list()]
    groups = groups.with_columns(u=pl.Series(order)).sort("stratum", "u", "group_key")
    mid = (pl.col("len").cum_sum() - pl.col("len") / 2) / pl.col("len").sum()
    groups = groups.with_columns(mid=mid.over("stratum"))
    bounds = np.cumsum(weights)[:-1]
    which = np.searchsorted(bounds, groups["mid"].to_numpy(), side="right")
    groups = groups.with_columns(split=pl.Series(np.asarray(labels)[which], dtype=pl.String))
    return (
        records.join(groups.select("group_key", "stratum", "split"), on="group_key")
        .select("record_id", "split", "group_key", "stratum")
        .sort("record_id")
    )
