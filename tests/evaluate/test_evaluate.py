"""Checks re-evaluated from final states, and offline model metrics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lamdata.cli.main import app
from lamdata.env.paths import compare, get_path
from lamdata.errors import ConfigError
from lamdata.evaluate import evaluate, score
from lamdata.execute import execute
from lamdata.records import Trajectory
from lamdata.records.evaluation import Judgment
from lamdata.store import Store
from lamdata.testing import OpenAIServer
from lamdata.testing.openai_server import ChatCall
from tests.env.helpers import APPS, CORRECT, instance


def executed_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "st")
    store.write("instances", [instance(*CORRECT[n], task=n) for n in sorted(CORRECT)], part="in-a")
    execute(store, apps=str(APPS))
    return store


def test_paths_and_ops() -> None:
    state = {"doc": {"paragraphs": [{"text": "a", "bold": True}, {"text": "b", "bold": False}]}}
    assert get_path(state, "doc.paragraphs[-1].text") == "b"
    assert get_path(state, "doc.paragraphs[*].bold") == [True, False]
    assert compare("contains", get_path(state, "doc.paragraphs[*].text"), "b")
    assert not compare("eq", get_path(state, "doc.tables[0].rows"), 3)
    assert compare("not_exists", get_path(state, "doc.tables"), None)
    assert compare("len_eq", get_path(state, "doc.paragraphs"), 2)
    assert compare("eq", "1,500", 1500) and not compare("gt", "abc", 3)


def test_evaluate_writes_judgments_that_agree(tmp_path: Path) -> None:
    store = executed_store(tmp_path)
    summary = evaluate(store)
    rows = store.records("judgments", Judgment)
    assert len(rows) == 4 and summary.notes["pass"] == 4
    assert all(r.agrees_with_outcome and r.complete == "yes" for r in rows)
    evaluate(store)
    assert store.count("judgments") == 4


def test_evaluate_detects_a_tampered_final_state(tmp_path: Path) -> None:
    store = executed_store(tmp_path)
    trajs = store.records("trajectories", Trajectory)
    for traj in trajs:
        state = json.loads(traj.final_state_json)
        state["doc"] = {}
        traj.final_state_json = json.dumps(state)
    other = Store(tmp_path / "other")
    other.write("trajectories", trajs, part="t")
    summary = evaluate(other)
    assert summary.notes["fail"] == 4 and summary.notes["disagree_with_execution"] == 4


def test_score_teacher_forced_and_replay(tmp_path: Path) -> None:
    store = executed_store(tmp_path)
    trajs = sorted(store.records("trajectories", Trajectory), key=lambda t: t.id)
    lines = []
    for k, traj in enumerate(trajs):
        for step in traj.steps:
            a = step.action
            pred = {
                "trajectory_id": traj.id,
                "step": step.idx,
                "function": a.function,
                "control_id": a.control_id,
                "control_text": a.control_text,
                "args": a.args,
            }
            if k == 0 and step.idx == 0:
                pred["function"] = "double_click"
            lines.append(pred)
    inst_ids = [t.instance_id for t in trajs]
    good = trajs[1]
    lines.append(
        {"instance_id": good.instance_id, "actions": [s.action.to_dict() for s in good.steps]}
    )
    lines.append(
        {"instance_id": good.instance_id, "actions": [s.action.to_dict() for s in good.steps[1:]]}
    )
    lines.append({"instance_id": "in_missing", "actions": []})
    path = tmp_path / "preds.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines))
    result = score(store, predictions=str(path), apps=str(APPS))
    forced = result["teacher_forced"]
    total = sum(len(t.steps) for t in trajs)
    assert forced["steps"] == total and forced["tasks"] == 4
    assert forced["micro"]["operation"] == round((total - 1) / total, 4)
    assert forced["micro"]["object"] == 1.0 and forced["micro"]["task"] == 0.75
    assert result["online"] == {"sequences": 3, "unknown_instances": 1, "replay_success": 0.5}
    assert len(inst_ids) == 4


def test_cli_evaluate_and_score(tmp_path: Path) -> None:
    store = executed_store(tmp_path)
    ok = CliRunner().invoke(app, ["evaluate", "-s", str(store.path), "--json"])
    assert ok.exit_code == 0 and json.loads(ok.output)["records_out"] == 4
    preds = tmp_path / "p.jsonl"
    preds.write_text(json.dumps({"trajectory_id": "tr_x", "step": 0, "function": "click"}) + "\n")
    scored = CliRunner().invoke(app, ["score", "-s", str(store.path), "-p", str(preds), "--json"])
    assert (
        scored.exit_code == 0
        and json.loads(scored.output)["teacher_forced"]["micro"]["step"] == 0.0
    )
    preds.write_text("not json\n")
    bad = CliRunner().invoke(app, ["score", "-s", str(store.path), "-p", str(preds)])
    assert bad.exit_code == 1


def test_llm_judge_needs_a_model(tmp_path: Path) -> None:
    store = executed_store(tmp_path)
    with pytest.raises(ConfigError, match="needs a model"):
        evaluate(store, judge="both")


def test_llm_judge_both_records_agreement(tmp_path: Path, openai_server: OpenAIServer) -> None:
    store = executed_store(tmp_path)

    def answer(call: ChatCall) -> dict[str, object]:
        asked = next(m["content"] for m in call.messages if m["role"] == "user")
        if "Section Header" in asked:
            return {"complete": "no", "sub_scores": {"layout": "no"}, "reason": "wrong layout"}
        if "Task: table" in asked:
            return {"complete": "maybe", "sub_scores": {}, "reason": "schema-invalid"}
        return {"complete": "yes", "sub_scores": {"goal": "yes"}, "reason": "done"}

    openai_server.responder = answer
    summary = evaluate(store, judge="both", llm="openai:judge-model")
    rows = store.records("judgments", Judgment)
    llm_rows = {r.instance_id: r for r in rows if r.judge == "llm"}
    assert len(rows) == 8 and len(llm_rows) == 4
    by_task = {t.instance_id: t.task for t in store.records("trajectories", Trajectory)}
    verdicts = {by_task[i]: (r.complete, r.agrees_with_outcome) for i, r in llm_rows.items()}
    assert verdicts["slide"] == ("no", False)
    assert verdicts["table"][0] == "unsure" and verdicts["table"][1] is None
    assert verdicts["budget"] == ("yes", True) and verdicts["bold_first"] == ("yes", True)
    assert summary.notes["llm_agreement"] == round(2 / 3, 4)
    assert summary.llm_calls >= 4
    assert (
        "Actions:" in openai_server.calls[0].user_text
        and "-> ok" in openai_server.calls[0].user_text
    )


def test_score_uses_passing_gold_unless_asked(tmp_path: Path) -> None:
    app, template, actions, checks = CORRECT["bold_first"]
    store = executed_store(tmp_path)
    store.write(
        "instances", [instance(app, template, actions[1:], checks, task="broken")], part="in-b"
    )
    execute(store, apps=str(APPS))
    preds = tmp_path / "none.jsonl"
    preds.write_text("\n")
    assert score(store, predictions=str(preds))["teacher_forced"]["tasks"] == 4
    everything = score(store, predictions=str(preds), include_failed=True)
    assert everything["teacher_forced"]["tasks"] == 5
