"""``import_ufo``: read UFO dataflow result files into the store.

Accepts ``.json`` files (one record, or a list of records), ``.jsonl`` files (one record a line)
and folders (every ``.json``/``.jsonl`` below, in name order; hidden files are skipped). UFO
writes one file per task, so files are imported in batches (``batch_files``): a batch is one unit
of work whose part name hashes its files' paths and contents, so a re-run skips batches already
imported and a changed file is imported again. A malformed record is quarantined with the JSON
pointer of the problem; the rest goes on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lamdata.errors import InputError, SchemaError
from lamdata.hashing import content_hash
from lamdata.interop.ufo import FORMAT, UfoRecords, ufo_to_records
from lamdata.records import Instance, Rejection, TaskPlan, Trajectory
from lamdata.records.interop import ForeignRecord
from lamdata.store import Store, Summary, recorded_run, utc_now

STAGE = "import_ufo"
FOREIGN_TABLE = "foreign_records"


def register_tables(store: Store) -> None:
    """Make the store know ``foreign_records`` (the residuals of imported records)."""
    if FOREIGN_TABLE not in store.known():
        store.register(FOREIGN_TABLE, ForeignRecord.arrow_schema(), key="id")


@dataclass
class _Batch:
    task_plans: list[TaskPlan] = field(default_factory=list)
    instances: list[Instance] = field(default_factory=list)
    trajectories: list[Trajectory] = field(default_factory=list)
    foreign: list[ForeignRecord] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    def extend(self, other: _Batch) -> None:
        self.task_plans += other.task_plans
        self.instances += other.instances
        self.trajectories += other.trajectories
        self.foreign += other.foreign
        self.rejections += other.rejections

    def add(self, mapped: UfoRecords) -> None:
        self.task_plans.append(mapped.task_plan)
        self.instances.append(mapped.instance)
        self.foreign.append(mapped.foreign)
        if mapped.trajectory is not None:
            self.trajectories.append(mapped.trajectory)


_SUFFIXES = (".json", ".jsonl")


def _visible(path: Path, root: Path) -> bool:
    """Not hidden (an export's manifest, editor files) at any level below ``root``."""
    return not any(part.startswith(".") for part in path.relative_to(root).parts)


def input_files(paths: Sequence[str | Path]) -> list[Path]:
    """The files named by ``paths`` (folders expanded), or :class:`InputError`."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = path.rglob("*")
            files.extend(sorted(p for p in found if p.suffix in _SUFFIXES and _visible(p, path)))
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path} does not exist", hint="pass UFO result files or folders")
    return files


def _read(path: Path) -> Iterator[tuple[str, Any]]:
    """(locator, parsed value or the JSONDecodeError) for each record of a file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    if path.suffix == ".jsonl":
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                yield f"line {n}", _parse(line)
        return
    value = _parse(text)
    if isinstance(value, list):
        yield from ((f"/{i}", item) for i, item in enumerate(value))
    else:
        yield "", value


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        return exc


def map_file(path: Path) -> _Batch:
    """The records and rejections of one file (pure but for reading the file)."""
    batch = _Batch()
    for locator, value in _read(path):
        if isinstance(value, json.JSONDecodeError):
            batch.rejections.append(_reject(path, locator, "", f"bad_json: {value}", value.doc))
            continue
        try:
            batch.add(ufo_to_records(value, uri=f"{path}{'#' + locator if locator else ''}"))
        except SchemaError as exc:
            raw = json.dumps(value, ensure_ascii=False, sort_keys=True)
            batch.rejections.append(_reject(path, locator, exc.pointer, exc.message, raw))
    return batch


def _reject(path: Path, locator: str, pointer: str, reason: str, raw: str) -> Rejection:
    return Rejection.create(
        stage=STAGE, reason=reason, uri=str(path), locator=locator, pointer=pointer, record_json=raw
    )


def import_ufo(
    store: Store,
    paths: Sequence[str | Path],
    *,
    batch_files: int = 500,
    progress: Callable[..., None] | None = None,
) -> Summary:
    """Import UFO dataflow result records as task-plans, instances and trajectories."""
    register_tables(store)
    files = input_files(paths)
    size = max(1, batch_files)
    with recorded_run(store, STAGE, {"format": FORMAT}) as summary:
        summary.notes["files"] = len(files)
        for start in range(0, len(files), size):
            _import_batch(store, summary, files[start : start + size])
            if progress is not None:
                progress(len(files[start : start + size]), total=len(files))
    return summary


def _batch_key(files: list[Path]) -> str:
    return "\n".join(f"{p.resolve()}:{content_hash(p.read_bytes().hex())}" for p in files)


def _import_batch(store: Store, summary: Summary, files: list[Path]) -> None:
    part = summary.part(_batch_key(files))
    if store.has_part("trajectories", part):
        summary.skipped_parts += 1
        return
    batch = _Batch()
    for path in files:
        batch.extend(map_file(path))
    summary.records_in += len(batch.foreign) + len(batch.rejections)
    summary.reject(batch.rejections)
    store.quarantine(batch.rejections, part=part, run_id=summary.run_id, created_at=utc_now())
    for trajectory in batch.trajectories:
        trajectory.provenance.run_id = summary.run_id
        trajectory.provenance.config_hash = summary.config_hash
    store.write("task_plans", batch.task_plans, part=part)
    store.write("instances", batch.instances, part=part)
    store.write(FOREIGN_TABLE, batch.foreign, part=part)
    store.write("trajectories", batch.trajectories, part=part)
    summary.records_out += len(batch.foreign)
    summary.notes["trajectories"] = summary.notes.get("trajectories", 0) + len(batch.trajectories)
