"""What every command returns and what the ``runs`` table keeps: a run summary.

A command (or pipeline stage) wraps its work in :func:`recorded_run`; the summary it fills is
timed, written to ``runs`` even when the work fails, and rendered by the CLI.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lamdata.hashing import content_hash
from lamdata.records import Rejection, Run
from lamdata.store.store import Store, part_name, part_prefix


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_run_id() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return f"{stamp}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


@dataclass
class Summary:
    """Counts of one run: records in and out, rejections by reason, time, tokens."""

    command: str
    config: dict[str, Any] = field(default_factory=dict)
    run_id: str = field(default_factory=new_run_id)
    started_at: str = field(default_factory=utc_now)
    records_in: int = 0
    records_out: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    skipped_parts: int = 0
    seconds: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0
    llm_calls: int = 0
    cache_hits: int = 0
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def config_hash(self) -> str:
        return content_hash(self.config)

    @property
    def part_prefix(self) -> str:
        """The prefix of every part this run writes (what a downstream ``only=`` names)."""
        return part_prefix(self.command, self.config_hash)

    def part(self, input_key: str) -> str:
        """The name of the part this run writes for one input (stable across re-runs)."""
        return part_name(self.command, self.config_hash, input_key)

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    def reject(self, rejections: list[Rejection], reason_key: str | None = None) -> None:
        """Count rejections by their reason's first clause (or by ``reason_key``)."""
        for rejection in rejections:
            self.rejected[reason_key or rejection.reason.split(":", 1)[0]] += 1

    def to_run(self, status: str) -> Run:
        return Run(
            run_id=self.run_id,
            command=self.command,
            config_hash=self.config_hash,
            started_at=self.started_at,
            seconds=round(self.seconds, 3),
            records_in=self.records_in,
            records_out=self.records_out,
            rejected=self.rejected_total,
            rejected_json=json.dumps(dict(sorted(self.rejected.items()))),
            tokens_in=self.tokens_in,
            tokens_out=self.tokens_out,
            llm_calls=self.llm_calls,
            cache_hits=self.cache_hits,
            status=status,
            notes_json=json.dumps(self.notes, sort_keys=True, default=str),
        )

    def as_dict(self) -> dict[str, Any]:
        run = self.to_run("ok").to_dict()
        run["rejected_by_reason"] = dict(sorted(self.rejected.items()))
        run["skipped_parts"] = self.skipped_parts
        run["notes"] = self.notes
        del run["rejected_json"], run["notes_json"]
        return run


def _prewarm_pandas() -> None:
    """Import pandas in the background when it is installed and not imported yet.

    pyarrow imports pandas (when installed) the first time it builds an array from Python
    objects, which every command does when it writes its records or its run: about 0.15 s of
    imports on the critical path of a short command. Started when a run begins, the import
    overlaps the run's own work (polars and DuckDB release the GIL while they compute).
    """
    if "pandas" in sys.modules or _PREWARM.is_set():
        return
    _PREWARM.set()
    if importlib.util.find_spec("pandas") is None:
        return
    threading.Thread(target=_import_quietly, args=("pandas",), daemon=True).start()


def _import_quietly(name: str) -> None:
    with contextlib.suppress(Exception):  # (a broken install shows up later, where it is used)
        importlib.import_module(name)


_PREWARM = threading.Event()


@contextmanager
def recorded_run(store: Store, command: str, config: dict[str, Any]) -> Iterator[Summary]:
    """Time the work in the block and write its summary to the ``runs`` table."""
    _prewarm_pandas()
    summary = Summary(command=command, config=config)
    start = time.perf_counter()
    status = "failed"
    try:
        yield summary
        status = "ok"
    finally:
        summary.seconds = time.perf_counter() - start
        store.record_run(summary.to_run(status))
