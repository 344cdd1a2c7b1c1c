"""The contract every environment keeps: the validating executor talks to this protocol only.

``uitree`` (:class:`lamdata.env.uitree.UITreeEnv`) is the embedded, deterministic default; real
backends (a browser through Playwright, ...) implement the same five methods.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from lamdata.records import STEP_STATUSES, Action, Check

#: Step statuses an environment reports, in the order the executor's checks can produce them
#: (the record's list less ``error``, which only the executor's own failures carry).
STATUSES = tuple(s for s in STEP_STATUSES if s != "error")


@dataclass(frozen=True)
class StepResult:
    """What one action did: its status, the error text, the matched control and its score,
    the compact observation and the hash of the state after it."""

    status: str
    error: str = ""
    matched_control: str | None = None
    match_score: float | None = None
    observation: str = ""
    state_hash: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@runtime_checkable
class Environment(Protocol):
    """An application the executor can drive."""

    kind: str
    version: str

    def reset(self, template: str) -> str:
        """Start from template ``template``; returns the first observation."""
        ...

    def step(self, action: Action) -> tuple[str, StepResult]:
        """Validate and run one action; returns (observation, result)."""
        ...

    def observe(self) -> str:
        """The compact observation of the current state (the visible controls)."""
        ...

    def state(self) -> dict[str, Any]:
        """The current state as JSON-ready data (``ui`` and ``doc``)."""
        ...

    def check(self, check: Check) -> tuple[bool, str]:
        """Whether a success predicate holds now, and a one-line detail."""
        ...
