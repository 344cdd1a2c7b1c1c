"""``import_ufo``: read UFO dataflow result files into the store.

Accepts ``.json`` files (one record, or a list of records), ``.jsonl`` files (one record a line)
and folders (every ``.json``/``.jsonl`` below, in name order). Each file is one unit of work: its
part name hashes its path and content, so a re-run skips files already imported and a changed
file is imported again. A malformed record is quarantined with the JSON pointer of the problem;
the rest of the file goes on.
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

    def add(self, mapped: UfoRecords) -> None:
        self.task_plans.append(mapped.task_plan)
        self.instances.append(mapped.instance)
        self.foreign.append(mapped.foreign)
        if mapped.trajectory is not None:
            self.trajectories.append(mapped.trajectory)


def input_files(paths: Sequence[str | Path]) -> list[Path]:
    """The files named by ``paths`` (folders expanded), or :class:`InputError`."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".json", ".jsonl")))
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
    progress: Callable[..., None] | None = None,
) -> Summary:
    """Import UFO dataflow result records as task-plans, instances and trajectories."""
    register_tables(store)
    files = input_files(paths)
    with recorded_run(store, STAGE, {"format": FORMAT}) as summary:
        summary.notes["files"] = len(files)
        for path in files:
            _import_file(store, summary, path)
            if progress is not None:
                progress(1, total=len(files))
    return summary


def _import_file(store: Store, summary: Summary, path: Path) -> None:
    key = f"{path.resolve()}:{content_hash(path.read_bytes().decode('utf-8', 'replace'))}"
    part = summary.part(key)
    if store.has_part("trajectories", part):
        summary.skipped_parts += 1
        return
    batch = map_file(path)
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
