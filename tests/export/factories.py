"""A small, hand-built store: three apps' worth of task-plans, instances and trajectories.

Every value is fixed (no clock, no randomness), so exports of it can be compared byte for byte
with the golden files in ``golden/``.
"""

from __future__ import annotations

import json
from pathlib import Path

from lamdata.records import (
    Action,
    Check,
    CheckResult,
    Env,
    Instance,
    Judge,
    Lineage,
    Outcome,
    Provenance,
    Source,
    Step,
    TaskPlan,
    Trajectory,
)
from lamdata.store import Store

PROV = Provenance(
    run_id="run-fixed", config_hash="cfg-fixed", created_at="2026-01-02T03:04:05+00:00"
)


def plans() -> list[TaskPlan]:
    bold = TaskPlan.create(
        app="word",
        task="Make the title bold",
        steps=["Select the title", "Click Bold on the Home tab"],
        source=Source(kind="help_doc", uri="docs/word/format.md", locator="Bold text"),
    )
    sort = TaskPlan.create(
        app="excel",
        task="Sort a column from A to Z",
        steps=["Open the Data tab", "Click Sort A to Z"],
        source=Source(kind="search_log", uri="logs/aol.tsv", locator="line 12"),
    )
    evolved = TaskPlan.create(
        app="word",
        task="Make the title bold and centered",
        steps=["Select the title", "Click Bold", "Click Center"],
        source=Source(kind="evolved", uri="evolve"),
        lineage=Lineage(parents=[bold.id], op="add_constraint", generation=1),
    )
    planless = TaskPlan.create(
        app="word",
        task="Count the words",
        steps=[],
        source=Source(kind="search_log", uri="logs/aol.tsv", locator="line 40"),
        needs_plan=True,
        plan_source="none",
    )
    return [bold, sort, evolved, planless]


def _action(step: int, function: str, label: str | None, cid: str | None, **args: object) -> Action:
    return Action(
        step=step,
        function=function,
        subtask=f"step {step}",
        control_id=cid,
        control_text=label,
        control_type="Button" if cid else None,
        args_json=json.dumps(args),
    )


def instances(tps: list[TaskPlan]) -> list[Instance]:
    bold, sort, evolved, _ = tps
    check = Check(
        path="doc.paragraphs.0.bold", op="eq", value_json="true", description="title is bold"
    )
    select_title = _action(1, "select_text", None, None, text="Q3 Report")
    bold_inst = Instance.create(
        task_plan_id=bold.id,
        app="word",
        template_id="word/report",
        task="Make the title 'Q3 Report' bold",
        actions=[select_title, _action(2, "click", "Bold", "home.bold")],
        checks=[check],
    )
    sort_inst = Instance.create(
        task_plan_id=sort.id,
        app="excel",
        template_id="excel/sales",
        task="Sort column A from A to Z",
        actions=[
            _action(1, "click", "Data", "tab.data"),
            _action(2, "click", "Sort A to Z", "data.sort_az"),
        ],
    )
    evolved_inst = Instance.create(
        task_plan_id=evolved.id,
        app="word",
        template_id="word/report",
        task="Make the title 'Q3 Report' bold and centered",
        actions=[
            select_title,
            _action(2, "type_keys", None, None, keys="^b"),
            _action(3, "finish", None, None, status="done"),
        ],
    )
    return [bold_inst, sort_inst, evolved_inst]


def _traj(inst: Instance, statuses: list[str], outcome: Outcome) -> Trajectory:
    steps = [
        Step(
            idx=i,
            action=action,
            status=status,
            error="" if status == "ok" else f"{status}: {action.control_text} is hidden",
            observation=f"[{inst.app}] after step {i}: {action.control_text or 'document'} visible",
            matched_control=action.control_id,
            state_hash=f"s{i}",
        )
        for i, (action, status) in enumerate(zip(inst.actions, statuses, strict=True))
    ]
    return Trajectory.create(
        instance_id=inst.id,
        task_plan_id=inst.task_plan_id,
        app=inst.app,
        template_id=inst.template_id,
        task=inst.task,
        env=Env(kind="uitree", version="1"),
        steps=steps,
        outcome=outcome,
        initial_observation=f"[{inst.app}] before the first step: Home tab visible",
        provenance=PROV,
    )


def trajectories(ins: list[Instance]) -> list[Trajectory]:
    passed = Outcome(
        label="pass",
        success=True,
        checks=[CheckResult(check=ins[0].checks[0], passed=True, detail="bold=true")],
    )
    failed = Outcome(
        label="fail",
        judge=Judge(
            complete="no", sub_scores_json='{"column sorted": "no"}', reason="Sort never ran."
        ),
    )
    return [
        _traj(ins[0], ["ok", "ok"], passed),
        _traj(ins[1], ["ok", "not_visible"], failed),
        _traj(ins[2], ["ok", "ok", "ok"], Outcome(label="unsure")),
    ]


def build_store(path: Path) -> Store:
    """Write the fixture records into a new store at ``path``."""
    store = Store(path)
    tps = plans()
    ins = instances(tps)
    store.write("task_plans", tps, part="fixture")
    store.write("instances", ins, part="fixture")
    store.write("trajectories", trajectories(ins), part="fixture")
    return store
