"""``lamdata ingest``: the group that ``ingest docs`` and ``ingest logs`` join."""

from __future__ import annotations

import typer

ingest_app = typer.Typer(
    help="Read help documents and search logs into task-plans.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(ingest_app, name="ingest")
