"""``instantiate``: task_plans → instances, per input part, resumable (docs/DEVELOPING.md).

For each part of ``task_plans`` one part of ``instances`` is written, named from the run's
config and the input part, so a re-run skips what is done. Task-plans that still need a plan
(``needs_plan`` and no steps) are skipped and counted. Every other task-plan ends either as an
instance (kept or rejected, always with a verdict) or in the quarantine with a reason — the
offline backend never quarantines; the LLM backend quarantines what the model failed to answer
(``llm_*``) and answers that name a control the app does not have (``unknown_control``).
"""

from __future__ import annotations

import asyncio
import gc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from lamdata.errors import ConfigError
from lamdata.execute.stage import Apps, load_apps
from lamdata.hashing import content_hash
from lamdata.instantiate.constants import MIN_TEMPLATE_SCORE
from lamdata.instantiate.llm_path import (
    PROMPT_ID,
    answer_part,
    instantiate_with_llm,
    prepare_part,
    settle,
)
from lamdata.instantiate.offline import OFFLINE_ID, AppContext, instantiate_plan
from lamdata.llm import CallStore, LLMClient, LLMConfig, parse_backend
from lamdata.llm.batch import account
from lamdata.records import Instance, Rejection, TaskPlan
from lamdata.store import Store, Summary, recorded_run, utc_now

STAGE = "instantiate"
Progress = Callable[..., None]
#: The cyclic GC's young-generation threshold while the LLM backend's requests are in flight.
GC_THRESHOLD = 20_000


def apps_fingerprint(folder: str | Path) -> str:
    """A hash of the app model files: a changed model re-instantiates, an unchanged one resumes."""
    files = sorted([*Path(folder).glob("*.json"), *Path(folder).glob("*/app.json")])
    return content_hash([[f.name, content_hash(f.read_bytes().hex())] for f in files])


