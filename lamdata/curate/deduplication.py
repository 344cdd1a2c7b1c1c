"""``dedup``: exact and near-duplicate clusters of one table, with an explicit survivor rule.

Design notes
- Work happens on *distinct keys*: records whose normalized key hashes the same are exact
  duplicates and share one key node; only distinct keys are shingled, MinHashed and banded.
- Near duplicates: keys sharing an LSH band are candidates, verified by exact Jaccard of their
  shingle sets (>= threshold); clusters are the connected components of the verified pairs.
- Incremental: ``dedup_index`` keeps every key's band hashes for the parameters used. A later
  run with the same parameters hashes only keys it has not seen, takes the candidate pairs that
  touch a new key, and merges them with the clusters already stored; old pairs are never
  recomputed. The result equals a full run (the tests check it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from lamdata.curate.base import check_table, derived_rows, replace_rows, sql_frame
from lamdata.curate.keys import KEY_SQL, compose_key, survivor_order
from lamdata.curate.lsh import candidate_pairs, connected_components, jaccard, sorted_unique
from lamdata.curate.minhash import (
    I64,
    U64,
    Shingles,
    band_hashes,
    concat,
    optimal_bands,
    shingle,
    signatures,
    subset,
)
from lamdata.errors import ConfigError
from lamdata.hashing import content_hash
from lamdata.store import Store, Summary, recorded_run

Progress = Callable[..., None]
_CHUNK = 32_768


@dataclass(frozen=True)
class Params:
    """Near-duplicate parameters; their hash names the ``dedup_index`` rows they produced."""

    threshold: float = 0.8
    num_perm: int = 128
    shingle: int = 3
    seed: int = 1

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise ConfigError(f"threshold {self.threshold} is out of range", hint="use 0 < J < 1")
        if self.num_perm < 2 or self.shingle < 1:
            raise ConfigError("num_perm must be >= 2 and shingle >= 1")

    @property
    def bands(self) -> tuple[int, int]:
        return optimal_bands(self.threshold, self.num_perm)

    def key(self, table: str) -> str:
        return content_hash(["minhash-v2", table, self.threshold, self.num_perm, self.shingle])


def near_duplicate_pairs(
    texts: list[str],
    params: Params,
    known: U64 | None = None,
    progress: Progress | None = None,
) -> tuple[I64, I64, U64, dict[str, int]]:
    """Verified near-duplicate pairs among normalized ``texts``, and every text's band hashes.

    ``known`` holds band hashes already computed, a row of zeros where none is known; when
    given, only texts without known bands are hashed, and only pairs touching one are returned.
    """
    bands, rows = params.bands
    new = np.ones(len(texts), dtype=bool) if known is None else _unknown_rows(known)
    new_idx = np.flatnonzero(new)
    sh_new, new_bands = _hash_texts([texts[i] for i in new_idx], params, progress)
    all_bands = np.zeros((len(texts), bands), dtype=np.uint64) if known is None else known.copy()
    all_bands[new_idx] = new_bands
    i, j = candidate_pairs(all_bands, None if known is None else new)
    sh, position = _verification_shingles(
        texts, sorted_unique(np.concatenate([i, j])), new, sh_new, params
    )
    similar = jaccard(sh, position[i], position[j]) >= params.threshold
    stats = {"candidate_pairs": int(i.size), "verified_pairs": int(similar.sum())}
    stats.update(bands=bands, rows=rows, hashed_keys=int(new_idx.size))
    return i[similar], j[similar], all_bands, stats


def _hash_texts(
    texts: list[str], params: Params, progress: Progress | None
) -> tuple[Shingles, U64]:
    """Shingles and band hashes of ``texts``, chunk by chunk (bounded working memory)."""
    bands, rows = params.bands
    parts: list[Shingles] = []
    out = np.empty((len(texts), bands), dtype=np.uint64)
    words: dict[str, int] = {}
    for lo in range(0, len(texts), _CHUNK):
        sh = shingle(texts[lo : lo + _CHUNK], params.shingle, unique=False, known=words)
        sig = signatures(sh, params.num_perm, params.seed, progress, used=bands * rows)
        out[lo : lo + _CHUNK] = band_hashes(sig, bands, rows)
        parts.append(sh)
    return concat(parts), out


def _verification_shingles(
    texts: list[str], involved: I64, new: npt.NDArray[np.bool_], sh_new: Shingles, params: Params
) -> tuple[Shingles, I64]:
    """Deduplicated shingles of the texts in candidate pairs, and each text's row in them:
    new texts reuse the shingles already computed, old ones (incremental runs) are shingled."""
    fresh, old = involved[new[involved]], involved[~new[involved]]
    rank_in_new = np.cumsum(new) - 1
    parts = [
        subset(sh_new, rank_in_new[fresh]),
        shingle([texts[k] for k in old], params.shingle, unique=False),
    ]
    position = np.full(len(texts), -1, dtype=np.int64)
    position[fresh] = np.arange(fresh.size)
    position[old] = fresh.size + np.arange(old.size)
    return concat(parts), position


def _unknown_rows(known: U64) -> npt.NDArray[np.bool_]:
    """Rows of ``known`` that are all zero (no stored band hashes)."""
    return np.asarray(~known.any(axis=1), dtype=bool)


def dedup(
    store: Store,
    *,
    table: str = "task_plans",
    threshold: float = 0.8,
    num_perm: int = 128,
    shingle: int = 3,
    survivor: str = "default",
    full: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Cluster exact and near duplicates of ``table`` and pick one survivor per cluster."""
    check_table(store, table)
    params = Params(threshold=threshold, num_perm=num_perm, shingle=shingle)
    order = survivor_order(table, survivor)
    config: dict[str, Any] = {"table": table, "threshold": threshold, "num_perm": num_perm}
    config.update(shingle=shingle, survivor=survivor, full=full)
    with recorded_run(store, "dedup", config) as summary:
        frame = _load(store, table)
        keys = _keys(frame)
        known, old_edges = (None, None) if full else _previous(store, table, params, frame, keys)
        texts = keys["key_norm"].to_list()
        if progress is not None:
            todo = len(texts) if known is None else int(_unknown_rows(known).sum())
            progress(0, total=todo)
        i, j, bands, stats = near_duplicate_pairs(texts, params, known, progress)
        u, v = _with_old_edges(i, j, old_edges)
        labels = connected_components(keys.height, u, v)
        clusters = _clusters(frame, keys, labels, table, order, summary.run_id)
        replace_rows(store, "clusters", table, clusters)
        replace_rows(store, "dedup_index", table, _index_rows(frame, keys, bands, params, table))
        _fill(summary, clusters, stats, incremental=known is not None)
    return summary


