"""Rows of the curation tables: filter marks, dedup clusters, the dedup index, split assignments.

These tables are *derived*: each curation command recomputes the rows of one source table and
rewrites the whole derived table with ``Store.replace`` (rows of other source tables are kept).
The column ``table_name`` names the source table a row is about (``table`` is an SQL keyword).
See ``docs/curation.md`` for the semantics every reader (export, query) relies on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lamdata.records.base import Record


@dataclass
class Mark(Record):
    """One filter rule's decision on one record. A record is kept iff all its marks keep;
    a record without marks was never filtered (kept)."""

    table_name: str
    record_id: str
    rule: str
    keep: bool
    reason: str = ""
    run_id: str = ""


@dataclass
class Cluster(Record):
    """A record's dedup cluster. ``survivor`` is true for exactly one record per cluster;
    ``rank`` is its position in the survivor order (0 = survivor)."""

    table_name: str
    record_id: str
    cluster_id: str
    cluster_size: int
    survivor: bool
    rank: int
    method: str
    key_hash: str
    run_id: str = ""


@dataclass
class DedupIndex(Record):
    """What incremental dedup needs of a record already seen: its key hash and LSH band
    hashes, for the parameters ``params`` (a hash of threshold, num_perm, shingle, key kind)."""

    table_name: str
    record_id: str
    params: str
    key_hash: str
    bands: list[int] = field(default_factory=list)


@dataclass
class SplitAssignment(Record):
    """The split (train, validation, test, ...) a record belongs to, with the group it moved
    with and the stratum it was balanced in."""

    table_name: str
    record_id: str
    split: str
    group_key: str
    stratum: str
    seed: int
    run_id: str = ""
