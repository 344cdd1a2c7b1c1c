"""The LLM layer: one client for every stage that asks a model (see ``docs/llm.md``).

- :func:`parse_backend` reads ``--llm`` (``offline`` or ``openai:MODEL``);
  :func:`config_from_settings` turns settings into an :class:`LLMConfig`.
- :func:`build_messages` fills a versioned prompt (``lamdata/prompts/<id>.txt``) and appends
  the answer's JSON Schema (``schemas/<schema>.schema.json``).
- :func:`run_batch` (sync) / :func:`complete_batch` (async) answer many :class:`LLMRequest`
  at once with bounded concurrency, retries, validation and re-asks, the store's response
  cache and call log; each :class:`LLMResult` is either ``ok`` with a validated ``value`` or
  carries the reason and the last answer for the caller to quarantine.
"""

from __future__ import annotations

from lamdata.llm.backend import (
    OFFLINE,
    Backend,
    LLMConfig,
    Price,
    config_from_settings,
    llm_config_for,
    parse_backend,
)
from lamdata.llm.batch import account, check_outage, complete_batch, run_batch
from lamdata.llm.cache import CACHE_TABLE, CALLS_TABLE, CallStore, request_key
from lamdata.llm.client import LLMClient, LLMRequest, LLMResult, scrub
from lamdata.llm.prompts import build_messages, load_prompt
from lamdata.llm.structured import AnswerError, extract_json, parse_answer

__all__ = [
    "CACHE_TABLE",
    "CALLS_TABLE",
    "OFFLINE",
    "AnswerError",
    "Backend",
    "CallStore",
    "LLMClient",
    "LLMConfig",
    "LLMRequest",
    "LLMResult",
    "Price",
    "account",
    "build_messages",
    "check_outage",
    "complete_batch",
    "config_from_settings",
    "extract_json",
    "llm_config_for",
    "load_prompt",
    "parse_answer",
    "parse_backend",
    "request_key",
    "run_batch",
    "scrub",
]
