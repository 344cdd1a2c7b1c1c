"""The evolve and plan stages over a store, offline and through the test server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from evolve_samples import ALL_PLANS, BOLD, FONT, NEEDS_PLAN, TABLE, make_plan, store_with

from lamdata.errors import ConfigError, LLMTransientError
from lamdata.evolve import evolve, plan
from lamdata.evolve.model_ops import OP_INSTRUCTIONS
from lamdata.llm import LLMConfig
from lamdata.records import Rejection, TaskPlan
from lamdata.testing import ChatCall, OpenAIServer, Reply


def evolved(store_plans: list[TaskPlan]) -> list[TaskPlan]:
    return [p for p in store_plans if p.source.kind == "evolved"]


def test_offline_evolve_writes_lineage_and_resumes(tmp_path: Path) -> None:
    store = store_with(tmp_path, ALL_PLANS)
    summary = evolve(store)
    new = evolved(store.records("task_plans", TaskPlan))
    assert summary.records_in == len(ALL_PLANS)
    assert summary.records_out == len(new) == 5
    assert all(p.lineage.generation == 1 and p.lineage.parents for p in new)
    again = evolve(store)
    assert again.records_out == 0 and again.skipped_parts == 1
    assert store.count("task_plans") == len(ALL_PLANS) + 5


def test_near_duplicates_are_dropped_and_counted(tmp_path: Path) -> None:
    existing = make_plan("word", "Insert a table then make the text bold", ["Click Table"])
    store = store_with(tmp_path, [TABLE, BOLD])
    store.write("task_plans", [existing], part="ingest_docs-other-1")
    summary = evolve(store, ops=["compose"], only=["ingest_docs-test"])
    assert summary.rejected["near_duplicate"] == 1
    assert summary.records_out == 0  # two plans make one pair; word order does not hide it
    rejection = store.records("quarantine", Rejection)[0]
    assert rejection.reason.startswith("near_duplicate:") and existing.id in rejection.reason


def test_rounds_evolve_the_evolved(tmp_path: Path) -> None:
    store = store_with(tmp_path, ALL_PLANS)
    summary = evolve(store, rounds=2)
    generations = {p.lineage.generation for p in evolved(store.records("task_plans", TaskPlan))}
    assert generations == {1, 2}
    assert summary.records_out == store.count("task_plans") - len(ALL_PLANS)


def test_offline_refuses_ops_that_need_a_model(tmp_path: Path) -> None:
    store = store_with(tmp_path, ALL_PLANS)
    with pytest.raises(ConfigError, match="need a model"):
        evolve(store, ops=["deepen"])
    with pytest.raises(ConfigError, match="unknown"):
        evolve(store, ops=["shuffle"])


def config() -> LLMConfig:
    return LLMConfig(model="test-model", concurrency=8, timeout=2, max_attempts=2, backoff=0.01)


def evolve_answer(call: ChatCall) -> Reply | dict[str, Any]:
    task = call.messages[1]["content"].splitlines()[0].removeprefix("Existing task: ")
    if task == BOLD.task and OP_INSTRUCTIONS["deepen"] in call.system_text:
        return Reply.json({"task": "", "steps": "Click Bold"})  # schema-invalid, every time
    op = next(op for op, text in OP_INSTRUCTIONS.items() if text in call.system_text)
    return {"task": f"{task} {VARIANTS[op]}", "steps": ["Click the Home tab", "Click Bold"]}


VARIANTS = {
    "add_constraint": "and keep it on one page only",
    "deepen": "everywhere in a forty page report with footnotes",
    "concretize": "in the second paragraph titled Quarterly results",
    "compose": "after inserting a two by two grid",
    "breadth": "— or rather add a footer that shows the page number",
}


def test_model_evolve_through_the_server(openai_server: OpenAIServer, tmp_path: Path) -> None:
    openai_server.responder = evolve_answer
    store = store_with(tmp_path, [FONT, TABLE, BOLD])
    summary = evolve(store, llm="openai:test-model", llm_config=config())
    new = evolved(store.records("task_plans", TaskPlan))
    requests = 3 * 5  # three plans, five ops (each has a compose partner)
    assert summary.records_out + summary.rejected_total == requests
    assert summary.rejected["llm_schema"] == 1
    assert {p.plan_source for p in new} == {"model"}
    assert {p.source.uri for p in new} == {"prompt:evolve.v1"}
    assert {p.lineage.op for p in new} == {
        "add_constraint",
        "deepen",
        "concretize",
        "compose",
        "breadth",
    }
    assert all(len(p.lineage.parents) == 2 for p in new if p.lineage.op == "compose")
    assert summary.llm_calls == store.count("llm_calls") > requests  # re-asks of the bad one
    assert openai_server.requests == summary.llm_calls


def test_plan_offline_only_counts(tmp_path: Path) -> None:
    store = store_with(tmp_path, [*NEEDS_PLAN, BOLD])
    summary = plan(store)
    assert summary.records_in == 3 and summary.records_out == 0
    assert "needs a model" in summary.notes["message"]
    assert store.count("task_plans") == 4


def plan_answer(call: ChatCall) -> dict[str, Any]:
    if "freeze top row" in call.user_text:
        return {"feasible": False, "steps": [], "reason": "not in the sample"}
    return {"feasible": True, "steps": ["Click the Home tab", "Click Line and Paragraph Spacing"]}


def test_plan_with_a_model(openai_server: OpenAIServer, tmp_path: Path) -> None:
    openai_server.responder = plan_answer
    store = store_with(tmp_path, [*NEEDS_PLAN, BOLD])
    summary = plan(store, llm="openai:test-model", llm_config=config())
    planned = [p for p in store.records("task_plans", TaskPlan) if p.lineage.op == "plan"]
    assert summary.records_out == len(planned) == 2
    assert summary.rejected == {"not_feasible": 1}
    originals = {p.id: p for p in NEEDS_PLAN}
    for new in planned:
        original = originals[new.lineage.parents[0]]
        assert new.task == original.task and new.plan_source == "model" and not new.needs_plan
        assert (new.source.kind, new.source.uri) == ("model", "prompt:plan.v1")
        assert new.signals.frequency == original.signals.frequency
        assert new.steps == ["Click the Home tab", "Click Line and Paragraph Spacing"]
    again = plan(store, llm="openai:test-model", llm_config=config())
    assert again.skipped_parts == 1 and openai_server.requests == 3


def test_an_endpoint_outage_writes_nothing_and_resumes(
    openai_server: OpenAIServer, tmp_path: Path
) -> None:
    openai_server.responder = lambda call: Reply.server_error(503)
    store = store_with(tmp_path, NEEDS_PLAN)
    with pytest.raises(LLMTransientError, match="all 3 model requests"):
        plan(store, llm="openai:test-model", llm_config=config())
    assert store.count("task_plans") == 3 and store.count("quarantine") == 0
    openai_server.responder = plan_answer
    summary = plan(store, llm="openai:test-model", llm_config=config())
    assert summary.records_out == 2 and summary.rejected == {"not_feasible": 1}
