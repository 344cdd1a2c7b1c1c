"""Every server fault in one stage run: each record ends planned or quarantined, counts add up."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evolve_samples import make_plan, store_with

from lamdata.evolve import plan
from lamdata.llm import LLMConfig
from lamdata.records import Rejection, TaskPlan
from lamdata.testing import ChatCall, OpenAIServer, Reply

GOOD = {"feasible": True, "steps": ["Click the Review tab", "Click Word Count"]}

#: task text → (what the server does, how the record must end: "ok" or a reason code)
SCRIPT: dict[str, tuple[str, str]] = {
    "count words": ("ok", "ok"),
    "count the words": ("429 once", "ok"),
    "number of words": ("500 once", "ok"),
    "how many words": ("hang once", "ok"),
    "word total": ("malformed once", "ok"),
    "words in document": ("prose once", "ok"),
    "word counter": ("500 always", "llm_gave_up"),
    "word tally": ("400", "llm_terminal"),
    "word statistics": ("prose always", "llm_json"),
    "word numbers": ("schema-invalid always", "llm_schema"),
    "words per page": ("infeasible", "not_feasible"),
}

FAULTS = {
    "429": Reply.rate_limited(0.01),
    "500": Reply.server_error(),
    "hang": Reply.hang(10),
    "malformed": Reply.malformed(),
    "prose": Reply.not_json(),
    "schema-invalid": Reply.json({"feasible": "yes", "steps": "Click"}),
}


def respond(call: ChatCall) -> Reply | dict[str, Any]:
    task = call.messages[1]["content"].splitlines()[0].removeprefix("Task: ")
    behaviour = SCRIPT[task][0]
    kind, _, when = behaviour.partition(" ")
    reasked = len(call.messages) > 2
    if behaviour == "ok" or (when == "once" and (call.seen > 1 or reasked)):
        return GOOD
    if kind == "400":
        return Reply.bad_request()
    if kind == "infeasible":
        return {"feasible": False, "steps": [], "reason": "needs an add-in"}
    return FAULTS[kind]


def test_every_fault_ends_in_a_table_or_in_quarantine(
    openai_server: OpenAIServer, tmp_path: Path
) -> None:
    openai_server.responder = respond
    plans = [make_plan("word", task, [], uri="logs/q.tsv", needs_plan=True) for task in SCRIPT]
    store = store_with(tmp_path, plans)
    config = LLMConfig(model="m", concurrency=6, timeout=0.5, max_attempts=3, backoff=0.01)
    summary = plan(store, llm="openai:m", llm_config=config)

    expected_ok = sum(1 for _, end in SCRIPT.values() if end == "ok")
    assert summary.records_in == len(SCRIPT)
    assert summary.records_out == expected_ok
    assert summary.records_out + summary.rejected_total == summary.records_in
    expected_reasons = {end for _, end in SCRIPT.values() if end != "ok"}
    assert set(summary.rejected) == expected_reasons
    assert all(count == 1 for count in summary.rejected.values())

    planned = [p for p in store.records("task_plans", TaskPlan) if p.lineage.op == "plan"]
    assert sorted(p.task for p in planned) == sorted(t for t, (_, e) in SCRIPT.items() if e == "ok")
    quarantined = store.records("quarantine", Rejection)
    assert len(quarantined) == summary.rejected_total
    assert all(r.reason and r.record_json for r in quarantined)
    schema_bad = next(r for r in quarantined if r.reason.startswith("llm_schema"))
    assert json.loads(json.loads(schema_bad.record_json)["answer"])["feasible"] == "yes"
