"""UFO dataflow result records ↔ lamdata task-plans, instances and trajectories.

A UFO record (one task through choose-template → prefill → filter → execute → evaluate) maps to
one task-plan (``original``), one instance (the instantiated request and plan, the filter's
verdict) and, when it was executed, one trajectory (steps with ``Success`` → status, the
evaluator's verdict → ``outcome.judge``). :func:`records_to_ufo` writes such records back, for
imported and for native lamdata records alike. What lamdata's records cannot hold is kept by the
import as a residual patch (:mod:`lamdata.interop.patch`), so import → export is exact.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from lamdata.errors import SchemaError, StoreError
from lamdata.interop import patch
from lamdata.interop.ufo_actions import from_ufo, to_ufo
from lamdata.interop.ufo_schema import check_record
from lamdata.records import (
    Action,
    Env,
    Instance,
    Judge,
    LLMInfo,
    Outcome,
    Source,
    Step,
    TaskPlan,
    Trajectory,
    Verdict,
)
from lamdata.records.interop import ForeignRecord
from lamdata.validation import validate_args

FORMAT = "ufo"
_PLAN = "/instantiation_result/prefill/result/instantiated_plan"
_REQUEST_TYPES = {
    "normal": "None",
    "non_task": "Non-task",
    "external_app": "App Involvement",
    "env_change": "Environment Change",
    "template_miss": "Template Miss",
    "other": "Other",
}
_KINDS = {v: k for k, v in _REQUEST_TYPES.items()}
_LABELS = {"yes": "pass", "no": "fail"}


@dataclass
class UfoRecords:
    """What one UFO record becomes in lamdata."""

    task_plan: TaskPlan
    instance: Instance
    trajectory: Trajectory | None
    foreign: ForeignRecord


def _get(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def source_uri(app: str, unique_id: str) -> str:
    return f"ufo:{app}#{unique_id}"


def ufo_to_records(record: dict[str, Any], *, uri: str = "") -> UfoRecords:
    """Map one UFO record; raises :class:`SchemaError` (with the JSON pointer) if malformed."""
    check_record(record)
    app, uid = record["app"], record["unique_id"]
    original = record["original"]
    task_plan = TaskPlan.create(
        app=app,
        task=original["original_task"],
        steps=[s for s in original["original_steps"] if s.strip()],  # blanks: residual
        source=Source(kind="import", uri=source_uri(app, uid)),
        plan_source="import",
    )
    instance = _instance(record, task_plan)
    trajectory = _trajectory(record, instance) if _executed(record) else None
    rebuilt = records_to_ufo(task_plan, instance, trajectory)
    residual = patch.diff(record, rebuilt)
    foreign = ForeignRecord.create(
        format=FORMAT,
        external_id=uid,
        task_plan_id=task_plan.id,
        instance_id=instance.id,
        trajectory_id=trajectory.id if trajectory else None,
        residual_json=json.dumps(residual, ensure_ascii=False),
        uri=uri,
    )
    return UfoRecords(task_plan, instance, trajectory, foreign)


def _actions(record: dict[str, Any]) -> list[Action]:
    plan = _get(record, "instantiation_result", "prefill", "result", "instantiated_plan") or []
    actions = []
    for i, item in enumerate(plan):
        mapped = from_ufo(item["Function"], item["Args"])
        if mapped is None:
            raise SchemaError(
                f"unknown_function: UFO function {item['Function']!r} has no lamdata action",
                pointer=f"{_PLAN}/{i}/Function",
                hint="map it in lamdata/interop/ufo_actions.py or drop the step",
            )
        function, args = mapped
        bad = validate_args(function, args)
        if bad:
            raise SchemaError(
                f"bad_args: {item['Function']} arguments do not fit {function}: {bad[0][1]}",
                pointer=f"{_PLAN}/{i}/Args",
            )
        actions.append(
            Action(
                step=item["Step"],
                function=function,
                subtask=item.get("Subtask") or "",
                control_id=item.get("ControlLabel"),
                control_text=item.get("ControlText"),
                args_json=json.dumps(args, ensure_ascii=False),
            )
        )
    return actions


def _instance(record: dict[str, Any], task_plan: TaskPlan) -> Instance:
    request = _get(record, "instantiation_result", "prefill", "result", "instantiated_request")
    evaluation = _get(record, "instantiation_result", "instantiation_evaluation", "result") or {}
    prefill_s = _get(record, "time_cost", "prefill")
    verdict = Verdict(
        keep=evaluation.get("judge", True) is not False,
        kind=_KINDS.get(str(evaluation.get("request_type", "None")), "other"),
        reason=str(evaluation.get("thought", "")),
    )
    return Instance.create(
        task_plan_id=task_plan.id,
        app=record["app"],
        template_id=_get(record, "instantiation_result", "choose_template", "result"),
        task=request or task_plan.task,
        actions=_actions(record),
        verdict=verdict,
        llm=LLMInfo(backend=FORMAT, latency_ms=_ms(prefill_s)),
    )


def _ms(seconds: Any) -> float:
    ok = isinstance(seconds, int | float) and not isinstance(seconds, bool) and seconds >= 0
    return round(float(seconds) * 1000, 3) if ok else 0.0


def _executed(record: dict[str, Any]) -> bool:
    execution = record.get("execution_result") or {}
    if execution.get("result") is not None or execution.get("error") is not None:
        return True
    plan = _get(record, "instantiation_result", "prefill", "result", "instantiated_plan") or []
    return any("Success" in item for item in plan)


def _trajectory(record: dict[str, Any], instance: Instance) -> Trajectory:
    plan = _get(record, "instantiation_result", "prefill", "result", "instantiated_plan") or []
    steps = [
        Step(
            idx=i,
            action=action,
            status="ok" if item.get("Success") is True else "error",
            error="" if item.get("Success") is True else "step failed in UFO",
            matched_control=item.get("MatchedControlText"),
        )
        for i, (action, item) in enumerate(zip(instance.actions, plan, strict=True))
    ]
    return Trajectory.create(
        instance_id=instance.id,
        task_plan_id=instance.task_plan_id,
        app=instance.app,
        template_id=instance.template_id,
        task=instance.task,
        env=Env(kind=FORMAT),
        steps=steps,
        outcome=_outcome(record.get("execution_result") or {}),
    )


def _outcome(execution: dict[str, Any]) -> Outcome:
    result, error = execution.get("result"), execution.get("error")
    if result is None:
        reason = f"{error.get('type', '')}: {error.get('message', '')}" if error else ""
        return Outcome(label="fail" if error else "unsure", stop_reason=reason)
    complete = str(result.get("complete", "unsure"))
    judge = Judge(
        complete=complete if complete in ("yes", "no") else "unsure",
        sub_scores_json=json.dumps(result.get("sub_scores", {}), ensure_ascii=False),
        reason=str(result.get("reason", "")),
    )
    label = _LABELS.get(judge.complete, "unsure")
    return Outcome(label=label, success=label == "pass", judge=judge)


# -- lamdata → UFO --------------------------------------------------------------------------


def records_to_ufo(
    task_plan: TaskPlan | None,
    instance: Instance | None,
    trajectory: Trajectory | None,
    unique_id: str | None = None,
) -> dict[str, Any]:
    """A UFO record for an instance and (when executed) its trajectory."""
    base: Trajectory | Instance
    if trajectory is not None:
        base, actions = trajectory, [s.action for s in trajectory.steps]
    elif instance is not None:
        base, actions = instance, instance.actions
    else:
        raise ValueError("records_to_ufo needs an instance or a trajectory")
    return {
        "unique_id": unique_id or _unique_id(task_plan, base.id),
        "app": base.app,
        "original": {
            "original_task": task_plan.task if task_plan else base.task,
            "original_steps": list(task_plan.steps) if task_plan else [],
        },
        "execution_result": _execution(trajectory),
        "instantiation_result": {
            "choose_template": {"result": base.template_id, "error": None},
            "prefill": {
                "result": {
                    "instantiated_request": base.task,
                    "instantiated_plan": _plan(actions, trajectory),
                },
                "error": None,
            },
            "instantiation_evaluation": {"result": _evaluation(instance), "error": None},
        },
        "time_cost": _time_cost(instance, trajectory),
    }


def _unique_id(task_plan: TaskPlan | None, fallback: str) -> str:
    uri = task_plan.source.uri if task_plan else ""
    if task_plan and task_plan.source.kind == "import" and uri.startswith("ufo:") and "#" in uri:
        return uri.split("#", 1)[1]
    return fallback


def _plan(actions: list[Action], trajectory: Trajectory | None) -> list[dict[str, Any]]:
    out = []
    for i, action in enumerate(actions):
        function, args = to_ufo(action.function, action.args)
        item: dict[str, Any] = {
            "Step": action.step,
            "Subtask": action.subtask,
            "ControlLabel": action.control_id,
            "ControlText": action.control_text if action.control_text is not None else "",
            "Function": function,
            "Args": args,
        }
        if trajectory is not None:
            step = trajectory.steps[i]
            item["Success"] = step.status == "ok"
            item["MatchedControlText"] = _matched_text(step, action)
        out.append(item)
    return out


def _matched_text(step: Step, action: Action) -> str | None:
    """UFO names the matched control by its text; lamdata's executor records its id."""
    matched = step.matched_control
    if matched is not None and matched == action.control_id and action.control_text:
        return action.control_text
    return matched


