"""Options and rendering shared by every command (the sqlite-utils way: one decorator-free
set of annotated option types, one summary renderer, one table renderer).

Every ``lamdata`` start imports this module, so it stays light: pyarrow and the store load when
a command opens a store (a test checks what ``--help`` imports)."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from lamdata.settings import Settings, resolve

if TYPE_CHECKING:
    import pyarrow as pa

    from lamdata.store import Store, Summary

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", "-s", help="Store folder (default: $LAMDATA_STORE or lamdata-store)."),
]
LLMOpt = Annotated[
    str | None,
    typer.Option("--llm", help="'offline' (default, no model) or 'openai:MODEL'."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
AppsOpt = Annotated[str, typer.Option("--apps", help="Folder of app models (JSON).")]


def settings_for(ctx: typer.Context, **flags: Any) -> Settings:
    """Resolve settings once for this command (flags > env > config file > defaults)."""
    flags = {k: (str(v) if isinstance(v, Path) else v) for k, v in flags.items()}
    flags.setdefault("debug", ctx.meta.get("lamdata.debug") or None)
    return resolve(**flags)


def open_store(settings: Settings, *, create: bool = True) -> Store:
    from lamdata.store import Store

    return Store(settings.store, create=create)


def print_summary(summary: Summary, *, as_json: bool = False) -> None:
    """The short summary every store-changing command ends with."""
    if as_json:
        console.print_json(json.dumps(summary.as_dict(), default=str))
        return
    parts = [
        f"[bold]{summary.command}[/]: {summary.records_in} in, {summary.records_out} out",
        f"{summary.rejected_total} rejected",
    ]
    if summary.skipped_parts:
        parts.append(f"{summary.skipped_parts} parts already done (skipped)")
    if summary.llm_calls or summary.tokens_in:
        parts.append(
            f"{summary.llm_calls} LLM calls ({summary.cache_hits} cached), "
            f"{summary.tokens_in}+{summary.tokens_out} tokens"
        )
    parts.append(f"{summary.seconds:.2f}s")
    console.print(", ".join(parts))
    for reason, count in sorted(summary.rejected.items(), key=lambda kv: (-kv[1], kv[0])):
        console.print(f"  rejected {count:>6}  {reason}", markup=False)
    for key, value in summary.notes.items():
        if isinstance(value, str | int | float):
            console.print(f"  {key}: {value}", markup=False)


@contextmanager
def progress_bar(description: str, total: int | None = None) -> Iterator[Any]:
    """A rich progress bar on stderr (silent when stderr is not a terminal).

    Yields a callable ``advance(n=1, total=None)`` for library functions' ``progress=``.
    """
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=not sys.stderr.isatty(),
    )
    with progress:
        task = progress.add_task(description, total=total, rate="")

        def advance(n: int = 1, total: int | None = None) -> None:
            if total is not None:
                progress.update(task, total=total)
            progress.advance(task, n)
            speed = progress.tasks[0].speed
            if speed:
                progress.update(task, rate=f"{speed:,.0f}/s")

        yield advance


def render_table(table: pa.Table, fmt: str, output: Path | None = None) -> None:
    """Print (or write) an Arrow table as a rich table, CSV, JSON array or JSON lines."""
    rows = table.to_pylist()
    if fmt == "table" and output is None:
        view = Table(show_lines=False)
        for name in table.column_names:
            view.add_column(name, overflow="fold")
        for row in rows:
            view.add_row(*("" if v is None else str(v) for v in row.values()))
        console.print(view)
        return
    text = _format_rows(table.column_names, rows, "csv" if fmt == "table" else fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _format_rows(names: list[str], rows: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, default=str, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, default=str, ensure_ascii=False) + "\n" for r in rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_value(v) for k, v in row.items()})
    return buffer.getvalue()


def _csv_value(value: Any) -> Any:
    return json.dumps(value, default=str) if isinstance(value, list | dict) else value
