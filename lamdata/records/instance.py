"""instance and action: a task grounded on one template, as executable actions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lamdata.hashing import record_id
from lamdata.records.base import Record

FUNCTIONS = (
    "click",
    "double_click",
    "set_text",
    "type_keys",
    "select",
    "select_text",
    "scroll",
    "wait",
    "finish",
)
VERDICT_KINDS = ("normal", "non_task", "external_app", "env_change", "template_miss", "other")


@dataclass
class Action(Record):
    """One UI action. A single superset struct for every function (Parquet-friendly);
    the function's own arguments live in ``args_json`` and are validated per function."""

    step: int
    function: str
    subtask: str = ""
    control_id: str | None = None
    control_text: str | None = None
    control_type: str | None = None
    args_json: str = "{}"

    @property
    def args(self) -> dict[str, Any]:
        value = json.loads(self.args_json or "{}")
        return value if isinstance(value, dict) else {}


@dataclass
class Check(Record):
    """A success predicate over the final state: ``path`` ``op`` ``value``."""

    path: str
    op: str
    value_json: str = "null"
    description: str = ""

    @property
    def value(self) -> Any:
        return json.loads(self.value_json)


@dataclass
class Verdict(Record):
    keep: bool = True
    kind: str = "normal"
    reason: str = ""


@dataclass
class LLMInfo(Record):
    backend: str = "offline"
    model: str | None = None
    prompt_id: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: float = 0.0
    attempts: int = 0
    cached: bool = False


@dataclass
class Instance(Record):
    id: str
    task_plan_id: str
    app: str
    template_id: str | None
    task: str
    actions: list[Action] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    verdict: Verdict = field(default_factory=Verdict)
    llm: LLMInfo = field(default_factory=LLMInfo)
    template_hash: str | None = None
    template_score: float | None = None

    @classmethod
    def create(cls, **kwargs: Any) -> Instance:
        """Build an instance whose ID hashes its task-plan, template and grounded content."""
        inst = cls(id="", **kwargs)
        inst.id = record_id(
            "in",
            {
                "task_plan_id": inst.task_plan_id,
                "template": [inst.template_id, inst.template_hash],
                "task": inst.task,
                "actions": [a.to_dict() for a in inst.actions],
                "checks": [c.to_dict() for c in inst.checks],
                "verdict": [inst.verdict.keep, inst.verdict.kind],
                "backend": [inst.llm.backend, inst.llm.model, inst.llm.prompt_id],
            },
        )
        return inst
