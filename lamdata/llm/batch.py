"""The synchronous entry point stages use: answer a batch, log it, count it.

    from lamdata.llm import LLMRequest, build_messages, config_from_settings, run_batch

    config = config_from_settings(settings)               # --llm openai:MODEL, limits, cache
    requests = [
        LLMRequest(key=plan.id, prompt_id="evolve.v1", schema="llm_evolve",
                   messages=build_messages("evolve.v1", "llm_evolve", task=plan.task, ...))
        for plan in plans
    ]
    results = run_batch(config, requests, store=store, summary=summary)
    for result in results:            # same order as requests
        if result.ok: use(result.value, result.info)      # info is an LLMInfo for the record
        else: quarantine(result.error, result.text)       # "llm_schema: ...", last answer

A stage calls :func:`run_batch` once per input part, so the whole part is in flight at once and
the cache and the call log are committed with the part.
"""

from __future__ import annotations

import asyncio

from lamdata.errors import LLMTransientError
from lamdata.llm.backend import LLMConfig, Price
from lamdata.llm.cache import CallStore
from lamdata.llm.client import LLMClient, LLMRequest, LLMResult, Progress
from lamdata.records.llm import LLMCall
from lamdata.store import Store, Summary


async def complete_batch(
    config: LLMConfig, requests: list[LLMRequest], calls: CallStore, progress: Progress | None
) -> list[LLMResult]:
    """The async form of :func:`run_batch` (the caller flushes ``calls``)."""
    if not requests:
        return []
    async with LLMClient(config, calls=calls) as client:
        return await client.complete_json(requests, progress)


def run_batch(
    config: LLMConfig,
    requests: list[LLMRequest],
    *,
    store: Store | None = None,
    summary: Summary | None = None,
    progress: Progress | None = None,
    calls: CallStore | None = None,
) -> list[LLMResult]:
    """Answer ``requests`` (results in the same order), commit cache and call log to ``store``,
    and add calls, cache hits, tokens and cost to ``summary``.

    A stage that calls this once per part may pass one ``calls=CallStore(store, run_id)`` to
    every call, so the cache table is read once per run instead of once per part.
    """
    calls = calls or CallStore(store, summary.run_id if summary else "")
    try:
        return asyncio.run(complete_batch(config, requests, calls, progress))
    finally:
        logged = calls.calls
        calls.flush()
        if summary is not None:
            account(summary, logged, config.price)


def check_outage(results: list[LLMResult]) -> None:
    """Raise when every request of a batch gave up on transient errors (endpoint down, quota
    gone): a stage calls this before committing a part, so the part is not marked done with
    everything quarantined, and running the command again resumes it."""
    if results and all(r.error_code == "llm_gave_up" for r in results):
        raise LLMTransientError(
            f"all {len(results)} model requests of this part failed: {results[0].error}",
            hint="check OPENAI_BASE_URL, the model name and your quota, then run the same "
            "command again to resume (parts already written are kept)",
        )


def account(summary: Summary, calls: list[LLMCall], price: Price | None = None) -> None:
    """Add logged calls to a run summary: tokens count what was paid (cache hits are free)."""
    fresh = [c for c in calls if not c.cached]
    summary.llm_calls += len(calls)
    summary.cache_hits += len(calls) - len(fresh)
    summary.tokens_in += sum(c.tokens_in for c in fresh)
    summary.tokens_out += sum(c.tokens_out for c in fresh)
    rejected = sum(1 for c in calls if c.error.startswith(("llm_json", "llm_schema")))
    failed = sum(1 for c in calls if c.error) - rejected
    for note, count in (("llm_failed_calls", failed), ("llm_rejected_answers", rejected)):
        if count:
            summary.notes[note] = summary.notes.get(note, 0) + count
    if price is not None:
        cost = price.cost(summary.tokens_in, summary.tokens_out)
        summary.notes["cost_usd"] = round(cost, 6)
