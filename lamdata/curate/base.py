"""The curation contract: derived tables about the records of one source table.

Curation never rewrites records. ``filter``, ``dedup`` and ``split`` each compute rows about
one source table (``task_plans``, ``instances``, ``trajectories``) and rewrite their derived
table (``marks``, ``clusters`` + ``dedup_index``, ``splits``) with ``Store.replace``: the rows
about that source table are recomputed, the rows about other source tables are kept.
Readers (export, query) use :func:`kept_ids`, :func:`survivor_ids` and :func:`split_ids`.
"""

from __future__ import annotations

import polars as pl
import pyarrow as pa

from lamdata.errors import ConfigError, StoreError
from lamdata.hashing import content_hash
from lamdata.store import Store
from lamdata.store.query import connect

SOURCE_TABLES = ("task_plans", "instances", "trajectories")


def check_table(store: Store, table: str, allowed: tuple[str, ...] = SOURCE_TABLES) -> None:
    """Refuse a table curation cannot work on, or one the store does not hold."""
    if table not in allowed:
        raise ConfigError(f"cannot curate table {table!r}", hint=f"use one of {', '.join(allowed)}")
    if not store.parts(table):
        raise StoreError(
            f"table {table!r} of store {store.path} is empty",
            hint="run the stage that produces it first",
        )


def sql_frame(store: Store, sql: str) -> pl.DataFrame:
    """Run trusted, read-only SQL (built by curation itself) in the store's sandbox."""
    con = connect(store)
    try:
        return pl.from_arrow(con.sql(sql).to_arrow_table())  # type: ignore[return-value]
    finally:
        con.close()


def derived_rows(store: Store, derived: str, table: str) -> pl.DataFrame:
    """The rows of a derived table about source table ``table``."""
    frame = pl.from_arrow(store.read(derived))
    assert isinstance(frame, pl.DataFrame)
    return frame.filter(pl.col("table_name") == table)


def replace_rows(store: Store, derived: str, table: str, rows: pl.DataFrame) -> int:
    """Make ``rows`` the rows of ``derived`` about ``table``, keeping the other tables' rows."""
    schema = store.schema(derived)
    others = pl.from_arrow(store.read(derived))
    assert isinstance(others, pl.DataFrame)
    # unique(): a replace killed between writing its part and unlinking the old one leaves
    # both; their common rows must not pile up run after run.
    others = others.filter(pl.col("table_name") != table).unique(maintain_order=True)
    new = rows.select(schema.names)
    combined = pa.concat_tables(
        [others.to_arrow().cast(schema), new.to_arrow().cast(schema)]
    ).combine_chunks()
    previous = [p.name for p in store.parts(derived)]
    part = f"{derived}-{content_hash([table, combined.num_rows, previous], size=8)}"
    store.replace(derived, combined, part=part)
    return int(new.height)


def kept_ids(store: Store, table: str) -> set[str]:
    """Ids of ``table`` that no filter mark rejects (all ids when the table was never filtered)."""
    ids = set(store.keys(table, "id"))
    marks = derived_rows(store, "marks", table)
    return ids - set(marks.filter(~pl.col("keep"))["record_id"].to_list())


def survivor_ids(store: Store, table: str) -> set[str]:
    """Ids of ``table`` that survive dedup (all ids when the table was never deduplicated)."""
    clusters = derived_rows(store, "clusters", table)
    if clusters.is_empty():
        return set(store.keys(table, "id"))
    return set(clusters.filter(pl.col("survivor"))["record_id"].to_list())


def split_ids(store: Store, table: str, split: str) -> set[str]:
    """Ids of ``table`` assigned to ``split`` by the latest split run on it."""
    rows = derived_rows(store, "splits", table)
    return set(rows.filter(pl.col("split") == split)["record_id"].to_list())
