"""The LLM layer's pure parts: backend specs, prices, parsing, pacing, prompts, scrubbing."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lamdata.errors import ConfigError
from lamdata.llm import (
    AnswerError,
    Price,
    account,
    build_messages,
    config_from_settings,
    extract_json,
    parse_answer,
    parse_backend,
    scrub,
)
from lamdata.llm.backend import load_prices
from lamdata.llm.limits import RateLimiter, _Bucket, backoff_delay, retry_after
from lamdata.records.llm import LLMCall
from lamdata.settings import Settings
from lamdata.store import Summary


def test_backend_specs() -> None:
    assert parse_backend(None).offline and parse_backend("offline").offline
    backend = parse_backend(" openai:gpt-4o-mini ")
    assert (backend.kind, backend.model, backend.spec) == (
        "openai",
        "gpt-4o-mini",
        "openai:gpt-4o-mini",
    )
    for bad in ("openai", "openai:", "anthropic:claude", "gpt-4"):
        with pytest.raises(ConfigError):
            parse_backend(bad)


def test_config_needs_a_model_and_reads_prices(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="offline"):
        config_from_settings(Settings())
    toml = tmp_path / "lamdata.toml"
    toml.write_text('[lamdata.prices]\n"m1" = { input = 2.0, output = 8.0 }\n', encoding="utf-8")
    cfg = config_from_settings(Settings(llm="openai:m1", concurrency=3, config_file=str(toml)))
    assert cfg.model == "m1" and cfg.concurrency == 3 and cfg.price == Price(2.0, 8.0)
    toml.write_text('[lamdata.prices]\n"m1" = "cheap"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="price"):
        load_prices(str(toml))


def test_account_adds_fresh_tokens_and_cost() -> None:
    calls = [
        LLMCall("a", "r", "k1", "x", "m", "p", tokens_in=1000, tokens_out=500),
        LLMCall("b", "r", "k2", "y", "m", "p", tokens_in=1000, tokens_out=500, cached=True),
        LLMCall("c", "r", "k3", "z", "m", "p", error="llm_gave_up: ..."),
    ]
    summary = Summary("t")
    account(summary, calls, Price(input=2.0, output=8.0))
    assert (summary.llm_calls, summary.cache_hits) == (3, 1)
    assert (summary.tokens_in, summary.tokens_out) == (1000, 500)
    assert summary.notes["cost_usd"] == pytest.approx(0.006)
    assert summary.notes["llm_failed_calls"] == 1


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1}',
        'Sure:\n```json\n{"a": 1}\n```\nanything else?',
        '```\n{"a": 1}\n```',
        'The answer is {"a": 1}.',
    ],
)
def test_extract_json_tolerates_fences_and_prose(text: str) -> None:
    assert extract_json(text) == {"a": 1}


def test_extract_json_refuses_non_json() -> None:
    with pytest.raises(AnswerError) as info:
        extract_json("no braces here")
    assert info.value.code == "llm_json"


@given(st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=8), max_size=4))
def test_fenced_round_trip(value: dict[str, object]) -> None:
    import json

    assert extract_json(f"```json\n{json.dumps(value)}\n```") == value


def test_parse_answer_names_the_pointer() -> None:
    with pytest.raises(AnswerError) as info:
        parse_answer('{"task": "Bold it", "steps": [7]}', "llm_evolve")
    assert info.value.code == "llm_schema" and "/steps/0" in info.value.message
    assert parse_answer('{"feasible": false, "steps": []}', "llm_plan")["feasible"] is False
    with pytest.raises(AnswerError):
        parse_answer('{"feasible": true, "steps": []}', "llm_plan")


def test_retry_after_forms() -> None:
    assert retry_after({"retry-after": "2"}) == 2.0
    assert retry_after({"retry-after-ms": "250"}) == 0.25
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 < (retry_after({"retry-after": later}) or 0) <= 30
    assert retry_after({"retry-after": "soon"}) is None and retry_after({}) is None


def test_backoff_grows_is_capped_and_honours_the_hint() -> None:
    rng = random.Random(1)
    first = [backoff_delay(1, 1.0, 60, None, rng) for _ in range(50)]
    third = [backoff_delay(3, 1.0, 60, None, rng) for _ in range(50)]
    assert all(0.5 <= d <= 1.0 for d in first) and all(2.0 <= d <= 4.0 for d in third)
    assert backoff_delay(20, 1.0, 10, None, rng) <= 10
    assert backoff_delay(1, 0.01, 60, 3.0, rng) == 3.0
    assert backoff_delay(1, 0.01, 5, 3600.0, rng) == 5


def test_bucket_makes_the_next_request_wait() -> None:
    bucket = _Bucket(60)
    assert bucket.wait_for(1) == 0
    bucket.level -= 60
    assert 0.5 < bucket.wait_for(1) <= 1.0  # one request per second at 60 rpm


def test_rate_limiter_tokens_are_corrected() -> None:
    limiter = RateLimiter(rpm=0, tpm=600)
    assert limiter._tokens is not None
    limiter._tokens.level = 100
    limiter.correct(estimated=50, actual=150)
    assert limiter._tokens.level <= 0.5


def test_prompts_fill_values_and_carry_the_schema() -> None:
    messages = build_messages("plan.v1", "llm_plan", app="word", task="bold text", variants="x")
    assert [m["role"] for m in messages] == ["system", "user"]
    assert '"feasible"' in messages[0]["content"] and "Task: bold text" in messages[1]["content"]
    with pytest.raises(ConfigError, match="variants"):
        build_messages("plan.v1", "llm_plan", app="word", task="bold")
    with pytest.raises(ConfigError, match="no prompt"):
        build_messages("nope.v9", "llm_plan")


def test_scrub_removes_the_secret_and_bearer_tokens() -> None:
    text = "401 for key sk-secret-1 (Authorization: Bearer sk-secret-1)"
    cleaned = scrub(text, "sk-secret-1")
    assert "sk-secret-1" not in cleaned and "Bearer ***" in cleaned
    echoed = scrub("Incorrect API key provided: sk-proj-ab***********wxyz.", None)
    assert "wxyz" not in echoed and "sk-***" in echoed


class FakeClock:
    """Time that passes only when the limiter sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def paced(monkeypatch: pytest.MonkeyPatch, rpm: int, tpm: int, costs: list[int]) -> FakeClock:
    import asyncio

    from lamdata.llm import limits

    clock = FakeClock()
    monkeypatch.setattr(limits, "_clock", clock.monotonic)
    monkeypatch.setattr(limits, "_sleep", clock.sleep)
    limiter = RateLimiter(rpm=rpm, tpm=tpm)

    async def go() -> None:
        await asyncio.gather(*(limiter.acquire(cost) for cost in costs))

    asyncio.run(go())
    return clock


def test_requests_per_minute_are_spread_over_the_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = paced(monkeypatch, rpm=2, tpm=0, costs=[10] * 5)
    assert clock.now == pytest.approx(90.0)  # two at once, then one every 30 s
    assert len(clock.sleeps) == 3


def test_tokens_per_minute_hold_back_big_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = paced(monkeypatch, rpm=0, tpm=1000, costs=[600, 600, 600])
    assert clock.now == pytest.approx(48.0)  # 1000 at once, then 100 tokens per 6 s
    unlimited = paced(monkeypatch, rpm=0, tpm=0, costs=[10**6] * 3)
    assert unlimited.now == 0 and unlimited.sleeps == []
