"""The Parquet store, its run bookkeeping and its read-only SQL.

``query`` and ``connect`` load DuckDB, so they are imported on first use: a stage that only
writes Parquet (and the CLI starting up) does not pay for DuckDB.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lamdata.lazy import lazy_package
from lamdata.store.runs import Summary, new_run_id, recorded_run, utc_now
from lamdata.store.store import Store, part_name, part_prefix
from lamdata.store.tables import TABLES, TableSpec

if TYPE_CHECKING:
    from lamdata.store.query import connect, query

__all__ = [
    "TABLES",
    "Store",
    "Summary",
    "TableSpec",
    "connect",
    "new_run_id",
    "part_name",
    "part_prefix",
    "query",
    "recorded_run",
    "utc_now",
]

lazy_package(__name__, {"query": "lamdata.store.query", "connect": "lamdata.store.query"})
