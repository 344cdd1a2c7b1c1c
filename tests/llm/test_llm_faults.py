"""Every fault of the test server, through the real openai SDK over HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lamdata.llm import LLMConfig, LLMRequest, LLMResult, build_messages, run_batch
from lamdata.llm import client as client_module
from lamdata.records.llm import LLMCall
from lamdata.store import Store, Summary
from lamdata.testing import ChatCall, OpenAIServer, Reply, fail_first

N = 6


def answer(call: ChatCall) -> dict[str, Any]:
    """A valid llm_evolve answer computed from the request."""
    return {"task": f"Evolved: {call.user_text.splitlines()[0]}", "steps": ["Click Bold"]}


def requests(n: int = N) -> list[LLMRequest]:
    return [
        LLMRequest(
            key=f"rec{i}",
            prompt_id="evolve.v1",
            schema="llm_evolve",
            messages=build_messages(
                "evolve.v1",
                "llm_evolve",
                app="Word",
                operation="add a constraint",
                task=f"Task number {i}",
                steps="1. Click Bold",
                ui_terms="Bold",
                extra="",
            ),
        )
        for i in range(n)
    ]


def config(**changes: Any) -> LLMConfig:
    base = LLMConfig(model="test-model", concurrency=4, timeout=2.0, max_attempts=3, backoff=0.01)
    return base.with_(**changes)


def run(tmp_path: Path, cfg: LLMConfig | None = None, n: int = N) -> tuple[list[LLMResult], Store]:
    store = Store(tmp_path / "store")
    results = run_batch(cfg or config(), requests(n), store=store, summary=Summary("test"))
    return results, store


def test_valid_answers_keep_order_tokens_and_log(
    openai_server: OpenAIServer, tmp_path: Path
) -> None:
    openai_server.responder = answer
    summary = Summary("test")
    store = Store(tmp_path / "store")
    results = run_batch(config(), requests(), store=store, summary=summary)
    assert [r.key for r in results] == [f"rec{i}" for i in range(N)]
    assert all(r.ok for r in results)
    assert results[3].value["task"] == "Evolved: Existing task: Task number 3"
    assert all(r.info.tokens_in > 0 and r.info.attempts == 1 for r in results)
    assert summary.llm_calls == N and summary.cache_hits == 0
    assert summary.tokens_in == sum(r.info.tokens_in for r in results)
    assert store.count("llm_calls") == N and store.count("llm_cache") == N
    assert openai_server.requests == N


@pytest.mark.parametrize(
    "fault", [Reply.rate_limited(0.01), Reply.server_error(), Reply.malformed()]
)
def test_transient_fault_is_retried(
    openai_server: OpenAIServer, tmp_path: Path, fault: Reply
) -> None:
    openai_server.responder = fail_first(1, fault, answer)
    results, store = run(tmp_path)
    assert all(r.ok and r.info.attempts == 2 for r in results)
    assert openai_server.requests == 2 * N
    calls = store.records("llm_calls", LLMCall)
    assert {c.attempts for c in calls} == {2}


def test_retry_after_is_honoured(
    openai_server: OpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hints: list[float | None] = []
    real = client_module.backoff_delay

    def spy(attempt: int, base: float, cap: float, hint: float | None, rng: Any) -> float:
        hints.append(hint)
        delay = real(attempt, base, cap, hint, rng)
        assert hint is None or delay >= hint
        return delay

    monkeypatch.setattr(client_module, "backoff_delay", spy)
    openai_server.responder = fail_first(1, Reply.rate_limited(0.02), answer)
    results, _ = run(tmp_path, n=2)
    assert all(r.ok for r in results)
    assert hints == [0.02, 0.02]


def test_persistent_server_error_gives_up_after_bounded_attempts(
    openai_server: OpenAIServer, tmp_path: Path
) -> None:
    openai_server.responder = lambda call: Reply.server_error(503)
    results, store = run(tmp_path)
    assert not any(r.ok for r in results)
    assert {r.error_code for r in results} == {"llm_gave_up"}
    assert all("HTTP 503" in r.error for r in results)
    assert openai_server.requests == 3 * N
    assert store.count("llm_cache") == 0
    assert all(c.error.startswith("llm_gave_up") for c in store.records("llm_calls", LLMCall))


def test_hang_past_timeout_is_retried(openai_server: OpenAIServer, tmp_path: Path) -> None:
    openai_server.responder = fail_first(1, Reply.hang(10), answer)
    results, _ = run(tmp_path, config(timeout=0.3, concurrency=8), n=3)
    assert all(r.ok and r.info.attempts == 2 for r in results)
    assert openai_server.requests == 6


def test_bad_request_is_terminal_for_that_record(
    openai_server: OpenAIServer, tmp_path: Path
) -> None:
    def respond(call: ChatCall) -> Reply | dict[str, Any]:
        return Reply.bad_request() if "Task number 2" in call.user_text else answer(call)

    openai_server.responder = respond
    results, _ = run(tmp_path)
    failed = [r for r in results if not r.ok]
    assert [r.key for r in failed] == ["rec2"]
    assert failed[0].error.startswith("llm_terminal: HTTP 400")
    assert failed[0].info.attempts == 1
    assert openai_server.requests == N


@pytest.mark.parametrize(
    ("fault", "code"),
    [(Reply.not_json(), "llm_json"), (Reply.json({"task": 7, "steps": []}), "llm_schema")],
)
def test_invalid_answer_is_reasked_then_fixed(
    openai_server: OpenAIServer, tmp_path: Path, fault: Reply, code: str
) -> None:
    openai_server.responder = lambda call: answer(call) if "rejected" in call.user_text else fault
    results, _ = run(tmp_path, n=2)
    assert all(r.ok for r in results)
    assert openai_server.requests == 4
    reask = openai_server.calls[-1].messages[-1]["content"]
    assert "rejected" in reask and ("schema" in reask or "not JSON" in reask)


@pytest.mark.parametrize(
    ("fault", "code"),
    [(Reply.not_json(), "llm_json"), (Reply.json({"task": 7, "steps": []}), "llm_schema")],
)
def test_invalid_answer_gives_up_with_last_answer(
    openai_server: OpenAIServer, tmp_path: Path, fault: Reply, code: str
) -> None:
    openai_server.responder = lambda call: fault
    results, store = run(tmp_path, config(reasks=2), n=2)
    assert {r.error_code for r in results} == {code}
    logged = store.records("llm_calls", LLMCall)
    assert len(logged) == 6 and all(c.error.startswith(f"{code}:") for c in logged)
    assert all(r.text == fault.content and r.value is None for r in results)
    assert openai_server.requests == 2 * 3


def test_fenced_answer_is_accepted(openai_server: OpenAIServer, tmp_path: Path) -> None:
    openai_server.responder = lambda call: (
        'Here you go:\n```json\n{"task": "Bold the title", "steps": ["Click Bold"]}\n```'
    )
    results, _ = run(tmp_path, n=1)
    assert results[0].ok and results[0].value["task"] == "Bold the title"


def test_concurrency_is_bounded(openai_server: OpenAIServer, tmp_path: Path) -> None:
    openai_server.responder = answer
    openai_server.latency = 0.05
    results, _ = run(tmp_path, config(concurrency=3), n=12)
    assert all(r.ok for r in results)
    assert 1 < openai_server.max_in_flight <= 3


@pytest.mark.parametrize("fast_http", [True, False])
def test_both_transports_answer_and_retry(
    openai_server: OpenAIServer, tmp_path: Path, fast_http: bool
) -> None:
    openai_server.responder = fail_first(1, Reply.server_error(), answer)
    results, _ = run(tmp_path, config(fast_http=fast_http), n=3)
    assert all(r.ok and r.info.attempts == 2 for r in results)
    assert openai_server.requests == 6
