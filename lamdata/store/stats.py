"""Counts over a store: rows per table, per app, per source kind, per outcome label."""

from __future__ import annotations

from typing import Any

from lamdata.store.query import connect
from lamdata.store.store import Store

_BREAKDOWNS = {
    "task_plans by app": (
        "SELECT coalesce(app, '(unknown)') AS k, count(*) FROM task_plans GROUP BY 1"
    ),
    "task_plans by source": "SELECT source.kind AS k, count(*) FROM task_plans GROUP BY 1",
    "instances by verdict": "SELECT verdict.kind AS k, count(*) FROM instances GROUP BY 1",
    "trajectories by app": "SELECT app AS k, count(*) FROM trajectories GROUP BY 1",
    "trajectories by outcome": "SELECT outcome.label AS k, count(*) FROM trajectories GROUP BY 1",
    "quarantine by stage": "SELECT stage AS k, count(*) FROM quarantine GROUP BY 1",
}


def store_stats(store: Store) -> dict[str, Any]:
    """A JSON-ready dict: ``tables`` (rows per table) and one mapping per breakdown."""
    tables = {t: store.count(t) for t in store.tables()}
    con = connect(store)
    try:
        breakdowns = {
            name: {
                str(k): int(n)
                for k, n in sorted(con.execute(sql).fetchall(), key=lambda r: (-r[1], str(r[0])))
            }
            for name, sql in _BREAKDOWNS.items()
        }
    finally:
        con.close()
    return {"store": str(store.path), "tables": tables, **breakdowns}
