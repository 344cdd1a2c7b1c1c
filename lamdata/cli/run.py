"""``lamdata run PIPELINE``: every stage of a pipeline file, with resume."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from lamdata.cli.common import JsonOpt, LLMOpt, StoreOpt, console, progress_bar, settings_for

if TYPE_CHECKING:
    from lamdata.pipeline.runner import PipelineResult
    from lamdata.pipeline.spec import StageSpec
    from lamdata.store import Summary

TRY_QUERIES = (
    "SELECT app, outcome.label AS label, count(*) AS n FROM trajectories GROUP BY ALL ORDER BY ALL",
    "SELECT status, count(*) AS n FROM steps GROUP BY status ORDER BY n DESC",
)


def run(
    ctx: typer.Context,
    pipeline: Annotated[Path, typer.Argument(help="Pipeline YAML file.")],
    store: StoreOpt = None,
    start: Annotated[str | None, typer.Option("--from", help="First stage to run.")] = None,
    stop: Annotated[str | None, typer.Option("--to", help="Last stage to run.")] = None,
    llm: LLMOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a pipeline; re-running the same command resumes where it stopped.

    Example: lamdata run pipelines/quickstart.yaml --store lamdata-store
    """
    from lamdata.pipeline.runner import describe, run_pipeline, stage_status

    settings = settings_for(ctx, store=store)

    def announce(stage: StageSpec, summary: Summary) -> None:
        if not as_json:
            console.print(
                f"[green]✓[/] {stage.name}: {stage_status(summary)}, "
                f"{summary.records_out} out, {summary.rejected_total} rejected, "
                f"{summary.seconds:.2f}s"
            )

    result = run_pipeline(
        pipeline,
        settings.store,
        start=start,
        stop=stop,
        llm=llm,
        progress=lambda name: progress_bar(name),
        on_stage=announce,
    )
    if as_json:
        console.print_json(describe(result))
        return
    _print_result(result, settings.store)


def _print_result(result: PipelineResult, store: str) -> None:
    table = Table(title=f"pipeline {result.name} ({result.seconds:.1f}s)", title_justify="left")
    for column in ("stage", "status", "in", "out", "rej", "sec", "llm", "tokens", "cached"):
        left = column in ("stage", "status")
        table.add_column(column, justify="left" if left else "right", no_wrap=left)
    for row in result.rows():
        table.add_row(
            row["stage"],
            row["status"],
            str(row["in"]),
            str(row["out"]),
            str(row["rejected"]),
            f"{row['seconds']:.2f}",
            str(row["llm_calls"]),
            str(row["tokens"]),
            str(row["cache_hits"]),
        )
    console.print(table)
    for row in result.rows():
        for reason, count in row["rejected_by_reason"].items():
            console.print(f"  {row['stage']}: rejected {count} {reason}", markup=False)
    if result.retired:
        moved = ", ".join(f"{n} from {t}" for t, n in sorted(result.retired.items()))
        console.print(f"Retired parts written with earlier options ({moved}) to {store}/retired/")
    console.print(f"\nResults are in the store [bold]{store}[/] (exports under {store}/exports).")
    console.print("Try:")
    for sql in TRY_QUERIES:
        console.print(f'  lamdata query --store {store} "{sql}"', markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command()(run)
