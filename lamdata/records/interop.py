"""foreign_records: what an imported record was in its source format.

An import maps a foreign record (a UFO dataflow result, ...) onto lamdata's task-plans,
instances and trajectories. What those records cannot hold (timings, the source's own error
objects, spellings lamdata normalizes) is kept here as a residual patch, so an export to the same
format gives back exactly the record that came in.
"""

from __future__ import annotations

from dataclasses import dataclass

from lamdata.hashing import record_id
from lamdata.records.base import Record


@dataclass
class ForeignRecord(Record):
    id: str
    format: str
    external_id: str
    task_plan_id: str
    instance_id: str
    trajectory_id: str | None = None
    residual_json: str = "[]"
    uri: str = ""

    @classmethod
    def create(
        cls,
        *,
        format: str,
        external_id: str,
        task_plan_id: str,
        instance_id: str,
        trajectory_id: str | None,
        residual_json: str,
        uri: str = "",
    ) -> ForeignRecord:
        """The ID hashes everything but ``uri``: the same record found twice is kept once."""
        key = [format, external_id, task_plan_id, instance_id, trajectory_id, residual_json]
        return cls(
            id=record_id("fx", key),
            format=format,
            external_id=external_id,
            task_plan_id=task_plan_id,
            instance_id=instance_id,
            trajectory_id=trajectory_id,
            residual_json=residual_json,
            uri=uri,
        )
