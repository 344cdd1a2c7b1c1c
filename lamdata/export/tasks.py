"""The paper's training phases as export presets: records → flat example rows.

- ``taskplan-sft`` (phase 1): a task-plan → its task and its ordered plan.
- ``action-sft`` (phases 2–3): one row per trajectory step → the task, the current observation
  and the history of earlier actions, and the next action; failed steps carry ``weight`` 0.
- ``reward`` (phase 4): one row per trajectory with its pass/fail label, failures included;
  trajectories labelled ``unsure`` are left out (and counted).

Each preset has a fixed Arrow schema, so ``hf``/``parquet`` exports of it are typed the same way
whatever the data, and the chat formats render the same rows as conversations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa

from lamdata.export.actions import call_arguments, render_call
from lamdata.export.base import ExportContext, dumps
from lamdata.export.constants import TASK_TABLES
from lamdata.records import TaskPlan, Trajectory

_S, _I = pa.string(), pa.int64()
SCHEMAS: dict[str, pa.Schema] = {
    "taskplan-sft": pa.schema(
        [("id", _S), ("app", _S), ("task", _S), ("plan", pa.list_(_S)), ("source_kind", _S),
         ("lineage_op", _S), ("generation", _I)]
    ),
    "action-sft": pa.schema(
        [("id", _S), ("trajectory_id", _S), ("app", _S), ("task", _S), ("step", _I),
         ("observation", _S), ("history", pa.list_(_S)), ("function", _S), ("control_id", _S),
         ("control_text", _S), ("arguments_json", _S), ("status", _S), ("weight", _I)]
    ),
    "reward": pa.schema(
        [("id", _S), ("app", _S), ("task", _S), ("actions", pa.list_(_S)),
         ("statuses", pa.list_(_S)), ("final_observation", _S), ("label", _S),
         ("success", pa.bool_()), ("reward", pa.float64())]
    ),
}  # fmt: skip


def plan_rows(ctx: ExportContext, plan: TaskPlan) -> list[dict[str, Any]]:
    if not plan.steps:
        ctx.exclude("no_plan")
        return []
    row = {
        "id": plan.id,
        "app": plan.app or "",
        "task": plan.task,
        "plan": list(plan.steps),
        "source_kind": plan.source.kind,
        "lineage_op": plan.lineage.op or "",
        "generation": plan.lineage.generation,
    }
    return [row]


def action_rows(ctx: ExportContext, traj: Trajectory) -> list[dict[str, Any]]:
    rows = []
    for i, step in enumerate(traj.steps):
        if ctx.options.drop_failed and step.status != "ok":
            ctx.exclude("failed_step")
            continue
        action = step.action
        rows.append(
            {
                "id": f"{traj.id}:{step.idx:04d}",
                "trajectory_id": traj.id,
                "app": traj.app,
                "task": traj.task,
                "step": step.idx,
                "observation": traj.steps[i - 1].observation if i else traj.initial_observation,
                "history": [f"{render_call(s.action)} -> {s.status}" for s in traj.steps[:i]],
                "function": action.function,
                "control_id": action.control_id,
                "control_text": action.control_text,
                "arguments_json": dumps(call_arguments(action)),
                "status": step.status,
                "weight": 1 if step.status == "ok" else 0,
            }
        )
    return rows


def reward_rows(ctx: ExportContext, traj: Trajectory) -> list[dict[str, Any]]:
    label = traj.outcome.label
    if label not in ("pass", "fail"):
        ctx.exclude(f"{label}_label")
        return []
    row = {
        "id": traj.id,
        "app": traj.app,
        "task": traj.task,
        "actions": [render_call(s.action) for s in traj.steps],
        "statuses": [s.status for s in traj.steps],
        "final_observation": traj.steps[-1].observation if traj.steps else "",
        "label": label,
        "success": label == "pass",
        "reward": 1.0 if label == "pass" else 0.0,
    }
    return [row]


_BUILDERS: dict[str, Callable[[ExportContext, Any], list[dict[str, Any]]]] = {
    "taskplan-sft": plan_rows,
    "action-sft": action_rows,
    "reward": reward_rows,
}


def task_rows(ctx: ExportContext, task: str, ids: list[str]) -> list[dict[str, Any]]:
    """The preset's rows for the selected records ``ids`` (in id order)."""
    records: dict[str, Any] = (
        ctx.task_plans if TASK_TABLES[task] == "task_plans" else ctx.trajectories
    )
    rows: list[dict[str, Any]] = []
    for rid in ids:
        rows.extend(_BUILDERS[task](ctx, records[rid]))
    return rows
