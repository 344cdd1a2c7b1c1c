"""``evolve``: new task-plans from the store's task-plans, by Evol-Instruct operations.

Work goes part by part: each input part of ``task_plans`` yields one output part (possibly
empty: it marks the input as done), named ``evolve-<config>-<hash of round:input>``. Round 1
reads the input parts (``only`` = their prefixes; this config's own outputs are never inputs of
round 1), round ``k`` reads what round ``k-1`` wrote, so ``rounds=2`` evolves evolved tasks
(generation 2). Near-duplicates of any task already in the store, or written earlier in the
run, are quarantined as ``near_duplicate`` and counted; failed model answers are quarantined
with the LLM layer's reason (``llm_schema``, ``llm_gave_up``, ...).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from lamdata.errors import ConfigError
from lamdata.evolve.dedup import TaskIndex, drop_near_duplicates
from lamdata.evolve.model_ops import Pending, evolve_requests, evolved_from_answer
from lamdata.evolve.ops import OFFLINE_OPS, OPS, evolve_offline
from lamdata.llm import (
    Backend,
    CallStore,
    LLMConfig,
    LLMResult,
    check_outage,
    llm_config_for,
    parse_backend,
)
from lamdata.llm import run_batch as llm_run_batch
from lamdata.records import Rejection, TaskPlan
from lamdata.store import Store, Summary, recorded_run, utc_now

TABLE = "task_plans"
Progress = Callable[..., None]


def check_ops(ops: list[str] | None, backend: Backend) -> list[str]:
    """The operations to run (default: all a backend can do), refusing unknown ones."""
    if not ops:
        return list(OFFLINE_OPS if backend.offline else OPS)
    unknown = [op for op in ops if op not in OPS]
    if unknown:
        raise ConfigError(f"unknown evolution op(s) {unknown}", hint=f"use {', '.join(OPS)}")
    need_model = [op for op in ops if op not in OFFLINE_OPS]
    if backend.offline and need_model:
        raise ConfigError(
            f"op(s) {need_model} need a model; offline evolution does {', '.join(OFFLINE_OPS)}",
            hint="pass --llm openai:MODEL, or --ops compose,concretize",
        )
    return list(dict.fromkeys(ops))


def evolve(
    store: Store,
    *,
    llm: str = "offline",
    ops: list[str] | None = None,
    rounds: int = 1,
    seed: int = 0,
    only: list[str] | None = None,
    progress: Progress | None = None,
    llm_config: LLMConfig | None = None,
) -> Summary:
    """Evolve the task-plans of ``store`` (``llm_config``: runtime knobs, not part of the
    config hash — concurrency, timeouts, cache)."""
    backend = parse_backend(llm)
    chosen = check_ops(ops, backend)
    if rounds < 1:
        raise ConfigError("--rounds must be at least 1")
    config = {"llm": backend.spec, "ops": chosen, "rounds": rounds, "seed": seed, "only": only}
    with recorded_run(store, "evolve", config) as summary:
        job = _Job(
            store,
            summary,
            chosen,
            seed,
            llm_config_for(backend, llm_config),
            CallStore(store, summary.run_id),
            TaskIndex(store.records(TABLE, TaskPlan)),
            progress,
        )
        prefix = summary.part_prefix
        inputs = [p.stem for p in store.parts(TABLE, only) if not p.name.startswith(prefix)]
        for round_ in range(1, rounds + 1):
            inputs = [job.run_part(round_, stem) for stem in inputs]
        summary.notes["ops"] = ",".join(chosen)
    return summary


@dataclass
class _Job:
    """One evolve run: what every part needs."""

    store: Store
    summary: Summary
    ops: list[str]
    seed: int
    cfg: LLMConfig | None
    calls: CallStore
    index: TaskIndex
    progress: Progress | None

    def run_part(self, round_: int, stem: str) -> str:
        """Evolve input part ``stem`` in round ``round_``; returns the output part's name."""
        part = self.summary.part(f"{round_}:{stem}")
        if self.store.has_part(TABLE, part):
            self.summary.skipped_parts += 1
            return part
        plans = read_part(self.store, stem)
        candidates, failed = _candidates(
            plans, self.ops, self.seed, self.cfg, self.calls, self.summary
        )
        _commit(self.store, self.summary, part, candidates, failed, self.index)
        if self.progress is not None:
            self.progress(len(plans))
        return part


def read_part(store: Store, stem: str) -> list[TaskPlan]:
    """The task-plans of one part of the table."""
    out: list[TaskPlan] = []
    for path, plans in store.iter_records(TABLE, TaskPlan, only=[stem]):
        if path.stem == stem:
            out.extend(plans)
    return out


def _candidates(
    plans: list[TaskPlan],
    ops: list[str],
    seed: int,
    cfg: LLMConfig | None,
    calls: CallStore,
    summary: Summary,
) -> tuple[list[TaskPlan], list[Rejection]]:
    summary.records_in += len(plans)
    if cfg is None:
        return evolve_offline(plans, ops, seed), []
    pending = evolve_requests(plans, ops, seed)
    requests = [p.request for p in pending]
    results = llm_run_batch(cfg, requests, store=calls.store, summary=summary, calls=calls)
    check_outage(results)
    return from_results(pending, results, "evolve")


def from_results(
    pending: list[Pending], results: list[LLMResult], stage: str
) -> tuple[list[TaskPlan], list[Rejection]]:
    """Evolved task-plans from valid answers, rejections (with the last answer) for the rest."""
    plans: list[TaskPlan] = []
    failed: list[Rejection] = []
    for item, result in zip(pending, results, strict=True):
        if result.ok:
            plans.append(evolved_from_answer(item, result.value))
        else:
            failed.append(answer_rejection(item, result, stage))
    return plans, failed


def answer_rejection(item: Pending, result: LLMResult, stage: str) -> Rejection:
    parent = item.parents[0]
    record = {"parents": [p.id for p in item.parents], "op": item.op, "answer": result.text}
    return Rejection.create(
        stage=stage,
        reason=result.error,
        uri=parent.source.uri,
        locator=f"{parent.id}:{item.op}",
        record_json=json.dumps(record, ensure_ascii=False),
    )


def _commit(
    store: Store,
    summary: Summary,
    part: str,
    candidates: list[TaskPlan],
    failed: list[Rejection],
    index: TaskIndex,
) -> None:
    kept, duplicates = drop_near_duplicates(candidates, index, "evolve")
    rejections = failed + duplicates
    if rejections:
        store.quarantine(rejections, part=part, run_id=summary.run_id, created_at=utc_now())
        summary.reject(rejections)
    summary.records_out += store.write(TABLE, kept, part=part)
