"""``lamdata export``: the store's curated records in a training format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lamdata.cli.common import JsonOpt, StoreOpt, open_store, print_summary, settings_for
from lamdata.export.constants import FORMATS, TASKS


def _split_list(value: str | None) -> list[str] | None:
    names = [s.strip() for s in (value or "").split(",") if s.strip()]
    return names or None


def export_cmd(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write (created).")],
    store: StoreOpt = None,
    split: Annotated[
        str | None, typer.Option("--split", help="Comma list of splits (default: all).")
    ] = None,
    task: Annotated[str | None, typer.Option("--task", help=f"Preset: {', '.join(TASKS)}.")] = None,
    table: Annotated[
        str | None, typer.Option("--table", help="task_plans, instances or trajectories.")
    ] = None,
    all_records: Annotated[
        bool, typer.Option("--all", help="Ignore curation (marks, dedup): export every record.")
    ] = False,
    drop_failed: Annotated[
        bool, typer.Option("--drop-failed", help="Leave failed steps out (else weight 0).")
    ] = False,
    json_actions: Annotated[
        bool, typer.Option("--json-actions", help="openai: actions as JSON content, no tools.")
    ] = False,
    shard_rows: Annotated[
        int, typer.Option("--shard-rows", min=1, help="hf: rows per Parquet shard.")
    ] = 50_000,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite",
            help="Replace a non-empty --out folder (an earlier export is always replaced).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Export curated records as training data.

    Example: lamdata export -s st --format openai --task action-sft --split train,test --out ft
    """
    from lamdata.export import export

    settings = settings_for(ctx, store=store)
    summary = export(
        open_store(settings, create=False),
        fmt=fmt,
        out=out,
        split=_split_list(split),
        task=task,
        table=table,
        curated=not all_records,
        drop_failed=drop_failed,
        tool_calls=not json_actions,
        shard_rows=shard_rows,
        overwrite=overwrite,
    )
    print_summary(summary, as_json=as_json)


def register(app: typer.Typer) -> None:
    app.command("export")(export_cmd)
