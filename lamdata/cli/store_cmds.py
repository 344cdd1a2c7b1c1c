"""``lamdata query`` and ``lamdata stats``: read the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from lamdata.cli.common import JsonOpt, StoreOpt, console, open_store, render_table, settings_for
from lamdata.errors import ConfigError

if TYPE_CHECKING:
    import pyarrow as pa

    from lamdata.store import Store

FORMATS = ("table", "csv", "json", "jsonl")


def run_query(store: Store, sql: str) -> pa.Table:
    """:func:`lamdata.store.query`, imported when a query runs (it loads DuckDB)."""
    from lamdata.store import query

    return query(store, sql)


def query(
    ctx: typer.Context,
    sql: Annotated[str, typer.Argument(help="One read-only SQL statement.")],
    store: StoreOpt = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, csv, json or jsonl.")
    ] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
) -> None:
    """Run read-only SQL over the store's views.

    Views: task_plans, instances, trajectories, steps, quarantine, runs (and derived tables).

    Example: lamdata query -s st "SELECT app, count(*) FROM task_plans GROUP BY app"
    """
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
    settings = settings_for(ctx, store=store)
    result = run_query(open_store(settings, create=False), sql)
    render_table(result, fmt, output)


def stats(ctx: typer.Context, store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Counts per table, per app, per source kind and per outcome label.

    Example: lamdata stats -s st --json
    """
    from lamdata.store.stats import store_stats

    settings = settings_for(ctx, store=store)
    result = store_stats(open_store(settings, create=False))
    if as_json:
        console.print_json(json.dumps(result))
        return
    for name, counts in result.items():
        if not isinstance(counts, dict):
            continue
        view = Table(title=name, title_justify="left", min_width=len(name) + 4)
        view.add_column("key")
        view.add_column("count", justify="right")
        for key, count in counts.items():
            view.add_row(str(key), str(count))
        console.print(view)


def register(app: typer.Typer) -> None:
    app.command()(query)
    app.command()(stats)
