"""``score``: offline metrics of a model's predicted actions against gold trajectories.

Predictions are JSON lines of two kinds:

- a **step** (teacher-forced on the gold prefix): ``{"trajectory_id", "step", "function",
  "control_id"?, "control_text"?, "args"?}`` — scored against gold step ``step``: object
  (control id, else normalized control text), operation (function), argument (arguments
  equal) and step success (all three); a trajectory is a task success when every gold step
  is; missing predictions count as wrong. Micro averages over all steps (tasks); macro
  averages the per-app figures.
- a **sequence**: ``{"instance_id", "actions": [...]}`` — replayed online through the uitree
  environment on the instance's template; success is the instance's checks passing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from lamdata.env.uitree import UITreeEnv
from lamdata.errors import InputError
from lamdata.execute.runner import Policy, run_instance
from lamdata.execute.stage import load_apps
from lamdata.hashing import normalize_text
from lamdata.records import Action, Instance, Trajectory
from lamdata.store import Store, recorded_run

METRICS = ("object", "operation", "argument", "step")


def read_predictions(
    path: str | Path,
) -> tuple[dict[tuple[str, int], dict[str, Any]], list[dict[str, Any]]]:
    steps: dict[tuple[str, int], dict[str, Any]] = {}
    sequences: list[dict[str, Any]] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read predictions {path}: {exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{n} is not JSON: {exc.msg}") from exc
        if isinstance(row, dict) and isinstance(row.get("actions"), list):
            sequences.append(row)
        elif isinstance(row, dict) and "trajectory_id" in row and "step" in row:
            steps[(str(row["trajectory_id"]), int(row["step"]))] = row
        else:
            raise InputError(f"{path}:{n}: expected a step or a sequence prediction")
    return steps, sequences


def _args(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else (value or {})


def judge_step(gold: Action, pred: dict[str, Any] | None) -> dict[str, bool]:
    if pred is None:
        return dict.fromkeys(METRICS, False)
    if pred.get("control_id") and gold.control_id:
        obj = pred["control_id"] == gold.control_id
    else:
        obj = normalize_text(str(pred.get("control_text") or "")) == normalize_text(
            str(gold.control_text or "")
        )
    op = pred.get("function") == gold.function
    arg = _args(pred.get("args", pred.get("args_json"))) == gold.args
    return {"object": obj, "operation": op, "argument": arg, "step": obj and op and arg}


def _rates(hits: dict[str, list[bool]]) -> dict[str, float]:
    return {k: round(sum(v) / len(v), 4) if v else 0.0 for k, v in hits.items()}


def teacher_forced(
    trajs: list[Trajectory], preds: dict[tuple[str, int], dict[str, Any]]
) -> dict[str, Any]:
    per_app: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    everything: dict[str, list[bool]] = defaultdict(list)
    for traj in trajs:
        results = [judge_step(s.action, preds.get((traj.id, s.idx))) for s in traj.steps]
        for result in results:
            for key, ok in result.items():
                per_app[traj.app][key].append(ok)
                everything[key].append(ok)
        task = bool(results) and all(r["step"] for r in results)
        per_app[traj.app]["task"].append(task)
        everything["task"].append(task)
    macro_parts = [_rates(h) for h in per_app.values()]
    macro = {
        k: round(sum(p[k] for p in macro_parts) / len(macro_parts), 4) if macro_parts else 0.0
        for k in (*METRICS, "task")
    }
    return {
        "micro": _rates(everything),
        "macro": macro,
        "per_app": {a: _rates(h) for a, h in sorted(per_app.items())},
        "steps": len(everything["step"]),
        "tasks": len(everything["task"]),
    }


def replay(store: Store, sequences: list[dict[str, Any]], apps: str) -> dict[str, Any]:
    """Run each predicted sequence on its instance's template and evaluate the checks."""
    if not sequences:
        return {"sequences": 0}
    loaded = load_apps(apps)
    envs = {a: UITreeEnv(m) for a, m in loaded.models.items()}
    instances = {i.id: i for i in store.records("instances", Instance)}
    passed = unknown = 0
    for row in sequences:
        inst = instances.get(str(row.get("instance_id")))
        if (
            inst is None
            or inst.app not in envs
            or inst.template_id not in envs[inst.app].model.templates
        ):
            unknown += 1
            continue
        actions = [
            Action.from_dict({"step": i, **_action(a)}) for i, a in enumerate(row["actions"])
        ]
        replayed = Instance(**{**inst.__dict__, "actions": actions})
        traj = run_instance(envs[inst.app], replayed, Policy())
        passed += traj.outcome.label == "pass"
    scored = len(sequences) - unknown
    return {
        "sequences": len(sequences),
        "unknown_instances": unknown,
        "replay_success": round(passed / scored, 4) if scored else 0.0,
    }


def _action(raw: dict[str, Any]) -> dict[str, Any]:
    args = raw.get("args_json", json.dumps(raw.get("args", {})))
    return {k: raw.get(k) for k in ("function", "control_id", "control_text", "control_type")} | {
        "args_json": args
    }


def score(
    store: Store, *, predictions: str, apps: str = "samples/apps", include_failed: bool = False
) -> dict[str, Any]:
    """Teacher-forced step metrics and online replay success for a predictions file. Gold
    trajectories are those whose outcome is ``pass`` (all of them with ``include_failed``)."""
    steps, sequences = read_predictions(predictions)
    config = {"predictions": str(Path(predictions).resolve()), "include_failed": include_failed}
    with recorded_run(store, "score", config) as summary:
        trajs = [
            t
            for t in store.records("trajectories", Trajectory)
            if include_failed or t.outcome.label == "pass"
        ]
        result = {
            "teacher_forced": teacher_forced(trajs, steps),
            "online": replay(store, sequences, apps),
        }
        summary.records_in = len(steps) + len(sequences)
        summary.notes["micro_step"] = result["teacher_forced"]["micro"].get("step", 0.0)
    return result
