"""The LLM judge: a UFO-compatible verdict (``complete`` yes/no/unsure, ``sub_scores``,
``reason``) from the instantiated task, the steps with their statuses and the final
observation, through the LLM layer (``lamdata.llm``: cache, retries, schema, call log)."""

from __future__ import annotations

import json

from lamdata.llm import LLMRequest, LLMResult, build_messages
from lamdata.records import Trajectory
from lamdata.records.evaluation import Judgment

PROMPT_ID = "judge.v1"
SCHEMA = "llm_judge"


def describe_steps(traj: Trajectory) -> str:
    """One line per step: what was done and what the application answered."""
    lines = []
    for step in traj.steps:
        action = step.action
        target = action.control_text or action.control_id or ""
        args = "" if action.args_json in ("", "{}") else f" {action.args_json}"
        line = f"{step.idx + 1}. {action.function} {target!r}{args} -> {step.status}"
        lines.append(line + (f" ({step.error})" if step.error else ""))
    return "\n".join(lines) or "(no actions)"


def judge_request(traj: Trajectory) -> LLMRequest:
    final = traj.steps[-1].observation if traj.steps else ""
    messages = build_messages(
        PROMPT_ID,
        SCHEMA,
        app=traj.app,
        task=traj.task,
        steps=describe_steps(traj),
        observation=final[:4000],
    )
    return LLMRequest(key=traj.id, prompt_id=PROMPT_ID, schema=SCHEMA, messages=messages)


def llm_judgment(traj: Trajectory, result: LLMResult, checks_label: str | None) -> Judgment:
    """A judgments row from a model answer; agreement is with the checks' label."""
    if not result.ok:
        complete, sub, reason = "unsure", {}, f"{result.error}"[:500]
    else:
        complete = str(result.value["complete"])
        sub, reason = result.value["sub_scores"], str(result.value["reason"])
    label = {"yes": "pass", "no": "fail"}.get(complete, "unsure")
    agrees = None if complete == "unsure" or checks_label is None else label == checks_label
    return Judgment(
        trajectory_id=traj.id,
        instance_id=traj.instance_id,
        app=traj.app,
        judge="llm",
        label=label,
        complete=complete,
        sub_scores_json=json.dumps(sub, sort_keys=True),
        reason=reason,
        agrees_with_outcome=agrees,
    )
