"""``plan``: steps for task-plans that have none (``needs_plan``, e.g. mined from search logs).

A model writes the steps (prompt ``plan.v1``); each answer becomes a new task-plan with
``plan_source="model"`` and lineage to the original (op ``plan``). A task the model calls
infeasible in the app is quarantined as ``not_feasible``. Offline there is no honest way to
invent a plan: the stage counts the tasks that need one and says a model is required.
"""

from __future__ import annotations

from collections.abc import Callable

from lamdata.evolve.model_ops import Pending, plan_requests, planned_from_answer
from lamdata.evolve.stage import TABLE, answer_rejection
from lamdata.llm import (
    CallStore,
    LLMConfig,
    LLMResult,
    check_outage,
    llm_config_for,
    parse_backend,
    run_batch,
)
from lamdata.records import Rejection, TaskPlan
from lamdata.store import Store, Summary, recorded_run, utc_now

Progress = Callable[..., None]
OFFLINE_MESSAGE = "writing plans needs a model: pass --llm openai:MODEL (and set OPENAI_API_KEY)"


def plan(
    store: Store,
    *,
    llm: str = "offline",
    only: list[str] | None = None,
    progress: Progress | None = None,
    llm_config: LLMConfig | None = None,
) -> Summary:
    """Write plans for the task-plans with ``needs_plan`` (offline: only count them)."""
    backend = parse_backend(llm)
    cfg = llm_config_for(backend, llm_config)
    with recorded_run(store, "plan", {"llm": backend.spec, "only": only}) as summary:
        prefix = summary.part_prefix
        calls = CallStore(store, summary.run_id)
        for path, plans in store.iter_records(TABLE, TaskPlan, only=only):
            if path.name.startswith(prefix):
                continue
            need = [p for p in plans if p.needs_plan]
            summary.records_in += len(need)
            part = summary.part(path.stem)
            if cfg is None or not need:
                continue
            if store.has_part(TABLE, part):
                summary.skipped_parts += 1
                continue
            _plan_part(calls, summary, part, need, cfg)
            if progress is not None:
                progress(len(need))
        summary.notes["needs_plan"] = summary.records_in
        if cfg is None:
            summary.notes["message"] = OFFLINE_MESSAGE
    return summary


def _plan_part(
    calls: CallStore, summary: Summary, part: str, need: list[TaskPlan], cfg: LLMConfig
) -> None:
    store = calls.store
    assert store is not None
    pending = plan_requests(need)
    requests = [p.request for p in pending]
    results = run_batch(cfg, requests, store=store, summary=summary, calls=calls)
    check_outage(results)
    planned, rejections = from_plan_results(pending, results)
    if rejections:
        store.quarantine(rejections, part=part, run_id=summary.run_id, created_at=utc_now())
        summary.reject(rejections)
    summary.records_out += store.write(TABLE, planned, part=part)


def from_plan_results(
    pending: list[Pending], results: list[LLMResult]
) -> tuple[list[TaskPlan], list[Rejection]]:
    planned: list[TaskPlan] = []
    rejections: list[Rejection] = []
    for item, result in zip(pending, results, strict=True):
        if result.ok and result.value.get("feasible"):
            planned.append(planned_from_answer(item.parents[0], result.value))
            continue
        if result.ok:
            why = str(result.value.get("reason") or "the model found no way to do it in the app")
            result = LLMResult(result.key, False, result.value, result.text, "", result.info)
            result.error = f"not_feasible: {why}"
        rejections.append(answer_rejection(item, result, "plan"))
    return planned, rejections
