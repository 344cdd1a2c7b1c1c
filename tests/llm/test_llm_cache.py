"""Cache replay, --no-cache, the call log in SQL, and the key's secrecy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import FAKE_OPENAI_KEY
from test_llm_faults import answer, config, requests

from lamdata.llm import run_batch
from lamdata.records.llm import LLMCacheEntry
from lamdata.store import Store, Summary, query
from lamdata.testing import ChatCall, OpenAIServer, Reply


def test_second_run_replays_from_cache(openai_server: OpenAIServer, tmp_path: Path) -> None:
    openai_server.responder = answer
    store = Store(tmp_path / "s")
    first = run_batch(config(), requests(), store=store, summary=Summary("a"))
    openai_server.reset_counts()
    summary = Summary("b")
    second = run_batch(config(), requests(), store=store, summary=summary)
    assert openai_server.requests == 0
    assert [r.value for r in second] == [r.value for r in first]
    assert all(r.info.cached for r in second) and not any(r.info.cached for r in first)
    assert summary.cache_hits == summary.llm_calls == len(second)
    assert summary.tokens_in == 0


def test_no_cache_forces_fresh_calls_and_refreshes(
    openai_server: OpenAIServer, tmp_path: Path
) -> None:
    openai_server.responder = answer
    store = Store(tmp_path / "s")
    run_batch(config(), requests(2), store=store)
    openai_server.responder = lambda call: {"task": "Fresh answer", "steps": ["Click Undo"]}
    fresh = run_batch(config(cache=False), requests(2), store=store)
    assert openai_server.requests == 4
    assert all(r.value["task"] == "Fresh answer" for r in fresh)
    replay = run_batch(config(), requests(2), store=store)
    assert openai_server.requests == 4
    assert all(r.value["task"] == "Fresh answer" for r in replay)


def test_reasked_conversation_replays_from_cache(
    openai_server: OpenAIServer, tmp_path: Path
) -> None:
    openai_server.responder = reask_fixes
    store = Store(tmp_path / "s")
    run_batch(config(), requests(2), store=store)
    assert openai_server.requests == 4
    results = run_batch(config(), requests(2), store=store)
    assert openai_server.requests == 4 and all(r.ok for r in results)
    assert {r.info.attempts for r in results} == {0}


def reask_fixes(call: ChatCall) -> Reply | dict[str, Any]:
    """Prose first, a valid answer once re-asked."""
    return answer(call) if "rejected" in call.user_text else Reply.not_json()


def test_call_log_is_queryable(openai_server: OpenAIServer, tmp_path: Path) -> None:
    openai_server.responder = answer
    store = Store(tmp_path / "s")
    run_batch(config(), requests(3), store=store, summary=Summary("q"))
    table = query(
        store, "SELECT prompt_id, count(*) AS n, sum(tokens_in) > 0 AS t FROM llm_calls GROUP BY 1"
    )
    assert table.to_pylist() == [{"prompt_id": "evolve.v1", "n": 3, "t": True}]
    assert len(store.records("llm_cache", LLMCacheEntry)) == 3


def test_api_key_never_reaches_the_store(openai_server: OpenAIServer, tmp_path: Path) -> None:
    leaky = json.dumps({"error": {"message": f"Incorrect API key provided: {FAKE_OPENAI_KEY}"}})
    faults = [
        Reply(status=401, body=leaky.encode()),  # a server that echoes the key back
        Reply(status=503, body=leaky.encode()),
        Reply.not_json(),
        Reply.rate_limited(),
    ]
    openai_server.enqueue(*faults)
    openai_server.responder = answer
    store = Store(tmp_path / "s")
    results = run_batch(config(max_attempts=2), requests(), store=store, summary=Summary("k"))
    assert f"Bearer {FAKE_OPENAI_KEY}" in openai_server.authorization  # the key was used
    assert any(not r.ok for r in results)
    for path in (tmp_path / "s").rglob("*"):
        if path.is_file():
            assert FAKE_OPENAI_KEY.encode() not in path.read_bytes(), path
    assert all(FAKE_OPENAI_KEY not in r.error + r.text for r in results)
    assert any(r.error.startswith("llm_terminal: HTTP 401") for r in results)
