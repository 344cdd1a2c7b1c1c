"""``lamdata ingest logs``: search-query logs into task-plans."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lamdata.cli.common import (
    JsonOpt,
    StoreOpt,
    open_store,
    print_summary,
    progress_bar,
    settings_for,
)
from lamdata.cli.ingest import ingest_app
from lamdata.ingest.logs.constants import DEFAULT_MATCH_THRESHOLD, DEFAULT_MERGE_THRESHOLD

ColOpt = Annotated[
    str | None,
    typer.Option(help="Column name, or 1-based number for a log without header (default: guess)."),
]


def logs(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Log files, folders or globs (.gz is fine).")],
    store: StoreOpt = None,
    app: Annotated[
        str | None,
        typer.Option("--app", help="The app every query is about (an app's own help search)."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="aol, tsv, csv, jsonl or parquet (default: detect)."),
    ] = None,
    query_col: ColOpt = None,
    user_col: ColOpt = None,
    time_col: ColOpt = None,
    click_col: ColOpt = None,
    lexicon: Annotated[
        Path | None, typer.Option("--lexicon", help="TOML/JSON file extending the app lexicon.")
    ] = None,
    match_threshold: Annotated[
        float, typer.Option(help="Least rapidfuzz score (0-100) to attach a help-doc plan.")
    ] = DEFAULT_MATCH_THRESHOLD,
    merge_threshold: Annotated[
        float, typer.Option(help="Least rapidfuzz score (0-100) to merge reformulations.")
    ] = DEFAULT_MERGE_THRESHOLD,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail (exit 1) on any rejection.")
    ] = False,
    drop_reasons: Annotated[
        bool,
        typer.Option(
            "--drop-reasons",
            help="Count lines naming no app by why they drop (navigational, informational, "
            "...) instead of as one 'unnamed' count; mining takes about twice as long.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Mine search logs for actionable how-to queries and store them as task-plans.

    Formats: AOL 2006 layout, CSV, TSV, JSON lines, Parquet (detected; gzip is fine).

    Malformed lines go to the quarantine; --strict makes any of them fail the command.

    Example: lamdata ingest logs samples/logs/ -s st --json
    """
    from lamdata.ingest.logs import ingest_logs

    settings = settings_for(ctx, store=store)
    with progress_bar("ingest logs") as advance:
        summary = ingest_logs(
            open_store(settings),
            paths,
            app=app,
            fmt=fmt,
            query_col=query_col,
            user_col=user_col,
            time_col=time_col,
            click_col=click_col,
            match_threshold=match_threshold,
            merge_threshold=merge_threshold,
            lexicon=str(lexicon) if lexicon else None,
            strict=strict,
            drop_reasons=drop_reasons,
            progress=advance,
        )
    print_summary(summary, as_json=as_json)


def register(app: typer.Typer) -> None:
    ingest_app.command("logs")(logs)
