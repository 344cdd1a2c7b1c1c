"""Group keys: what ties records together so that a split cannot separate them.

Each record gets zero or more keys per grouping dimension:
- ``cluster``: its dedup cluster (``clusters`` table); a trajectory or instance also gets the
  cluster of its task-plan, so near-duplicate plans keep their executions together;
- ``lineage``: the task-plan lineage component (evolved variants and their seeds, following
  ``lineage.parents``); trajectories and instances inherit it through ``task_plan_id``;
- ``template``: ``template_id``;
- any other name: that column's value.
Records sharing a key, directly or through a chain of records, form one group (connected
components over the record-key graph).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from lamdata.curate.base import derived_rows, sql_frame
from lamdata.curate.lsh import connected_components
from lamdata.errors import ConfigError
from lamdata.store import Store

BUILTIN = ("cluster", "lineage", "template")


def check_column(store: Store, table: str, column: str) -> str:
    """``column`` quoted for SQL, after checking that ``table`` has it."""
    names = store.schema(table).names
    if column not in names:
        raise ConfigError(f"{table} has no column {column!r}", hint=f"columns: {', '.join(names)}")
    return '"' + column + '"'


def lineage_roots(store: Store) -> pl.DataFrame:
    """``id, root`` for every task-plan: the smallest id of its lineage component."""
    plans = sql_frame(store, "SELECT id, lineage.parents AS parents FROM task_plans ORDER BY id")
    ids = plans["id"]
    if ids.is_empty():
        return pl.DataFrame({"id": [], "root": []}, schema={"id": pl.String, "root": pl.String})
    edges = plans.explode("parents").drop_nulls("parents")
    nodes = pl.concat([ids, edges["parents"]]).unique().sort()
    code = {name: k for k, name in enumerate(nodes.to_list())}
    u = np.array([code[x] for x in edges["id"].to_list()], dtype=np.int64)
    v = np.array([code[x] for x in edges["parents"].to_list()], dtype=np.int64)
    labels = connected_components(nodes.len(), u, v)
    roots = nodes.gather(pl.Series(labels))
    frame = pl.DataFrame({"id": nodes, "root": roots})
    return frame.join(pl.DataFrame({"id": ids}), on="id", how="semi")


def _plan_column(table: str) -> str:
    return "id" if table == "task_plans" else "task_plan_id"


def keys_for(store: Store, table: str, dimension: str) -> pl.DataFrame:
    """``record_id, key`` pairs of one grouping dimension."""
    if dimension == "cluster":
        return _cluster_keys(store, table)
    if dimension == "lineage":
        plans = sql_frame(store, f"SELECT id, {_plan_column(table)} AS plan FROM {table}")
        roots = lineage_roots(store)
        joined = plans.join(roots.rename({"id": "plan"}), on="plan", how="left")
        key = pl.lit("lineage:") + pl.coalesce("root", "plan")
        return joined.select(pl.col("id").alias("record_id"), key.alias("key"))
    if dimension == "template" and table == "task_plans":
        raise ConfigError("task_plans have no template", hint="group task_plans by cluster,lineage")
    column = check_column(store, table, "template_id" if dimension == "template" else dimension)
    frame = sql_frame(
        store, f"SELECT id AS record_id, CAST({column} AS VARCHAR) AS v FROM {table}"
    ).drop_nulls("v")
    return frame.select("record_id", (pl.lit(f"{dimension}:") + pl.col("v")).alias("key"))


def _cluster_keys(store: Store, table: str) -> pl.DataFrame:
    own = derived_rows(store, "clusters", table).select(
        "record_id", (pl.lit("cluster:") + pl.col("cluster_id")).alias("key")
    )
    if table == "task_plans":
        return own
    plans = derived_rows(store, "clusters", "task_plans").select(
        pl.col("record_id").alias("plan"), (pl.lit("cluster:") + pl.col("cluster_id")).alias("key")
    )
    links = sql_frame(store, f"SELECT id AS record_id, task_plan_id AS plan FROM {table}")
    inherited = links.join(plans, on="plan", how="inner").select("record_id", "key")
    return pl.concat([own, inherited])


def assign_groups(ids: pl.Series, keys: pl.DataFrame) -> pl.DataFrame:
    """``record_id, group_key``: connected components of the record-key graph; a group is named
    by its smallest key (``id:<record>`` for a record that shares no key)."""
    n = ids.len()
    record_code = pl.DataFrame({"record_id": ids, "r": np.arange(n, dtype=np.int64)})
    edges = keys.join(record_code, on="record_id", how="inner")
    key_names = edges["key"].unique().sort()
    key_code = pl.DataFrame({"key": key_names, "k": np.arange(key_names.len(), dtype=np.int64) + n})
    edges = edges.join(key_code, on="key")
    labels = connected_components(n + key_names.len(), edges["r"].to_numpy(), edges["k"].to_numpy())
    named = edges.with_columns(label=pl.Series(labels[edges["r"].to_numpy()]))
    names = named.group_by("label").agg(pl.col("key").min().alias("group_key"))
    frame = record_code.with_columns(label=pl.Series(labels[:n]))
    frame = frame.join(names, on="label", how="left")
    return frame.select(
        "record_id",
        pl.coalesce("group_key", pl.lit("id:") + pl.col("record_id")).alias("group_key"),
    )
