"""Typed records: the Python mirror of the JSON Schemas in ``schemas/``."""

from __future__ import annotations

from lamdata.records.base import Record
from lamdata.records.instance import (
    FUNCTIONS,
    VERDICT_KINDS,
    Action,
    Check,
    Instance,
    LLMInfo,
    Verdict,
)
from lamdata.records.llm import LLMCacheEntry, LLMCall
from lamdata.records.meta import Rejection, Run
from lamdata.records.taskplan import Lineage, Signals, Source, TaskPlan
from lamdata.records.trajectory import (
    OUTCOME_LABELS,
    STEP_STATUSES,
    CheckResult,
    Env,
    Judge,
    Outcome,
    Provenance,
    Step,
    Trajectory,
)

__all__ = [
    "FUNCTIONS",
    "OUTCOME_LABELS",
    "STEP_STATUSES",
    "VERDICT_KINDS",
    "Action",
    "Check",
    "CheckResult",
    "Env",
    "Instance",
    "Judge",
    "LLMCacheEntry",
    "LLMCall",
    "LLMInfo",
    "Lineage",
    "Outcome",
    "Provenance",
    "Record",
    "Rejection",
    "Run",
    "Signals",
    "Source",
    "Step",
    "TaskPlan",
    "Trajectory",
    "Verdict",
]
