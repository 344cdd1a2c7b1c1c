"""``lamdata import``: records from other LAM data toolkits into the store."""

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

import_app = typer.Typer(help="Import records from other toolkits.", no_args_is_help=True)


@import_app.command("ufo")
def ufo_cmd(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="UFO result files (.json, .jsonl) or folders.")
    ],
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import UFO dataflow result records as task-plans, instances and trajectories.

    Malformed records go to the quarantine with the JSON pointer of the problem.

    Example: lamdata import ufo results/ -s st
    """
    from lamdata.interop import import_ufo

    settings = settings_for(ctx, store=store)
    with progress_bar("import ufo") as advance:
        summary = import_ufo(open_store(settings), paths, progress=advance)
    print_summary(summary, as_json=as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
