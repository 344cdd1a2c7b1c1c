"""The LLM backend against the local OpenAI-compatible server: answers, faults, cache, key."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lamdata.cli.main import app as cli
from lamdata.execute import execute
from lamdata.instantiate import instantiate
from lamdata.records import Instance, Rejection, TaskPlan, Trajectory
from lamdata.store import Store
from lamdata.testing import ChatCall, OpenAIServer, Reply, fail_first, unknown_control_action
from tests.conftest import FAKE_OPENAI_KEY

from .conftest import SAMPLE_APPS, plan

FAST = {"timeout": 1.0, "max_attempts": 3, "backoff": 0.01, "concurrency": 4}


def landscape(call: ChatCall) -> dict[str, Any]:
    """A good answer for any word task: landscape pages (the tab click is left out on purpose:
    the replay inserts the navigation)."""
    return {
        "task": "Turn the pages of this document to landscape",
        "actions": [
            {
                "step": 0,
                "function": "click",
                "control_id": "btn_orientation",
                "control_text": "Orientation",
                "control_type": "Button",
                "args_json": "{}",
            },
            {
                "step": 1,
                "function": "click",
                "control_id": "mi_orientation_landscape",
                "control_text": "Landscape",
                "control_type": "MenuItem",
                "args_json": "{}",
            },
        ],
        "checks": [{"path": "doc.page.orientation", "op": "eq", "value_json": '"Landscape"'}],
        "verdict": {"kind": "normal", "reason": "the Layout tab has Orientation"},
    }


def seeded(tmp_path: Path) -> tuple[Store, list[TaskPlan]]:
    store = Store(tmp_path / "st")
    asked = [
        plan(
            "word",
            f"Change the page orientation {n}",
            ["On the **Layout** tab, click **Orientation**."],
            [["Layout", "Orientation"]],
        )
        for n in ("now", "again", "once more")
    ]
    unasked = [
        plan("word", "Install the spelling add-in", ["Download the add-in and install it."]),
        plan("visio", "Draw a flowchart", ["Click **Shapes**."], [["Shapes"]]),
    ]
    store.write("task_plans", [*asked, *unasked], part="ingest-a")
    return store, asked


def outcome(store: Store) -> tuple[list[Instance], list[Rejection]]:
    rejected = [r for r in store.records("quarantine", Rejection) if r.stage == "instantiate"]
    return store.records("instances", Instance), rejected


def test_good_answers_become_runnable_instances(
    tmp_path: Path, openai_server: OpenAIServer
) -> None:
    openai_server.responder = landscape
    store, asked = seeded(tmp_path)
    summary = instantiate(store, apps=str(SAMPLE_APPS), llm="openai:test-model", **FAST)
    assert openai_server.requests == len(asked)  # no call for the rule and template misses
    instances, rejected = outcome(store)
    assert not rejected and len(instances) == 5
    kept = [i for i in instances if i.verdict.keep]
    assert len(kept) == 3
    for inst in kept:
        assert inst.llm.backend == "openai" and inst.llm.model == "test-model"
        assert inst.llm.prompt_id == "instantiate.v2" and inst.llm.tokens_in > 0
        assert inst.llm.attempts >= 1 and not inst.llm.cached
        assert next(a.control_id for a in inst.actions) == "tab_layout"
    assert summary.llm_calls == 3 and summary.tokens_in > 0
    execute(store, apps=str(SAMPLE_APPS))
    assert {t.outcome.label for t in store.records("trajectories", Trajectory)} == {"pass"}


@pytest.mark.parametrize(
    ("fault", "ends_in", "code"),
    [
        (fail_first(1, Reply.rate_limited(0.01), landscape), "instances", None),
        (fail_first(2, Reply.server_error(500), landscape), "instances", None),
        (fail_first(1, Reply.hang(3.0), landscape), "instances", None),
        (lambda call: Reply.server_error(500), "quarantine", "llm_gave_up"),
        (lambda call: Reply.not_json(), "quarantine", "llm_json"),
        (lambda call: {"task": "x", "actions": "none"}, "quarantine", "llm_schema"),
        (
            lambda call: {**landscape(call), "actions": [unknown_control_action()]},
            "quarantine",
            "unknown_control",
        ),
        (lambda call: Reply.bad_request(400), "quarantine", "llm_terminal"),
        (fail_first(1, Reply.malformed(), landscape), "instances", None),
    ],
    ids=[
        "429",
        "500-then-ok",
        "timeout-then-ok",
        "500-always",
        "not-json",
        "schema-invalid",
        "unknown-control",
        "400",
        "malformed-then-ok",
    ],
)
def test_faults_end_each_plan_in_instances_or_quarantine(
    tmp_path: Path, openai_server: OpenAIServer, fault: Any, ends_in: str, code: str | None
) -> None:
    openai_server.responder = fault
    store, asked = seeded(tmp_path)
    summary = instantiate(store, apps=str(SAMPLE_APPS), llm="openai:test-model", **FAST)
    instances, rejected = outcome(store)
    assert len(instances) + len(rejected) == 5 == summary.records_in
    assert summary.rejected_total == len(rejected)
    from_model = [i for i in instances if i.llm.backend == "openai"]
    if ends_in == "instances":
        assert len(from_model) == len(asked) and not rejected
        assert all(i.verdict.keep for i in from_model)
    else:
        assert len(rejected) == len(asked) and not from_model
        assert {r.reason.split(":")[0] for r in rejected} == {code}
        assert all(r.record_json and r.uri for r in rejected)
    if code == "unknown_control":
        assert "ctl_does_not_exist" in rejected[0].reason


def test_second_run_replays_the_cache(tmp_path: Path, openai_server: OpenAIServer) -> None:
    openai_server.responder = landscape
    store, _asked = seeded(tmp_path)
    instantiate(store, apps=str(SAMPLE_APPS), llm="openai:test-model", **FAST)
    first = store.records("instances", Instance)
    shutil.rmtree(store.table_dir("instances"))
    openai_server.reset_counts()
    instantiate(store, apps=str(SAMPLE_APPS), llm="openai:test-model", **FAST)
    assert openai_server.requests == 0
    again = store.records("instances", Instance)
    assert sorted(i.id for i in again) == sorted(i.id for i in first)
    assert all(i.llm.cached for i in again if i.llm.backend == "openai")


def test_the_key_appears_nowhere(tmp_path: Path, openai_server: OpenAIServer) -> None:
    openai_server.responder = fail_first(1, Reply.bad_request(401), landscape)
    store, _ = seeded(tmp_path)
    result = CliRunner().invoke(
        cli,
        [
            "instantiate",
            "-s",
            str(store.path),
            "--apps",
            str(SAMPLE_APPS),
            "--llm",
            "openai:test-model",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert FAKE_OPENAI_KEY not in result.output
    for path in store.path.rglob("*"):
        if path.is_file():
            assert FAKE_OPENAI_KEY.encode() not in path.read_bytes(), path


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ({"actions": []}, "no_action"),
        (
            {
                "actions": [
                    {"step": 0, "function": "click", "control_id": "btn_bold", "args_json": "{}"}
                ]
            },
            "unrunnable",
        ),
    ],
    ids=["no-actions", "bold-without-selection"],
)
def test_answers_that_cannot_run_are_rejected_with_a_reason(
    tmp_path: Path, openai_server: OpenAIServer, answer: dict[str, Any], reason: str
) -> None:
    openai_server.responder = lambda call: {**landscape(call), **answer}
    store, asked = seeded(tmp_path)
    instantiate(store, apps=str(SAMPLE_APPS), llm="openai:test-model", **FAST)
    from_model = [i for i in store.records("instances", Instance) if i.llm.backend == "openai"]
    assert len(from_model) == len(asked)
    assert {(i.verdict.kind, i.verdict.keep) for i in from_model} == {("other", False)}
    assert all(i.verdict.reason.startswith(reason) for i in from_model)


def test_a_model_verdict_is_kept_with_its_kind(tmp_path: Path, openai_server: OpenAIServer) -> None:
    openai_server.responder = lambda call: {
        "task": "Send it",
        "actions": [],
        "verdict": {"kind": "external_app", "reason": "needs a mail client"},
    }
    store, _asked = seeded(tmp_path)
    instantiate(store, apps=str(SAMPLE_APPS), llm="openai:test-model", **FAST)
    from_model = [i for i in store.records("instances", Instance) if i.llm.backend == "openai"]
    assert {(i.verdict.kind, i.verdict.keep) for i in from_model} == {("external_app", False)}
    assert all("mail client" in i.verdict.reason for i in from_model)


def test_llm_progress_counts_every_task_plan(tmp_path: Path, openai_server: OpenAIServer) -> None:
    openai_server.responder = landscape
    store, _ = seeded(tmp_path)
    ticks: list[int] = []
    instantiate(
        store,
        apps=str(SAMPLE_APPS),
        llm="openai:test-model",
        progress=lambda n=1, total=None: ticks.append(n),
        **FAST,
    )
    assert sum(ticks) == 5


def test_the_model_may_pick_a_listed_alternative_template(
    tmp_path: Path, openai_server: OpenAIServer
) -> None:
    def answer(call: ChatCall) -> dict[str, Any]:
        offered = call.system_text.split("Other templates of this application")[1]
        alternative = offered.split("\n")[1].split(":")[0]
        return {**landscape(call), "template_id": alternative}

    openai_server.responder = answer
    store, asked = seeded(tmp_path)
    instantiate(store, apps=str(SAMPLE_APPS), llm="openai:test-model", **FAST)
    from_model = [i for i in store.records("instances", Instance) if i.llm.backend == "openai"]
    assert len(from_model) == len(asked) and all(i.verdict.keep for i in from_model)
    offline = {p.id: instantiate_offline_choice(p) for p in asked}
    assert all(i.template_id != offline[i.task_plan_id] for i in from_model)


def instantiate_offline_choice(task_plan: TaskPlan) -> str | None:
    from lamdata.env import load_app_models
    from lamdata.instantiate import AppContext

    ctx = AppContext.build(load_app_models(SAMPLE_APPS)["word"])
    card = ctx.choose(task_plan.task, 0.5).template
    return card.id if card else None


def test_a_template_that_was_not_offered_is_quarantined(
    tmp_path: Path, openai_server: OpenAIServer
) -> None:
    openai_server.responder = lambda call: {**landscape(call), "template_id": "word-imaginary"}
    store, asked = seeded(tmp_path)
    instantiate(store, apps=str(SAMPLE_APPS), llm="openai:test-model", **FAST)
    _, rejected = outcome(store)
    assert len(rejected) == len(asked)
    assert all(r.reason.startswith("unknown_template:") for r in rejected)