def _load(store: Store, table: str) -> pl.DataFrame:
    frame = sql_frame(store, KEY_SQL[table] + " ORDER BY id")
    texts, actions = frame["key_text"].to_list(), frame["action_text"].to_list()
    norm = [compose_key(t or "", a or "") for t, a in zip(texts, actions, strict=True)]
    return frame.with_columns(
        pl.Series("key_norm", norm, dtype=pl.String),
        pl.Series("key_hash", [content_hash(t) for t in norm], dtype=pl.String),
    ).with_row_index("row")


def _keys(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per distinct key hash, in order of first record id, with that record's row."""
    keys = frame.group_by("key_hash", maintain_order=True).agg(
        pl.col("row").first().alias("rep"), pl.col("key_norm").first()
    )
    return keys.with_row_index("key")


def _previous(
    store: Store, table: str, params: Params, frame: pl.DataFrame, keys: pl.DataFrame
) -> tuple[U64 | None, tuple[I64, I64] | None]:
    """Stored band hashes per key and the stored clusters as key edges, if still valid."""
    index = derived_rows(store, "dedup_index", table)
    index = index.filter(pl.col("params") == params.key(table))
    old_clusters = derived_rows(store, "clusters", table)
    seen = set(index["record_id"].to_list())
    ids = set(frame["id"].to_list())
    if not seen or not seen <= ids or not seen <= set(old_clusters["record_id"].to_list()):
        return None, None
    banded = index.filter(pl.col("bands").list.len() > 0).unique("key_hash", keep="first")
    joined = keys.join(banded.select("key_hash", "bands"), on="key_hash", how="left")
    joined = joined.sort("key")
    width = params.bands[0]
    known = np.zeros((keys.height, width), dtype=np.uint64)
    has = joined["bands"].is_not_null().to_numpy()
    if has.any():
        stacked = np.stack(joined.filter(pl.col("bands").is_not_null())["bands"].to_list())
        known[has] = stacked.astype(np.int64).view(np.uint64)
    return known, _cluster_edges(frame, keys, old_clusters)


def _cluster_edges(
    frame: pl.DataFrame, keys: pl.DataFrame, old_clusters: pl.DataFrame
) -> tuple[I64, I64]:
    """Edges linking the keys of every stored cluster to its first key."""
    rows = frame.select("id", "key_hash").join(keys.select("key_hash", "key"), on="key_hash")
    rows = rows.join(
        old_clusters.select(pl.col("record_id").alias("id"), "cluster_id"), on="id", how="inner"
    )
    rows = rows.with_columns(pl.col("key").min().over("cluster_id").alias("root"))
    return rows["key"].to_numpy().astype(np.int64), rows["root"].to_numpy().astype(np.int64)


def _with_old_edges(i: I64, j: I64, old: tuple[I64, I64] | None) -> tuple[I64, I64]:
    if old is None:
        return i, j
    return np.concatenate([i, old[0]]), np.concatenate([j, old[1]])


def _clusters(
    frame: pl.DataFrame,
    keys: pl.DataFrame,
    labels: I64,
    table: str,
    order: list[tuple[str, bool]],
    run_id: str,
) -> pl.DataFrame:
    """One row per record: its cluster, the cluster's size and method, its survivor rank."""
    key_label = pl.DataFrame({"key_hash": keys["key_hash"], "label": labels})
    rows = frame.join(key_label, on="key_hash", how="left")
    rep_ids = frame["id"].gather(keys["rep"].gather(pl.Series(labels)))
    label_ids = pl.DataFrame({"label": labels, "first_id": rep_ids}).unique("label")
    rows = rows.join(label_ids, on="label", how="left")
    columns = ["label"] + [c for c, _ in order]
    rows = rows.sort(columns, descending=[False] + [d for _, d in order], nulls_last=True)
    size = pl.len().over("label")
    rows = rows.with_columns(
        rank=pl.int_range(pl.len()).over("label"),
        cluster_size=size,
        exact=pl.col("key_hash").n_unique().over("label") == 1,
        survivor_key=pl.col("key_hash").first().over("label"),
    )
    cluster_ids = ["cl_" + content_hash(i, size=8) for i in rows["first_id"].to_list()]
    return rows.select(
        pl.lit(table).alias("table_name"),
        pl.col("id").alias("record_id"),
        pl.Series("cluster_id", cluster_ids, dtype=pl.String),
        "cluster_size",
        (pl.col("rank") == 0).alias("survivor"),
        "rank",
        pl.when(pl.col("cluster_size") == 1)
        .then(pl.lit("unique"))
        .when(pl.col("exact"))
        .then(pl.lit("exact"))
        .otherwise(pl.lit("near"))
        .alias("method"),
        "key_hash",
        pl.lit(run_id).alias("run_id"),
        (pl.col("key_hash") == pl.col("survivor_key")).alias("same_key"),
    ).sort("record_id")


def _index_rows(
    frame: pl.DataFrame, keys: pl.DataFrame, bands: U64, params: Params, table: str
) -> pl.DataFrame:
    """Each record's key hash; the first record of each key also keeps its band hashes."""
    per_key = pl.DataFrame(
        {"rep": keys["rep"], "bands": pl.Series(bands.view(np.int64)).cast(pl.List(pl.Int64))}
    )
    rows = frame.select("row", "id", "key_hash").join(
        per_key, left_on="row", right_on="rep", how="left"
    )
    return rows.select(
        pl.lit(table).alias("table_name"),
        pl.col("id").alias("record_id"),
        pl.lit(params.key(table)).alias("params"),
        "key_hash",
        pl.col("bands").fill_null(pl.lit([], dtype=pl.List(pl.Int64))),
    ).sort("record_id")


def _fill(
    summary: Summary, clusters: pl.DataFrame, stats: dict[str, int], incremental: bool
) -> None:
    summary.records_in = clusters.height
    summary.records_out = int(clusters["survivor"].sum())
    dropped = clusters.filter(~pl.col("survivor"))
    exact = int(dropped["same_key"].sum())
    for reason, count in (("exact_duplicate", exact), ("near_duplicate", dropped.height - exact)):
        if count:
            summary.rejected[reason] = count
    multi = clusters.filter(pl.col("cluster_size") > 1)
    summary.notes.update(stats)
    summary.notes.update(
        mode="incremental" if incremental else "full",
        clusters=int(multi["cluster_id"].n_unique()),
        largest_cluster=int(clusters["cluster_size"].max() or 0),  # type: ignore[arg-type]
    )
