"""Hypothesis strategies, valid sample records and store snapshots for the foundation tests.

``records_of`` derives a strategy from a record class by the same reflection the store uses
(type hints of the dataclass), so every field of every record kind is exercised, nested structs
and lists included; ``sample_*`` build small records that validate against their JSON Schemas.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path
from typing import Any, TypeVar, Union

from hypothesis import strategies as st

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
    Record,
    Rejection,
    Signals,
    Source,
    Step,
    TaskPlan,
    Trajectory,
)

R = TypeVar("R", bound=Record)

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
TEXT = st.text(max_size=12)


def _strategy(tp: Any) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return st.none() | _strategy(args[0])
    if origin is list:
        (item,) = typing.get_args(tp)
        return st.lists(_strategy(item), max_size=3)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return records_of(tp)
    scalars: dict[Any, st.SearchStrategy[Any]] = {
        str: TEXT,
        int: INT64,
        float: FLOATS,
        bool: st.booleans(),
    }
    return scalars[tp]


def records_of(cls: type[R]) -> st.SearchStrategy[R]:
    """Any instance of ``cls``: every field drawn from its annotated type."""
    hints = typing.get_type_hints(cls)
    fields = {f.name: _strategy(hints[f.name]) for f in dataclasses.fields(cls)}
    return st.builds(cls, **fields)


# -- valid samples (they validate against schemas/) -----------------------------------------


def sample_task_plan(task: str = "Make the title bold", app: str = "word") -> TaskPlan:
    return TaskPlan.create(
        app=app,
        task=task,
        steps=["Select the title", "Click Bold on the Home tab"],
        source=Source(kind="help_doc", uri="docs/format.html", locator="Format > Bold"),
        lineage=Lineage(parents=[], op=None, generation=0),
        signals=Signals(frequency=3, top_clicks=["bold"], match_score=0.5),
    )


def sample_actions() -> list[Action]:
    return [
        Action(step=0, function="select_text", control_id="doc", args_json='{"text": "Title"}'),
        Action(step=1, function="click", control_id="bold", control_text="Bold"),
    ]


def sample_instance(plan: TaskPlan | None = None) -> Instance:
    plan = plan or sample_task_plan()
    return Instance.create(
        task_plan_id=plan.id,
        app=plan.app or "word",
        template_id="tpl_report",
        template_hash="abc123",
        task="Make the title 'Quarterly report' bold",
        actions=sample_actions(),
        checks=[Check(path="doc.paragraphs[0].bold", op="eq", value_json="true")],
    )


def sample_trajectory(instance: Instance | None = None, label: str = "pass") -> Trajectory:
    inst = instance or sample_instance()
    steps = [
        Step(idx=i, action=a, status="ok", matched_control=a.control_id, latency_ms=1.5)
        for i, a in enumerate(inst.actions)
    ]
    outcome = Outcome(
        label=label,
        success=label == "pass",
        checks=[CheckResult(check=inst.checks[0], passed=label == "pass")],
        judge=Judge(complete="yes", model="mock", agrees=True),
        stop_reason="finished",
    )
    return Trajectory.create(
        instance_id=inst.id,
        task_plan_id=inst.task_plan_id,
        app=inst.app,
        template_id=inst.template_id,
        task=inst.task,
        env=Env(kind="uitree", version="1"),
        steps=steps,
        outcome=outcome,
        provenance=Provenance(run_id="r1", config_hash="c1", created_at="2026-01-01T00:00:00"),
    )


def sample_rejection(reason: str = "bad_encoding: page.html is not UTF-8") -> Rejection:
    return Rejection.create(stage="ingest_docs", reason=reason, uri="page.html", pointer="/task")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path → bytes): compare before/after a failure."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }
