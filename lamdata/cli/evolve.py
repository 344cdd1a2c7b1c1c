"""``lamdata evolve`` and ``lamdata plan``: new task-plans from old ones, plans for bare tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from lamdata.cli.common import (
    JsonOpt,
    LLMOpt,
    StoreOpt,
    open_store,
    print_summary,
    progress_bar,
    settings_for,
)

if TYPE_CHECKING:
    from lamdata.llm import LLMConfig
    from lamdata.settings import Settings

ConcurrencyOpt = Annotated[
    int | None, typer.Option("--concurrency", "-c", help="Model requests in flight (default 16).")
]
NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Ask the model again instead of replaying the cache.")
]


def _llm_settings(
    ctx: typer.Context, store: object, llm: str | None, concurrency: int | None, no_cache: bool
) -> tuple[Settings, LLMConfig | None]:
    from lamdata.llm import config_from_settings, parse_backend

    settings = settings_for(
        ctx, store=store, llm=llm, concurrency=concurrency, cache=False if no_cache else None
    )
    backend = parse_backend(settings.llm)
    return settings, None if backend.offline else config_from_settings(settings, backend)


def evolve(
    ctx: typer.Context,
    store: StoreOpt = None,
    llm: LLMOpt = None,
    ops: Annotated[
        str | None,
        typer.Option(
            "--ops",
            help="Comma-separated: add_constraint, deepen, concretize, compose, breadth "
            "(default: compose,concretize offline; all five with a model).",
        ),
    ] = None,
    rounds: Annotated[int, typer.Option("--rounds", help="Evolve the evolved N times.")] = 1,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of pairings and values.")] = None,
    concurrency: ConcurrencyOpt = None,
    no_cache: NoCacheOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Evolve task-plans: compose two tasks of an app, concretize open values, and (with a
    model) add constraints, deepen, or branch out. Near-duplicates are dropped and counted.

    Example: lamdata evolve -s st --ops compose,concretize --rounds 2
    """
    from lamdata.evolve import evolve as run_evolve

    settings, llm_config = _llm_settings(ctx, store, llm, concurrency, no_cache)
    chosen = [op.strip() for op in ops.split(",") if op.strip()] if ops else None
    with progress_bar("evolve") as advance:
        summary = run_evolve(
            open_store(settings, create=False),
            llm=settings.llm,
            ops=chosen,
            rounds=rounds,
            seed=settings.seed if seed is None else seed,
            progress=advance,
            llm_config=llm_config,
        )
    print_summary(summary, as_json=as_json)


def plan(
    ctx: typer.Context,
    store: StoreOpt = None,
    llm: LLMOpt = None,
    concurrency: ConcurrencyOpt = None,
    no_cache: NoCacheOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Write steps for task-plans that have none (needs_plan, e.g. from search logs), marked
    model-written. Offline it only counts them: a plan needs a model.

    Example: OPENAI_API_KEY=... lamdata plan -s st --llm openai:gpt-4o-mini
    """
    from lamdata.evolve import plan as run_plan

    settings, llm_config = _llm_settings(ctx, store, llm, concurrency, no_cache)
    with progress_bar("plan") as advance:
        summary = run_plan(
            open_store(settings, create=False),
            llm=settings.llm,
            progress=advance,
            llm_config=llm_config,
        )
    print_summary(summary, as_json=as_json)


def register(app: typer.Typer) -> None:
    app.command()(evolve)
    app.command()(plan)
