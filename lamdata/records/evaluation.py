"""Rows of the ``judgments`` table: one verdict per trajectory and judge."""

from __future__ import annotations

from dataclasses import dataclass

from lamdata.records.base import Record


@dataclass
class Judgment(Record):
    """A re-evaluation of a trajectory by the state checks (``judge="checks"``; then
    ``agrees_with_outcome`` compares with the label recorded at execution) or by an LLM judge
    (``judge="llm"``; then it compares with the checks' label when both ran, else None)."""

    trajectory_id: str
    instance_id: str
    app: str
    judge: str
    label: str
    checks_passed: int = 0
    checks_total: int = 0
    complete: str = "unsure"
    sub_scores_json: str = "{}"
    reason: str = ""
    agrees_with_outcome: bool | None = None
    run_id: str = ""
