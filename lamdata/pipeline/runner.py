"""``lamdata run``: execute a pipeline's stages in order, resumably.

Resume is the stages' own: each writes one part per input unit, named by its config hash and
input, and skips parts already committed. The runner's job is wiring: it passes each stage the
part prefixes its upstream produced *with the current options* (``only=``), so changing a
stage's options re-runs that stage and what depends on it, and stale parts from older options
are never consumed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lamdata.pipeline.registry import STAGES
from lamdata.pipeline.spec import PipelineSpec, StageSpec, load_pipeline
from lamdata.store import Store, Summary, recorded_run

#: ``progress_factory(stage_name)`` returns a context manager yielding ``advance(n, total)``.
ProgressFactory = Callable[[str], AbstractContextManager[Any]]
StageCallback = Callable[[StageSpec, Summary], None]


@dataclass
class PipelineResult:
    name: str
    stages: list[tuple[StageSpec, Summary]] = field(default_factory=list)
    seconds: float = 0.0
    run_id: str = ""
    retired: dict[str, int] = field(default_factory=dict)

    def rows(self) -> Iterator[dict[str, Any]]:
        for spec, summary in self.stages:
            yield {
                "stage": spec.name,
                "status": stage_status(summary),
                "in": summary.records_in,
                "out": summary.records_out,
                "rejected": summary.rejected_total,
                "rejected_by_reason": dict(sorted(summary.rejected.items())),
                "seconds": round(summary.seconds, 3),
                "llm_calls": summary.llm_calls,
                "tokens": summary.tokens_in + summary.tokens_out,
                "cache_hits": summary.cache_hits,
            }


def stage_status(summary: Summary) -> str:
    """``skipped`` when every unit was already done (nothing new), ``ran`` otherwise."""
    if summary.skipped_parts and not summary.records_out and not summary.rejected_total:
        return "skipped"
    return "ran"


def run_pipeline(
    path: str | Path,
    store: Store | str | Path,
    *,
    start: str | None = None,
    stop: str | None = None,
    llm: str | None = None,
    progress: ProgressFactory | None = None,
    on_stage: StageCallback | None = None,
) -> PipelineResult:
    """Run the pipeline file at ``path`` against ``store``; return every stage's summary."""
    spec = load_pipeline(path)
    store = store if isinstance(store, Store) else Store(store)
    store.clean_temporaries()
    config = {
        "pipeline": spec.name,
        "file": str(Path(path).resolve()),
        "llm": llm,
        "from": start,
        "to": stop,
    }
    result = PipelineResult(name=spec.name)
    begin = time.perf_counter()
    with recorded_run(store, f"run {spec.name}", config) as run_summary:
        produced: dict[str, list[str]] = {}
        for stage in spec.select(start, stop):
            summary = _run_stage(store, spec, stage, produced, llm, progress)
            _account(run_summary, summary)
            result.stages.append((stage, summary))
            if on_stage is not None:
                on_stage(stage, summary)
        if start is None and stop is None:
            result.retired = retire_stale_parts(store, produced)
            run_summary.notes["retired_parts"] = result.retired
        run_summary.notes["stages"] = list(result.rows())
        result.run_id = run_summary.run_id
    result.seconds = time.perf_counter() - begin
    return result


def _run_stage(
    store: Store,
    spec: PipelineSpec,
    stage: StageSpec,
    produced: dict[str, list[str]],
    llm: str | None,
    progress: ProgressFactory | None,
) -> Summary:
    info = STAGES[stage.kind]
    kwargs = dict(stage.options)
    if info.takes_llm and "llm" in info.parameters:
        kwargs["llm"] = llm or kwargs.get("llm") or spec.llm or "offline"
    for key in info.store_paths:
        if key in kwargs and not Path(str(kwargs[key])).is_absolute():
            kwargs[key] = str(store.path / str(kwargs[key]))
    if info.takes_only and info.reads in produced:
        kwargs["only"] = list(produced[info.reads])
    context = progress(stage.name) if progress and "progress" in info.parameters else None
    with context if context is not None else nullcontext() as advance:
        if advance is not None:
            kwargs["progress"] = advance
        summary: Summary = info.function(store=store, **kwargs)
    if info.writes:
        produced.setdefault(info.writes, []).append(summary.part_prefix)
    return summary


def retire_stale_parts(store: Store, produced: dict[str, list[str]]) -> dict[str, int]:
    """Retire the parts this pipeline's stages wrote with options they no longer have.

    A part is named ``<stage>-<config>-<input>``. After a full run, the parts of a stage whose
    config is not the current one are stale (superseded by a change of options upstream or in
    the stage itself); they move to ``<store>/retired/`` so that views, curation and exports see
    exactly what the current pipeline produced. Parts of stages this pipeline does not run are
    left alone.
    """
    current = {table: tuple(prefixes) for table, prefixes in produced.items()}
    current["quarantine"] = tuple(p for prefixes in produced.values() for p in prefixes)
    retired: dict[str, int] = {}
    for table, prefixes in current.items():
        heads = {p.split("-", 1)[0] for p in prefixes}
        stale = [
            path
            for path in store.parts(table)
            if path.stem.split("-", 1)[0] in heads and not path.stem.startswith(prefixes)
        ]
        if stale:
            retired[table] = store.retire(table, stale)
    return retired


def _account(total: Summary, stage: Summary) -> None:
    total.records_out += stage.records_out
    total.rejected.update(stage.rejected)
    total.tokens_in += stage.tokens_in
    total.tokens_out += stage.tokens_out
    total.llm_calls += stage.llm_calls
    total.cache_hits += stage.cache_hits


def describe(result: PipelineResult) -> str:
    """The summary as JSON (what ``lamdata run --json`` prints)."""
    return json.dumps(
        {
            "pipeline": result.name,
            "run_id": result.run_id,
            "seconds": round(result.seconds, 3),
            "stages": list(result.rows()),
        },
        indent=2,
    )
