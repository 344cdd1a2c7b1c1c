"""``lamdata ingest docs``: help documents into task-plans."""

from __future__ import annotations

from typing import Annotated

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
from lamdata.cli.ingest import ingest_app


def docs(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or globs.")],
    store: StoreOpt = None,
    app: Annotated[
        str | None, typer.Option("--app", help="App id for every task (default: from the page).")
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Exit 1 if any input is rejected (good records are still written)."
        ),
    ] = False,
    max_mb: Annotated[
        float, typer.Option("--max-mb", help="Refuse files larger than this many megabytes.")
    ] = 16.0,
    llm: LLMOpt = None,
    concurrency: Annotated[
        int | None, typer.Option("--concurrency", "-c", help="Model requests in flight.")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Ask the model again instead of replaying.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Read help pages: HTML, Markdown, WikiHow-style text/JSON/CSV, UFO task JSON, DITA XML.

    One task-plan per procedure; bad files are quarantined with a reason and the rest is read.
    A re-run skips what is already in the store. With --llm openai:MODEL a model extracts the
    procedures of prose pages (dumps and UFO task files keep the rules); only this flag turns
    it on, not LAMDATA_LLM.

    Example: lamdata ingest docs samples/docs --store st --app word

    Example: OPENAI_API_KEY=... lamdata ingest docs samples/docs -s st --llm openai:gpt-4o-mini
    """
    from lamdata.ingest.docs import StrictModeError, ingest_docs
    from lamdata.llm import config_from_settings, parse_backend

    settings = settings_for(
        ctx, store=store, concurrency=concurrency, cache=False if no_cache else None
    )
    backend = parse_backend(llm)
    llm_config = None if backend.offline else config_from_settings(settings, backend)
    target = open_store(settings)
    with progress_bar("docs") as advance:
        try:
            summary = ingest_docs(
                target,
                paths,
                app=app,
                strict=strict,
                max_mb=max_mb,
                llm=backend.spec,
                progress=advance,
                llm_config=llm_config,
            )
        except StrictModeError as exc:
            print_summary(exc.summary, as_json=as_json)
            raise
    print_summary(summary, as_json=as_json)


def register(app: typer.Typer) -> None:
    ingest_app.command("docs")(docs)
