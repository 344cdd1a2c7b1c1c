"""Rows of the LLM layer's tables: the response cache and the call log.

Neither row ever holds an API key: the cache keeps the request's hash and the answer text, the
log keeps counts, timings and a scrubbed error message.
"""

from __future__ import annotations

from dataclasses import dataclass

from lamdata.records.base import Record


@dataclass
class LLMCacheEntry(Record):
    """One cached chat completion, keyed by the hash of (model, prompt, messages, params)."""

    key: str
    model: str
    prompt_id: str
    text: str
    tokens_in: int = 0
    tokens_out: int = 0
    created_at: str = ""


@dataclass
class LLMCall(Record):
    """One logical model call (retries included) as the call log keeps it."""

    id: str
    run_id: str
    key: str
    record_key: str
    model: str
    prompt_id: str
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: float = 0.0
    attempts: int = 0
    cached: bool = False
    error: str = ""
    created_at: str = ""
