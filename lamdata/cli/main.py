"""The ``lamdata`` command: a thin layer over the library (see ``lamdata.cli.*`` modules)."""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

from lamdata import __version__
from lamdata.cli.errors import LamdataGroup

app = typer.Typer(
    name="lamdata",
    cls=LamdataGroup,
    help="Build executable, checked training data for Large Action Models.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    pretty_exceptions_enable=False,
    add_completion=False,
)

#: Each module defines ``register(app)``; the order is the order of ``lamdata --help``.
#: Every start imports all of them, so they import their stage inside the command function
#: (``tests/foundation/test_cli_startup.py`` checks that ``--help`` loads no stage).
COMMAND_MODULES = [
    "lamdata.cli.ingest",  # the `ingest` group, then its commands
    "lamdata.cli.ingest_docs",
    "lamdata.cli.ingest_logs",
    "lamdata.cli.evolve",  # evolve, plan
    "lamdata.cli.instantiate",
    "lamdata.cli.execute",
    "lamdata.cli.evaluate",  # evaluate, score
    "lamdata.cli.curate",  # filter, dedup, split
    "lamdata.cli.export",
    "lamdata.cli.run",
    "lamdata.cli.store_cmds",  # query, stats
    "lamdata.cli.interop",  # import ufo
    "lamdata.cli.apps",
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lamdata {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """lamdata: help docs and search logs in, executed and checked UI trajectories out."""
    ctx.meta["lamdata.debug"] = debug


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    app()
