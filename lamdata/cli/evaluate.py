"""``lamdata evaluate`` and ``lamdata score``: judge trajectories, score a model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from lamdata.cli.common import (
    JsonOpt,
    StoreOpt,
    console,
    open_store,
    print_summary,
    progress_bar,
    settings_for,
)

if TYPE_CHECKING:
    from lamdata.llm import LLMConfig
    from lamdata.settings import Settings


def evaluate(
    ctx: typer.Context,
    store: StoreOpt = None,
    judge: Annotated[
        str, typer.Option(help="checks (llm and both: not in this build).")
    ] = "checks",
    as_json: JsonOpt = False,
) -> None:
    """Re-evaluate every trajectory's checks on its final state into the judgments table.

    Example: lamdata evaluate -s st --judge checks
    """
    from lamdata.evaluate import evaluate as run_evaluate

    settings = settings_for(ctx, store=store)
    with progress_bar("evaluate") as advance:
        summary = run_evaluate(open_store(settings, create=False), judge=judge, progress=advance)
    print_summary(summary, as_json=as_json)


def _llm_config(settings: Settings) -> LLMConfig | None:
    from lamdata.llm import config_from_settings, parse_backend

    backend = parse_backend(settings.llm)
    return None if backend.offline else config_from_settings(settings, backend)


def score(
    ctx: typer.Context,
    predictions: Annotated[Path, typer.Option("--predictions", "-p", help="Predictions JSONL.")],
    store: StoreOpt = None,
    apps: Annotated[str, typer.Option("--apps", help="Folder of app models.")] = "samples/apps",
    include_failed: Annotated[
        bool, typer.Option("--include-failed", help="Also score against failed trajectories.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Score predicted actions: object/operation/argument/step/task accuracy, replay success.

    Example: lamdata score -s st --predictions preds.jsonl --json
    """
    from lamdata.evaluate import score as run_score

    settings = settings_for(ctx, store=store)
    result = run_score(
        open_store(settings, create=False),
        predictions=str(predictions),
        apps=apps,
        include_failed=include_failed,
    )
    if as_json:
        console.print_json(json.dumps(result))
        return
    forced = result["teacher_forced"]
    view = Table(title=f"teacher-forced: {forced['steps']} steps, {forced['tasks']} tasks")
    for column in ("", "object", "operation", "argument", "step", "task"):
        view.add_column(column)
    for name in ("micro", "macro"):
        view.add_row(
            name,
            *(
                f"{forced[name][k]:.3f}"
                for k in ("object", "operation", "argument", "step", "task")
            ),
        )
    console.print(view)
    console.print(f"online replay: {json.dumps(result['online'])}")


def register(app: typer.Typer) -> None:
    app.command()(evaluate)
    app.command()(score)