def _evaluation(instance: Instance | None) -> dict[str, Any] | None:
    if instance is None:
        return None
    verdict = instance.verdict
    return {
        "judge": verdict.keep,
        "thought": verdict.reason,
        "request_type": _REQUEST_TYPES.get(verdict.kind, "Other"),
    }


def _execution(trajectory: Trajectory | None) -> dict[str, Any]:
    if trajectory is None:
        return {"result": None, "error": None}
    outcome = trajectory.outcome
    if outcome.judge is not None:
        result = {
            "reason": outcome.judge.reason,
            "sub_scores": json.loads(outcome.judge.sub_scores_json or "{}"),
            "complete": outcome.judge.complete,
        }
    else:
        result = {
            "reason": outcome.stop_reason or f"state checks: {outcome.label}",
            "sub_scores": {
                (c.check.description or c.check.path): "yes" if c.passed else "no"
                for c in outcome.checks
            },
            "complete": {"pass": "yes", "fail": "no"}.get(outcome.label, "unsure"),
        }
    return {"result": result, "error": None}


def _time_cost(instance: Instance | None, trajectory: Trajectory | None) -> dict[str, Any]:
    prefill = instance.llm.latency_ms / 1000 if instance and instance.llm.latency_ms else None
    execute = None
    if trajectory is not None and any(s.latency_ms for s in trajectory.steps):
        execute = round(sum(s.latency_ms for s in trajectory.steps) / 1000, 3)
    return {
        "choose_template": None,
        "prefill": prefill,
        "instantiation_evaluation": None,
        "execute": execute,
        "execute_eval": None,
        "total": None,
    }


def apply_residual(rebuilt: dict[str, Any], residual_json: str) -> dict[str, Any]:
    """The original UFO record: what the records rebuild, patched by the import's residual."""
    try:
        result: dict[str, Any] = patch.apply(rebuilt, json.loads(residual_json or "[]"))
    except ValueError as exc:
        raise StoreError(
            f"an imported UFO record no longer matches its lamdata records: {exc}",
            hint="re-import the UFO files into a fresh store",
        ) from exc
    return result
