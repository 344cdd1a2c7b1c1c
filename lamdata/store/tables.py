"""Every table a store can hold: its row record class and the column that keys a row.

Core tables hold records (append-only, keyed by content-hash IDs); further tables hold what
stages derive (LLM cache and call log, curation marks, dedup clusters, splits, judgments).
Add a table here, with its row dataclass in ``lamdata/records/``, and every store, the SQL
views and ``lamdata stats`` know it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from lamdata.records import Instance, Record, Rejection, Run, TaskPlan, Trajectory
from lamdata.records.curation import Cluster, DedupIndex, Mark, SplitAssignment
from lamdata.records.evaluation import Judgment
from lamdata.records.interop import ForeignRecord
from lamdata.records.llm import LLMCacheEntry, LLMCall


@dataclass(frozen=True)
class TableSpec:
    record: type[Record]
    key: str | None

    @property
    def schema(self) -> pa.Schema:
        return self.record.arrow_schema()


TABLES: dict[str, TableSpec] = {
    "task_plans": TableSpec(TaskPlan, "id"),
    "instances": TableSpec(Instance, "id"),
    "trajectories": TableSpec(Trajectory, "id"),
    "quarantine": TableSpec(Rejection, "id"),
    "runs": TableSpec(Run, "run_id"),
    "marks": TableSpec(Mark, None),
    "clusters": TableSpec(Cluster, None),
    "dedup_index": TableSpec(DedupIndex, None),
    "splits": TableSpec(SplitAssignment, None),
    "llm_cache": TableSpec(LLMCacheEntry, None),
    "llm_calls": TableSpec(LLMCall, "id"),
    "judgments": TableSpec(Judgment, None),
    "foreign_records": TableSpec(ForeignRecord, "id"),
}
