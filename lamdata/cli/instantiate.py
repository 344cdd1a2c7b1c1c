"""``lamdata instantiate``: ground task-plans on app templates (choose → prefill → filter)."""

from __future__ import annotations

from typing import Annotated

import typer

from lamdata.cli.common import (
    AppsOpt,
    JsonOpt,
    LLMOpt,
    StoreOpt,
    open_store,
    print_summary,
    progress_bar,
    settings_for,
)
from lamdata.instantiate.constants import MIN_TEMPLATE_SCORE


def instantiate(
    ctx: typer.Context,
    store: StoreOpt = None,
    apps: AppsOpt = "samples/apps",
    llm: LLMOpt = None,
    concurrency: Annotated[
        int | None, typer.Option("--concurrency", help="LLM requests in flight at once.")
    ] = None,
    cache: Annotated[
        bool | None, typer.Option("--cache/--no-cache", help="Replay cached LLM answers.")
    ] = None,
    min_template_score: Annotated[
        float, typer.Option(help="Below this score (0-1) no template fits: template_miss.")
    ] = MIN_TEMPLATE_SCORE,
    as_json: JsonOpt = False,
) -> None:
    """Turn task-plans into instances on app templates, with actions, checks and a verdict.

    Example: lamdata instantiate -s st --apps samples/apps --llm openai:gpt-4o-mini
    """
    from lamdata.instantiate import instantiate as run_instantiate

    settings = settings_for(ctx, store=store, llm=llm, concurrency=concurrency, cache=cache)
    with progress_bar("instantiate") as advance:
        summary = run_instantiate(
            open_store(settings, create=False),
            apps=apps,
            llm=settings.llm,
            concurrency=settings.concurrency,
            cache=settings.cache,
            min_template_score=min_template_score,
            timeout=settings.timeout,
            max_attempts=settings.max_attempts,
            backoff=settings.backoff,
            progress=advance,
        )
    print_summary(summary, as_json=as_json)


def register(app: typer.Typer) -> None:
    app.command()(instantiate)
