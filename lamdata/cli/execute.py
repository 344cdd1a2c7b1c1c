"""``lamdata execute``: run instances through the validating executor."""

from __future__ import annotations

from typing import Annotated

import typer

from lamdata.cli.common import (
    AppsOpt,
    JsonOpt,
    StoreOpt,
    open_store,
    print_summary,
    progress_bar,
    settings_for,
)


def execute(
    ctx: typer.Context,
    store: StoreOpt = None,
    apps: AppsOpt = "samples/apps",
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Worker processes.")] = None,
    max_steps: Annotated[int, typer.Option(help="Stop an instance after N steps.")] = 50,
    max_errors: Annotated[int, typer.Option(help="Stop after N consecutive errors.")] = 3,
    max_repeats: Annotated[int, typer.Option(help="Stop after the same action N times.")] = 3,
    on_error: Annotated[str, typer.Option(help="stop or continue after an error.")] = "continue",
    threshold: Annotated[
        float, typer.Option(help="Minimum fuzzy score (0-100) to match a control by text.")
    ] = 90.0,
    as_json: JsonOpt = False,
) -> None:
    """Execute kept instances on the uitree environment, check them, write trajectories.

    Example: lamdata execute -s st --apps samples/apps --jobs 2 --on-error continue
    """
    from lamdata.execute import execute as run_execute

    settings = settings_for(ctx, store=store, jobs=jobs)
    with progress_bar("execute") as advance:
        summary = run_execute(
            open_store(settings, create=False),
            apps=apps,
            jobs=settings.jobs,
            max_steps=max_steps,
            max_errors=max_errors,
            max_repeats=max_repeats,
            on_error=on_error,
            threshold=threshold,
            progress=advance,
        )
    print_summary(summary, as_json=as_json)


def register(app: typer.Typer) -> None:
    app.command()(execute)
