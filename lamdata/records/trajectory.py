"""trajectory and step: an executed instance, every step with its status, and its outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lamdata.hashing import record_id
from lamdata.records.base import Record
from lamdata.records.instance import Action, Check

STEP_STATUSES = (
    "ok",
    "unknown_control",
    "not_visible",
    "disabled",
    "unsupported_action",
    "bad_args",
    "no_effect",
    "timeout",
    "error",
)
OUTCOME_LABELS = ("pass", "fail", "unsure")


@dataclass
class Step(Record):
    idx: int
    action: Action
    status: str
    error: str = ""
    observation: str = ""
    matched_control: str | None = None
    match_score: float | None = None
    state_hash: str = ""
    latency_ms: float = 0.0


@dataclass
class CheckResult(Record):
    check: Check
    passed: bool
    detail: str = ""


@dataclass
class Judge(Record):
    """A UFO-compatible verdict from an LLM judge."""

    complete: str = "unsure"
    sub_scores_json: str = "{}"
    reason: str = ""
    model: str | None = None
    agrees: bool | None = None


@dataclass
class Outcome(Record):
    label: str = "unsure"
    success: bool = False
    checks: list[CheckResult] = field(default_factory=list)
    judge: Judge | None = None
    stop_reason: str = ""


@dataclass
class Env(Record):
    kind: str = "uitree"
    version: str = ""


@dataclass
class Provenance(Record):
    run_id: str = ""
    config_hash: str = ""
    created_at: str = ""


@dataclass
class Trajectory(Record):
    id: str
    instance_id: str
    task_plan_id: str
    app: str
    template_id: str | None
    task: str
    env: Env = field(default_factory=Env)
    steps: list[Step] = field(default_factory=list)
    outcome: Outcome = field(default_factory=Outcome)
    final_state_json: str = "{}"
    #: What the environment showed before the first action (the first turn's observation).
    initial_observation: str = ""
    provenance: Provenance = field(default_factory=Provenance)

    @classmethod
    def create(cls, **kwargs: Any) -> Trajectory:
        """Build a trajectory whose ID hashes what was executed and what happened
        (provenance is excluded, so re-running the same execution yields the same ID)."""
        traj = cls(id="", **kwargs)
        traj.id = record_id(
            "tr",
            {
                "instance_id": traj.instance_id,
                "env": traj.env.to_dict(),
                "steps": [
                    [s.action.to_dict(), s.status, s.matched_control, s.state_hash]
                    for s in traj.steps
                ],
            },
        )
        return traj
