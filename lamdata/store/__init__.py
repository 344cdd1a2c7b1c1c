"""The Parquet store, its run bookkeeping and its read-only SQL."""

from __future__ import annotations

from lamdata.store.query import query
from lamdata.store.runs import Summary, new_run_id, recorded_run, utc_now
from lamdata.store.store import Store, part_name, part_prefix
from lamdata.store.tables import TABLES, TableSpec

__all__ = [
    "TABLES",
    "Store",
    "Summary",
    "TableSpec",
    "new_run_id",
    "part_name",
    "part_prefix",
    "query",
    "recorded_run",
    "utc_now",
]
