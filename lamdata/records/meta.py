"""Records about the work itself: quarantined inputs and command runs."""

from __future__ import annotations

from dataclasses import dataclass

from lamdata.hashing import record_id
from lamdata.records.base import Record


@dataclass
class Rejection(Record):
    """A record or input that a stage refused, kept with the reason instead of dropped."""

    id: str
    stage: str
    reason: str
    uri: str = ""
    locator: str = ""
    pointer: str = ""
    record_json: str = ""
    run_id: str = ""
    created_at: str = ""

    @classmethod
    def create(
        cls,
        *,
        stage: str,
        reason: str,
        uri: str = "",
        locator: str = "",
        pointer: str = "",
        record_json: str = "",
    ) -> Rejection:
        key = [stage, reason, uri, locator, pointer, record_json]
        return cls(
            id=record_id("qr", key),
            stage=stage,
            reason=reason,
            uri=uri,
            locator=locator,
            pointer=pointer,
            record_json=record_json,
        )


@dataclass
class Run(Record):
    """One command or pipeline stage run: what ran, with which config, what it produced."""

    run_id: str
    command: str
    config_hash: str
    started_at: str
    seconds: float
    records_in: int
    records_out: int
    rejected: int
    rejected_json: str = "{}"
    tokens_in: int = 0
    tokens_out: int = 0
    llm_calls: int = 0
    cache_hits: int = 0
    status: str = "ok"
    notes_json: str = "{}"
