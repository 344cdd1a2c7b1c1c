"""Which records an export takes, and in which split: the curated view of a table.

With curation tables present (``docs/curation.md``), a record is exported when every one of its
filter marks keeps it and it survived dedup (no mark, or no cluster row, counts as kept), and it
goes to the split ``splits`` assigns it (an instance or trajectory without an assignment of its
own inherits its task-plan's). Any of the three tables may be absent. With no ``splits`` at all,
every record goes to one split named ``train``; the selection says so in its notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from lamdata.errors import StoreError
from lamdata.store import Store

DEFAULT_SPLIT = "train"


@dataclass
class Selection:
    """Selected record ids per split (each list sorted), and how they were chosen."""

    table: str
    splits: dict[str, list[str]]
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(ids) for ids in self.splits.values())

    def split_of(self) -> dict[str, str]:
        return {rid: name for name, ids in self.splits.items() for rid in ids}


def derived_rows(store: Store, name: str, columns: list[str]) -> list[dict[str, Any]]:
    """Rows of a derived table, none when it is absent. A table that is there but unreadable
    or lacks a column is an error: ignoring it could export records curation removed."""
    if not store.parts(name):
        return []
    data = store.read(name)
    missing = [c for c in columns if c not in data.column_names]
    if missing:
        raise StoreError(
            f"table {name!r} lacks the columns {missing} that export reads",
            hint="re-run the curation command that writes it (see docs/curation.md)",
        )
    rows: list[dict[str, Any]] = data.select(columns).to_pylist()
    return rows


def _ids(store: Store, table: str) -> tuple[list[str], dict[str, str]]:
    """All ids of ``table`` and, where the table has one, each record's task-plan id."""
    names = store.schema(table).names
    columns = ["id", "task_plan_id"] if "task_plan_id" in names else ["id"]
    data: pa.Table = store.read(table, columns)
    ids = data.column("id").to_pylist()
    plans = data.column("task_plan_id").to_pylist() if "task_plan_id" in columns else []
    return ids, {i: p for i, p in zip(ids, plans, strict=False) if p}


def rejected_ids(store: Store, table: str) -> set[str]:
    rows = derived_rows(store, "marks", ["table_name", "record_id", "keep"])
    return {r["record_id"] for r in rows if r["table_name"] == table and r["keep"] is False}


def dropped_duplicates(store: Store, table: str) -> set[str]:
    rows = derived_rows(store, "clusters", ["table_name", "record_id", "survivor"])
    return {r["record_id"] for r in rows if r["table_name"] == table and r["survivor"] is False}


def assignments(store: Store, table: str) -> dict[tuple[str, str], str]:
    """Split assignments of ``table`` and of the task-plans its records inherit from."""
    rows = derived_rows(store, "splits", ["table_name", "record_id", "split"])
    tables = {table, "task_plans"} if "task_plan_id" in store.schema(table).names else {table}
    return {
        (r["table_name"], r["record_id"]): r["split"] for r in rows if r["table_name"] in tables
    }


def select(
    store: Store, table: str, *, splits: list[str] | None = None, curated: bool = True
) -> Selection:
    """The records of ``table`` to export, per split, sorted by id."""
    ids, plan_of = _ids(store, table)
    notes: dict[str, Any] = {"table": table, "records": len(ids), "curated": curated}
    if curated:
        rejected, duplicates = rejected_ids(store, table), dropped_duplicates(store, table)
        notes["filtered_out"] = sum(1 for i in ids if i in rejected)
        notes["duplicates_dropped"] = sum(1 for i in ids if i in duplicates and i not in rejected)
        ids = [i for i in ids if i not in rejected and i not in duplicates]
    assigned = assignments(store, table) if curated else {}
    by_split: dict[str, list[str]] = {}
    unassigned = 0
    for rid in sorted(set(ids)):
        name = _split_for(assigned, table, rid, plan_of.get(rid))
        if name is None:
            unassigned += 1
        elif splits is None or name in splits:
            by_split.setdefault(name, []).append(rid)
    if not assigned:
        notes["splits"] = f"no split assignments: everything is in one split named {DEFAULT_SPLIT}"
    notes["unassigned"] = unassigned
    for name in splits or ([] if assigned else [DEFAULT_SPLIT]):
        by_split.setdefault(name, [])
    return Selection(table, dict(sorted(by_split.items())), notes)


def _split_for(
    assigned: dict[tuple[str, str], str], table: str, rid: str, plan_id: str | None
) -> str | None:
    if not assigned:
        return DEFAULT_SPLIT
    own = assigned.get((table, rid))
    if own is None and plan_id is not None:
        own = assigned.get(("task_plans", plan_id))
    return own
