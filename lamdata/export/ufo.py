"""``ufo``: UFO dataflow result records, one ``<split>/<unique_id>.json`` file each.

Every selected trajectory becomes one record, and so does every selected instance that was never
executed (UFO's instantiation-only records). Records that came from ``lamdata import ufo`` are
rebuilt from lamdata's records and patched with the import's residual, so they come back exactly
as they went in (one file per imported record); native records are written from their fields.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from lamdata.export.base import ExportContext, write_json
from lamdata.export.select import select
from lamdata.interop.ufo import FORMAT, apply_residual, records_to_ufo
from lamdata.interop.ufo_import import FOREIGN_TABLE, register_tables
from lamdata.records import Instance, TaskPlan, Trajectory
from lamdata.records.interop import ForeignRecord

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _foreign(ctx: ExportContext) -> dict[str, list[ForeignRecord]]:
    """Imported UFO records by the trajectory (or, if never executed, instance) they became."""
    register_tables(ctx.store)
    by_key: dict[str, list[ForeignRecord]] = defaultdict(list)
    for row in ctx.store.records(FOREIGN_TABLE, ForeignRecord):
        if row.format == FORMAT:
            by_key[row.trajectory_id or row.instance_id].append(row)
    for rows in by_key.values():
        rows.sort(key=lambda r: (r.external_id, r.id))
    return by_key


def _lone_instances(ctx: ExportContext) -> dict[str, list[str]]:
    """Selected instances that no trajectory executed, per split."""
    executed = set(ctx.store.read("trajectories", ["instance_id"]).column(0).to_pylist())
    picked = select(ctx.store, "instances", splits=ctx.options.split, curated=ctx.options.curated)
    return {s: [i for i in ids if i not in executed] for s, ids in picked.splits.items()}


def _records(
    ctx: ExportContext, key: str, foreign: dict[str, list[ForeignRecord]]
) -> list[tuple[str, dict[str, Any]]]:
    """(file stem, UFO record) for one trajectory or lone instance id."""
    traj: Trajectory | None = ctx.trajectories.get(key)
    inst: Instance | None = ctx.instances.get(traj.instance_id if traj else key)
    plan_id = traj.task_plan_id if traj else inst.task_plan_id if inst else ""
    plan: TaskPlan | None = ctx.task_plans.get(plan_id)
    rebuilt = records_to_ufo(plan, inst, traj)
    if key not in foreign:
        return [(str(rebuilt["unique_id"]), rebuilt)]
    return [
        (
            row.external_id,
            apply_residual(records_to_ufo(plan, inst, traj, row.external_id), row.residual_json),
        )
        for row in foreign[key]
    ]


def _file_name(stem: str, used: set[str]) -> str:
    """A safe file stem not used yet in this split (``-1``, ``-2``, ... on collisions)."""
    base = _UNSAFE.sub("_", stem)
    name, n = base, 1
    while name in used:
        name, n = f"{base}-{n}", n + 1
    return name


def write_ufo(ctx: ExportContext, folder: Path) -> dict[str, int]:
    foreign = _foreign(ctx)
    lone = _lone_instances(ctx)
    ctx.extra_in = sum(len(ids) for ids in lone.values())
    counts: dict[str, int] = {}
    for name in sorted(set(ctx.selection.splits) | set(lone)):
        keys = ctx.selection.splits.get(name, []) + lone.get(name, [])
        used: set[str] = set()
        for key in keys:
            for stem, record in _records(ctx, key, foreign):
                file = _file_name(stem or key, used)
                used.add(file)
                write_json(folder / name / f"{file}.json", record)
        counts[name] = len(used)
    return counts
