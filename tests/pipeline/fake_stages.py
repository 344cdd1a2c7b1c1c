"""Two tiny stages with the real stage contract, for testing the runner's wiring alone."""

from __future__ import annotations

from pathlib import Path

from lamdata.records import Source, TaskPlan
from lamdata.store import Store, Summary, recorded_run


def make_plans(
    store: Store, *, paths: list[str], suffix: str = "", progress: object = None
) -> Summary:
    """One task-plan per line of each file (a stand-in for an ingest stage)."""
    with recorded_run(store, "fake make", {"paths": paths, "suffix": suffix}) as summary:
        for path in paths:
            part = summary.part(path)
            if store.has_part("task_plans", part):
                summary.skipped_parts += 1
                continue
            lines = Path(path).read_text().splitlines()
            plans = [
                TaskPlan.create(
                    app="word",
                    task=line + suffix,
                    steps=["Click OK"],
                    source=Source(kind="help_doc", uri=path, locator=str(i)),
                )
                for i, line in enumerate(lines, 1)
            ]
            summary.records_in += len(lines)
            summary.records_out += store.write("task_plans", plans, part=part)
    return summary


def count_plans(store: Store, *, only: list[str] | None = None) -> Summary:
    """Counts the task-plans in the parts it is given (a stand-in for a consumer stage)."""
    with recorded_run(store, "fake count", {"only": only}) as summary:
        for _path, plans in store.iter_records("task_plans", TaskPlan, only=only):
            summary.records_in += len(plans)
        summary.notes["seen"] = summary.records_in
    return summary