def instantiate(
    store: Store,
    *,
    apps: str = "samples/apps",
    llm: str = "offline",
    concurrency: int = 16,
    cache: bool = True,
    min_template_score: float = MIN_TEMPLATE_SCORE,
    timeout: float = 60.0,
    max_attempts: int = 5,
    backoff: float = 1.0,
    only: list[str] | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Ground every task-plan of ``store`` on a template of its app; write ``instances``."""
    _check_options(concurrency, min_template_score, timeout, max_attempts)
    backend = parse_backend(llm)
    loaded = load_apps(apps)
    contexts = {app: AppContext.build(model) for app, model in loaded.models.items()}
    config: dict[str, Any] = {
        "apps": apps_fingerprint(apps),
        "llm": backend.spec,
        "prompt": OFFLINE_ID if backend.offline else PROMPT_ID,
        "min_template_score": min_template_score,
        "cache": cache,
        "only": only,
    }
    llm_config = None
    if backend.model is not None:
        llm_config = LLMConfig(
            model=backend.model,
            concurrency=concurrency,
            timeout=timeout,
            max_attempts=max_attempts,
            cache=cache,
            backoff=backoff,
        )
    with recorded_run(store, STAGE, config) as summary:
        summary.notes["concurrency"] = concurrency
        kinds: Counter[str] = Counter()
        todo = _pending(store, summary, only)
        if llm_config is None:
            for part, plans in todo:
                _do_part(store, summary, part, plans, contexts, loaded, None, kinds, progress)
        else:
            _llm_parts(store, summary, todo, contexts, loaded, llm_config, kinds, progress)
        summary.notes.update({f"verdict_{k}": n for k, n in sorted(kinds.items())})
    return summary


def _check_options(
    concurrency: int, min_template_score: float, timeout: float, max_attempts: int
) -> None:
    if concurrency < 1 or timeout <= 0 or max_attempts < 1:
        raise ConfigError("--concurrency, timeout and max_attempts must be positive")
    if not 0.0 <= min_template_score <= 1.0:
        raise ConfigError(f"--min-template-score must be in [0, 1], got {min_template_score}")


def _pending(
    store: Store, summary: Summary, only: list[str] | None
) -> Iterator[tuple[str, list[TaskPlan]]]:
    """(output part, task-plans) of every input part not done yet (done ones are counted)."""
    for path, plans in store.iter_records("task_plans", TaskPlan, only=only):
        part = summary.part(path.stem)
        if store.has_part("instances", part):
            summary.skipped_parts += 1
            continue
        yield part, plans


def _ready(summary: Summary, plans: list[TaskPlan]) -> tuple[list[TaskPlan], int]:
    """The task-plans to instantiate, and how many still need a plan (skipped, counted)."""
    summary.records_in += len(plans)
    ready = [p for p in plans if p.steps or not p.needs_plan]
    skipped = len(plans) - len(ready)
    if skipped:
        summary.notes["skipped_needs_plan"] = summary.notes.get("skipped_needs_plan", 0) + skipped
    return ready, skipped


def _do_part(
    store: Store,
    summary: Summary,
    part: str,
    plans: list[TaskPlan],
    contexts: dict[str, AppContext],
    loaded: Apps,
    llm_config: LLMConfig | None,
    kinds: Counter[str],
    progress: Progress | None = None,
    calls: CallStore | None = None,
) -> None:
    ready, skipped = _ready(summary, plans)
    min_score = float(summary.config["min_template_score"])
    if llm_config is None:
        instances = [instantiate_plan(p, contexts.get(p.app or ""), min_score) for p in ready]
        rejections: list[Rejection] = []
    else:
        instances, rejections = instantiate_with_llm(
            ready,
            contexts,
            min_score,
            llm_config,
            store=store,
            summary=summary,
            progress=progress,
            calls=calls,
        )
    _commit(store, summary, part, ready, instances, rejections, loaded, kinds)
    if progress is not None:
        progress(len(plans) if llm_config is None else skipped)


def _commit(
    store: Store,
    summary: Summary,
    part: str,
    ready: list[TaskPlan],
    instances: list[Instance],
    rejections: list[Rejection],
    loaded: Apps,
    kinds: Counter[str],
) -> None:
    """Write one part's quarantine and instances and count them."""
    _note_broken_apps(ready, loaded, instances)
    if rejections:
        store.quarantine(rejections, part=part, run_id=summary.run_id, created_at=utc_now())
        summary.reject(rejections)
    store.write("instances", _table(store, instances), part=part)
    summary.records_out += len(instances)
    kinds.update(i.verdict.kind for i in instances)


def _table(store: Store, instances: list[Instance]) -> pa.Table | list[Instance]:
    """The instances as an Arrow table; the records themselves when they do not fit, so the
    store names the bad field."""
    try:
        return pa.Table.from_pylist([i.to_dict() for i in instances], store.schema("instances"))
    except (pa.ArrowException, OverflowError, TypeError, ValueError):
        return instances


def _llm_parts(
    store: Store,
    summary: Summary,
    todo: Iterator[tuple[str, list[TaskPlan]]],
    contexts: dict[str, AppContext],
    loaded: Apps,
    llm_config: LLMConfig,
    kinds: Counter[str],
    progress: Progress | None,
) -> None:
    """The LLM backend over every pending part, in one event loop with one client: while a
    part's last requests are in flight the next part is read and its requests start, and each
    answer is checked as it arrives. Parts are still written one by one, in input order, each
    with the cache entries and call-log rows logged so far (one ``CallStore`` per run)."""
    calls = CallStore(store, summary.run_id)
    # Thousands of short-lived request, response and record objects are alive at once: with
    # the default threshold (700) the cyclic GC scans them every few requests (~7% of the
    # stage's CPU). Young collections are made rarer while the batch runs, then restored.
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], GC_THRESHOLD), *threshold[1:])
    try:
        pipeline = _llm_pipeline(
            store, summary, todo, contexts, loaded, llm_config, kinds, progress, calls
        )
        asyncio.run(pipeline)
    finally:
        gc.set_threshold(*threshold)
        _flush(calls, summary, llm_config)


def _flush(calls: CallStore, summary: Summary, llm_config: LLMConfig) -> None:
    logged = calls.calls
    calls.flush()
    account(summary, logged, llm_config.price)


