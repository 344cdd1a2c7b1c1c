"""The response cache and the call log, both tables of the store.

``llm_cache`` maps a request key (the hash of model, prompt id, messages and parameters) to the
answer text and its usage; the newest entry of a key wins, so a ``--no-cache`` run refreshes
what later runs replay. ``llm_calls`` logs every logical call (retries included). Rows are
buffered in memory and committed by :meth:`CallStore.flush` as one part per batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from lamdata.hashing import content_hash
from lamdata.records import Record
from lamdata.records.llm import LLMCacheEntry, LLMCall
from lamdata.store import Store, part_name

CACHE_TABLE = "llm_cache"
CALLS_TABLE = "llm_calls"


def _now() -> str:
    """Microsecond UTC time: orders cache entries of one key written seconds apart."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def request_key(
    model: str, prompt_id: str, messages: list[dict[str, Any]], params: dict[str, Any]
) -> str:
    """The cache key of one chat completion request."""
    return content_hash(
        {"model": model, "prompt": prompt_id, "messages": messages, "params": params}
    )


class CallStore:
    """Cache lookups and call-log rows for one client, backed by a store (or memory only)."""

    def __init__(self, store: Store | None, run_id: str = "") -> None:
        self.store = store
        self.run_id = run_id
        self._cache: dict[str, LLMCacheEntry] | None = None
        self._new_entries: list[LLMCacheEntry] = []
        self._new_calls: list[LLMCall] = []

    def _load(self) -> dict[str, LLMCacheEntry]:
        if self._cache is None:
            self._cache = {}
            if self.store is not None:
                table = self.store.read(CACHE_TABLE).sort_by("created_at")
                names, columns = table.column_names, table.to_pydict()
                for values in zip(*(columns[n] for n in names), strict=True):
                    entry = LLMCacheEntry(**dict(zip(names, values, strict=True)))
                    self._cache[entry.key] = entry
        return self._cache

    def get(self, key: str) -> LLMCacheEntry | None:
        return self._load().get(key)

    def put(self, entry: LLMCacheEntry) -> None:
        entry.created_at = entry.created_at or _now()
        self._load()[entry.key] = entry
        self._new_entries.append(entry)

    def log(self, call: LLMCall) -> LLMCall:
        call.run_id = call.run_id or self.run_id
        call.created_at = call.created_at or _now()
        call.id = call.id or content_hash(
            [call.run_id, call.key, call.record_key, len(self._new_calls), call.created_at]
        )
        self._new_calls.append(call)
        return call

    @property
    def calls(self) -> list[LLMCall]:
        """Calls logged since the last flush."""
        return list(self._new_calls)

    def flush(self) -> tuple[int, int]:
        """Commit buffered cache entries and call-log rows; returns (entries, calls) written."""
        entries, calls = self._new_entries, self._new_calls
        self._new_entries, self._new_calls = [], []
        if self.store is None:
            return 0, 0
        stamp = content_hash([self.run_id, [e.key for e in entries], [c.id for c in calls]])
        written = (0, 0)
        if entries:
            part = part_name(CACHE_TABLE, stamp, "cache")
            rows = _columns(self.store, CACHE_TABLE, entries)
            written = (self.store.write(CACHE_TABLE, rows, part=part), 0)
        if calls:
            part = part_name(CALLS_TABLE, stamp, "calls")
            rows = _columns(self.store, CALLS_TABLE, calls)
            written = (written[0], self.store.write(CALLS_TABLE, rows, part=part))
        return written


def _columns(store: Store, table: str, rows: Sequence[Record]) -> pa.Table:
    """Flat rows as an Arrow table, column by column (no per-row ``asdict`` deep copy)."""
    schema = store.schema(table)
    return pa.table({n: [getattr(r, n) for r in rows] for n in schema.names}, schema=schema)
