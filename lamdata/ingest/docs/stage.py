"""The ``ingest docs`` stage: help documents → ``task_plans`` (with quarantine and resume).

Design notes
- Work unit and resume. Each input file is keyed ``f"{path}:{mtime_ns}:{size}"`` (the path as
  given). Files are grouped into parts at path-defined boundaries: a file closes its part when
  the hash of its path falls in 1/``CHUNK_EVERY`` of the hash space (or it is big, or the part is
  full). A part is named ``part_name("ingest_docs", config_hash, keys of its files)`` — for a
  one-file part exactly ``part_name(..., f"{path}:{mtime_ns}:{size}")`` — and skipped when it is
  already in the store. Why not one part per file: a Parquet part costs ~2-3 ms to write, which
  alone would cap ingest below 400 pages/s and leave the store with one tiny file per page.
  Boundaries that depend only on each file's own path mean that adding or removing a file
  re-does only the part it falls in (editing one changes its key, so its part's name), records
  are keyed by content, so nothing duplicates, and which files share a part does not depend on
  modification times: stages that work part by part (``evolve`` pairs tasks within a part) give
  the same results on two checkouts of the same documents.
- A refused input never stops the batch: it becomes a ``Rejection`` (reason ``code: file line N:
  what``; reading one file is ``document.py``) in the quarantine part of the same name, written
  before the task-plans part, which is the completion marker.
- ``strict``: every part is still processed and written (good records land, bad input is
  quarantined, so a fix-and-rerun re-does only the parts whose files changed); then, if anything
  was rejected in this run or is on record as rejected in a part skipped by resume, the stage
  raises :class:`StrictModeError` (exit 1 on the command line) and the run is recorded as failed.
- ``llm``: ``offline`` (default) is the rule path above, and its config has no ``llm`` key, so
  offline parts keep their names. ``openai:MODEL`` sends the prose documents of a part to the
  model in one batch (``model_parts.py``, with ``model.py`` for the request and the answer;
  structured dumps and UFO task files keep the rules); the backend and prompt id join the
  config, so model parts never mix with rule parts. An answer that stays invalid quarantines
  its file; a part whose every request gave up is not written, so the next run resumes it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from lamdata.errors import InputError
from lamdata.hashing import content_hash
from lamdata.ingest.docs.document import (  # the per-file half; re-exported for callers
    STAGE,
    FileResult,
    ingest_file,
)
from lamdata.ingest.docs.document import load_file as load_file
from lamdata.ingest.docs.document import plans_of as plans_of
from lamdata.ingest.docs.document import read_document as read_document
from lamdata.ingest.docs.model import EXTRACT_PROMPT
from lamdata.ingest.docs.model_parts import ModelParts
from lamdata.ingest.docs.readers import DOC_SUFFIXES
from lamdata.ingest.files import expand_paths
from lamdata.llm import CallStore, LLMConfig, llm_config_for, parse_backend
from lamdata.records import TaskPlan
from lamdata.store import Store, Summary, part_name, recorded_run, utc_now

#: Bumped when extraction rules change, so a re-run re-does parts made by older rules.
EXTRACTOR_VERSION = 2
CHUNK_EVERY = 32
CHUNK_MAX = 256
BIG_FILE = 4 * 1024 * 1024
MAX_WARNINGS = 50

Progress = Callable[..., None]


class StrictModeError(InputError):
    """``--strict`` and some input was rejected; ``summary`` holds the counts."""

    def __init__(self, summary: Summary, rejected: int) -> None:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(summary.rejected.items())) or "earlier"
        super().__init__(
            f"--strict: {rejected} input(s) rejected ({reasons})",
            hint='see them with: lamdata query "SELECT reason FROM quarantine '
            "WHERE stage = 'ingest_docs'\"; good records were written",
        )
        self.summary = summary


def file_key(path: Path) -> str:
    """The resume key of an input file: path as given, modification time, size."""
    stat = path.stat()
    return f"{path}:{stat.st_mtime_ns}:{stat.st_size}"


def chunks(files: Sequence[Path]) -> Iterator[list[tuple[Path, str]]]:
    """Files grouped into parts at path-defined boundaries (see the module notes)."""
    chunk: list[tuple[Path, str]] = []
    for path in files:
        try:
            key, big = file_key(path), path.stat().st_size >= BIG_FILE
        except OSError:
            key, big = f"{path}:missing", False
        chunk.append((path, key))
        boundary = int(content_hash(str(path), size=4), 16) % CHUNK_EVERY == 0
        if boundary or big or len(chunk) >= CHUNK_MAX:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ingest_docs(
    store: Store,
    paths: Sequence[str | Path],
    *,
    app: str | None = None,
    strict: bool = False,
    max_mb: float = 16.0,
    llm: str = "offline",
    progress: Progress | None = None,
    llm_config: LLMConfig | None = None,
) -> Summary:
    """Read help documents (files, folders, globs; ``.gz`` too) into ``task_plans``.

    ``llm="openai:MODEL"`` has a model extract the procedures of prose documents (see the
    module notes); ``llm_config`` holds its runtime knobs (concurrency, timeouts, cache), which
    are not part of the config hash.
    """
    backend = parse_backend(llm)
    cfg = llm_config_for(backend, llm_config)
    files = expand_paths(paths, DOC_SUFFIXES)
    config: dict[str, Any] = {
        "app": app,
        "strict": strict,
        "max_mb": max_mb,
        "extractor": EXTRACTOR_VERSION,
    }
    if cfg is not None:
        config |= {"llm": backend.spec, "prompt": EXTRACT_PROMPT}
    with recorded_run(store, "ingest docs", config) as summary:
        run = _Run(store, summary, int(max_mb * 1_000_000), app)
        if cfg is not None:
            run.model = ModelParts(cfg, CallStore(store, summary.run_id), summary, app)
        summary.notes["inputs"] = [str(p) for p in paths]
        if progress:
            progress(0, total=len(files))
        for chunk in chunks(files):
            run.part(chunk)
            if progress:
                progress(len(chunk))
        run.finish()
        earlier = summary.notes.get("rejected_in_skipped_parts", 0)
        if strict and (summary.rejected_total or earlier):
            raise StrictModeError(summary, summary.rejected_total + earlier)
    return summary


class _Run:
    """The bookkeeping of one ingest run: known IDs, counts, warnings."""

    def __init__(self, store: Store, summary: Summary, max_bytes: int, app: str | None) -> None:
        self.store, self.summary, self.max_bytes, self.app = store, summary, max_bytes, app
        self.known = store.keys("task_plans")
        self.kinds: Counter[str] = Counter()
        self.warnings: list[str] = []
        self.counts: Counter[str] = Counter()
        self.model: ModelParts | None = None

    def part(self, chunk: list[tuple[Path, str]]) -> None:
        name = part_name(STAGE, self.summary.config_hash, "\n".join(k for _, k in chunk))
        if self.store.has_part("task_plans", name):
            self.summary.skipped_parts += 1
            self.counts["files_skipped"] += len(chunk)
            self.counts["rejected_in_skipped_parts"] += self._quarantined(name)
            return
        if self.model is None:
            results = [ingest_file(p, app=self.app, max_bytes=self.max_bytes) for p, _ in chunk]
        else:
            results = self.model.read([p for p, _ in chunk], self.max_bytes)
        plans, rejections = [], []
        for result in results:
            self._count(result)
            rejections.extend(result.rejections)
            for plan in result.plans:
                if plan.id not in self.known:
                    self.known.add(plan.id)
                    plans.append(plan)
        if rejections:
            self.summary.reject(rejections)
            self.store.quarantine(
                rejections, part=name, run_id=self.summary.run_id, created_at=utc_now()
            )
        rows = pa.Table.from_pylist([p.to_dict() for p in plans], schema=TaskPlan.arrow_schema())
        self.summary.records_out += self.store.write(
            "task_plans", rows, part=name, skip_existing_keys=False
        )

    def _count(self, result: FileResult) -> None:
        self.summary.records_in += 1
        self.counts["files_read"] += 1
        if result.kind is None:
            self.counts["files_rejected"] += 1
        elif not result.plans:
            self.counts["files_without_procedures"] += 1
        for plan in result.plans:
            self.kinds[plan.source.kind] += 1
        self.warnings.extend(result.warnings)

    def _quarantined(self, name: str) -> int:
        path = self.store.table_dir("quarantine") / f"{name}.parquet"
        return self.store.check_part("quarantine", path) if path.exists() else 0

    def finish(self) -> None:
        notes = self.summary.notes
        for key in ("files_read", "files_skipped", "files_rejected", "files_without_procedures"):
            notes[key] = self.counts[key]
        notes["rejected_in_skipped_parts"] = self.counts["rejected_in_skipped_parts"]
        notes["task_plans_by_kind"] = dict(sorted(self.kinds.items()))
        notes["warnings"] = len(self.warnings)
        if self.warnings:
            notes["warning_list"] = self.warnings[:MAX_WARNINGS]
        if self.model is not None:
            notes.update(self.model.counts)