async def _llm_pipeline(
    store: Store,
    summary: Summary,
    todo: Iterator[tuple[str, list[TaskPlan]]],
    contexts: dict[str, AppContext],
    loaded: Apps,
    llm_config: LLMConfig,
    kinds: Counter[str],
    progress: Progress | None,
    calls: CallStore,
) -> None:
    async with AsyncExitStack() as stack:
        starter = _Starter(stack, llm_config, calls, contexts, summary, progress)
        previous: _Part | None = None
        for part, plans in todo:
            current = await starter.start(part, plans)
            if previous is not None:
                await _finish(store, summary, previous, loaded, kinds, progress, calls, llm_config)
            # Read the next part only when this one's last requests are in flight.
            await current.nearly_done.wait()
            previous = current
        if previous is not None:
            await _finish(store, summary, previous, loaded, kinds, progress, calls, llm_config)


@dataclass
class _Part:
    name: str
    ready: list[TaskPlan]
    skipped: int
    instances: list[Instance] = field(default_factory=list)
    answers: list[asyncio.Future[list[Instance | Rejection]]] = field(default_factory=list)
    #: Requests not answered yet; ``nearly_done`` once no more than the concurrency remain.
    left: int = 0
    scheduled: bool = False
    nearly_done: asyncio.Event = field(default_factory=asyncio.Event)


class _Starter:
    """Starts a part's requests chunk by chunk (a chunk's requests go out while the next
    chunk's prompts are built); builds the client for the first request, as run_batch does."""

    def __init__(
        self,
        stack: AsyncExitStack,
        config: LLMConfig,
        calls: CallStore,
        contexts: dict[str, AppContext],
        summary: Summary,
        progress: Progress | None,
    ) -> None:
        self.stack, self.config, self.calls = stack, config, calls
        self.contexts, self.summary, self.progress = contexts, summary, progress
        self.min_score = float(summary.config["min_template_score"])
        self.client: LLMClient | None = None

    async def start(self, name: str, plans: list[TaskPlan]) -> _Part:
        ready, skipped = _ready(self.summary, plans)
        part = _Part(name, ready, skipped)
        size = self.config.concurrency

        def answered(n: int) -> None:
            part.left -= n
            if part.scheduled and part.left <= 2 * size:
                part.nearly_done.set()
            if self.progress is not None:
                self.progress(n)

        for k in range(0, max(len(ready), 1), size):
            instances, asked, requests = prepare_part(
                ready[k : k + size], self.contexts, self.min_score
            )
            part.instances += instances
            if self.progress is not None:
                self.progress(len(instances))
            if requests and self.client is None:
                client = LLMClient(self.config, calls=self.calls)
                self.client = await self.stack.enter_async_context(client)
            part.left += len(requests)
            coro = answer_part(self.client, asked, requests, answered)
            part.answers.append(asyncio.ensure_future(coro))
            await asyncio.sleep(0)  # let the chunk's requests start
        part.scheduled = True
        if part.left <= 2 * size:
            part.nearly_done.set()
        return part


async def _finish(
    store: Store,
    summary: Summary,
    part: _Part,
    loaded: Apps,
    kinds: Counter[str],
    progress: Progress | None,
    calls: CallStore,
    llm_config: LLMConfig,
) -> None:
    outcomes = [outcome for answers in part.answers for outcome in await answers]
    instances, rejections = settle(part.instances, outcomes)
    _commit(store, summary, part.name, part.ready, instances, rejections, loaded, kinds)
    _flush(calls, summary, llm_config)
    if progress is not None:
        progress(part.skipped)


def _note_broken_apps(plans: list[TaskPlan], loaded: Apps, instances: list[Instance]) -> None:
    """Say which file broke an app in the verdict reason of its template misses."""
    for inst in instances:
        broken = loaded.broken.get(inst.app)
        if broken is not None and inst.verdict.kind == "template_miss":
            source, pointer, message = broken
            inst.verdict.reason += f" (app model {source} is malformed at {pointer}: {message})"
