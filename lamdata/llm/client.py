"""The async client: one place where lamdata asks a model for a JSON answer.

Design notes
- One :class:`LLMRequest` is one logical question (a record's prompt, its answer schema). The
  client answers a batch of them at once with :meth:`LLMClient.complete_json`; an
  ``asyncio.Semaphore`` bounds the HTTP requests in flight, a :class:`RateLimiter` optionally
  paces them per minute.
- Each HTTP exchange is retried on 429, 408/409, 5xx, timeouts and lost connections with
  jittered exponential backoff that honours ``Retry-After``, up to ``max_attempts``; another 4xx
  is terminal for that record. The SDK's own retries are off (``max_retries=0``).
- The answer is parsed and validated against its schema; an invalid answer is re-asked with the
  validation error (``reasks`` times). A request that still fails becomes an
  :class:`LLMResult` with ``ok=False``, the last answer and a reason: the caller quarantines
  it, nothing is ever turned into an empty value.
- The key is read from ``OPENAI_API_KEY`` when the SDK client is built and scrubbed from every
  error text this module produces.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx2

from lamdata.errors import ConfigError, LLMTerminalError, LLMTransientError
from lamdata.llm.backend import LLMConfig
from lamdata.llm.cache import CallStore, request_key
from lamdata.llm.limits import RateLimiter, backoff_delay, estimate_tokens, retry_after
from lamdata.llm.structured import AnswerError, parse_answer, reask_message
from lamdata.llm.transport import StreamTransport
from lamdata.records import LLMInfo

if TYPE_CHECKING:  # the SDK costs ~0.4 s to import: only a model run pays for it
    import openai
from lamdata.records.llm import LLMCacheEntry, LLMCall

_BEARER = re.compile(r"(?i)bearer\s+\S+")
#: OpenAI-style keys, also as servers echo them masked ("Incorrect API key provided: sk-ab**cd").
_KEYLIKE = re.compile(r"\bsk-[A-Za-z0-9_*.\-]{4,}")
_RETRY_STATUSES = {408, 409}
Progress = Callable[..., None]


@dataclass(frozen=True)
class LLMRequest:
    """One question: ``key`` names the caller's record (it goes into the call log)."""

    key: str
    prompt_id: str
    schema: str
    messages: list[dict[str, str]]
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class LLMResult:
    """The answer to one request: ``value`` when ``ok``, else ``error`` and the last ``text``."""

    key: str
    ok: bool
    value: Any = None
    text: str = ""
    error: str = ""
    info: LLMInfo = field(default_factory=LLMInfo)

    @property
    def error_code(self) -> str:
        return self.error.split(":", 1)[0] if self.error else ""


@dataclass
class _Exchange:
    text: str
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: float = 0.0
    attempts: int = 0
    cached: bool = False
    call: LLMCall | None = None  # its row in the call log, to note a rejected answer


def scrub(text: str, secret: str | None) -> str:
    """``text`` without the secret and without any bearer token."""
    if secret:
        text = text.replace(secret, "***")
    return _KEYLIKE.sub("sk-***", _BEARER.sub("Bearer ***", text))


def build_sdk(config: LLMConfig) -> openai.AsyncOpenAI:
    """An SDK client with the key and base URL from the environment, SDK retries off."""
    import openai

    key = os.environ.get("OPENAI_API_KEY")
    base_url = os.environ.get("OPENAI_BASE_URL") or None
    if not key and not base_url:
        raise ConfigError(
            "OPENAI_API_KEY is not set",
            hint="export OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server)",
        )
    http_client = None
    if config.fast_http and (base_url or "").startswith("http://"):
        http_client = openai.DefaultAsyncHttpxClient(transport=StreamTransport())
    # A local server (vLLM, Ollama, llama.cpp) ignores the key but the SDK requires one.
    return openai.AsyncOpenAI(
        api_key=key or "no-key",
        base_url=base_url,
        timeout=config.timeout,
        max_retries=0,
        http_client=http_client,
    )


class LLMClient:
    """Use as ``async with LLMClient(config, calls=CallStore(store, run_id)) as client``."""

    def __init__(self, config: LLMConfig, *, calls: CallStore | None = None) -> None:
        self.config = config
        self.calls = calls or CallStore(None)
        self._sdk: openai.AsyncOpenAI | None = None
        self._gate = asyncio.Semaphore(config.concurrency)
        self._limiter = RateLimiter(config.rpm, config.tpm)
        self._rng = random.Random(0)

    async def __aenter__(self) -> LLMClient:
        self._sdk = build_sdk(self.config)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._sdk is not None:
            await self._sdk.close()
            self._sdk = None

    async def complete_json(
        self, requests: list[LLMRequest], progress: Progress | None = None
    ) -> list[LLMResult]:
        """Answer every request (concurrently, bounded); results are in request order."""

        async def one(request: LLMRequest) -> LLMResult:
            result = await self.ask(request)
            if progress is not None:
                progress(1)
            return result

        return list(await asyncio.gather(*(one(r) for r in requests)))

    async def ask(self, request: LLMRequest) -> LLMResult:
        """One request through re-asks; never raises for a model or server failure."""
        messages = list(request.messages)
        info = LLMInfo(backend="openai", model=self.config.model, prompt_id=request.prompt_id)
        text, error = "", ""
        for round_ in range(self.config.reasks + 1):
            try:
                exchange = await self._exchange(request, messages)
            except _Failed as exc:
                info.cached = False
                info.attempts += exc.attempts
                return LLMResult(request.key, False, text=text, error=exc.message, info=info)
            _add(info, exchange, first=round_ == 0)
            text = exchange.text
            try:
                value = parse_answer(text, request.schema)
            except AnswerError as exc:
                error = f"{exc.code}: {exc.message}"
                if exchange.call is not None:
                    exchange.call.error = error
                messages += [
                    {"role": "assistant", "content": text},
                    {"role": "user", "content": reask_message(exc)},
                ]
                continue
            return LLMResult(request.key, True, value=value, text=text, info=info)
        return LLMResult(request.key, False, text=text, error=error, info=info)

    async def _exchange(self, request: LLMRequest, messages: list[dict[str, str]]) -> _Exchange:
        params = {**self.config.params, **request.params}
        key = request_key(self.config.model, request.prompt_id, messages, params)
        hit = self.calls.get(key) if self.config.cache else None
        if hit is not None:
            exchange = _Exchange(hit.text, hit.tokens_in, hit.tokens_out, cached=True)
            exchange.call = self._log(request, key, exchange, "")
            return exchange
        try:
            exchange = await self._with_retries(messages, params)
        except _Failed as exc:
            self._log(request, key, _Exchange("", attempts=exc.attempts), exc.message)
            raise
        entry = LLMCacheEntry(key, self.config.model, request.prompt_id, exchange.text)
        entry.tokens_in, entry.tokens_out = exchange.tokens_in, exchange.tokens_out
        self.calls.put(entry)
        exchange.call = self._log(request, key, exchange, "")
        return exchange

    def _log(self, request: LLMRequest, key: str, exchange: _Exchange, error: str) -> LLMCall:
        return self.calls.log(
            LLMCall(
                id="",
                run_id="",
                key=key,
                record_key=request.key,
                model=self.config.model,
                prompt_id=request.prompt_id,
                tokens_in=exchange.tokens_in,
                tokens_out=exchange.tokens_out,
                latency_ms=round(exchange.latency_ms, 3),
                attempts=exchange.attempts,
                cached=exchange.cached,
                error=error,
            )
        )

    async def _with_retries(
        self, messages: list[dict[str, str]], params: dict[str, Any]
    ) -> _Exchange:
        start = time.perf_counter()
        last = ""
        for attempt in range(1, self.config.max_attempts + 1):
            try:
                exchange = await self._attempt(messages, params)
            except LLMTerminalError as exc:
                raise _Failed(exc.message, attempt) from exc
            except _Retry as retry:
                last = retry.message
                if attempt < self.config.max_attempts:
                    await asyncio.sleep(self._delay(attempt, retry.after))
                continue
            exchange.attempts = attempt
            exchange.latency_ms = (time.perf_counter() - start) * 1000
            return exchange
        raise _Failed(
            f"llm_gave_up: no answer after {self.config.max_attempts} attempts ({last})",
            self.config.max_attempts,
        )

    def _delay(self, attempt: int, hint: float | None) -> float:
        cfg = self.config
        return backoff_delay(attempt, cfg.backoff, cfg.backoff_max, hint, self._rng)

    async def _attempt(self, messages: list[dict[str, str]], params: dict[str, Any]) -> _Exchange:
        estimate = estimate_tokens(messages, int(params.get("max_tokens", 256)))
        await self._limiter.acquire(estimate)
        async with self._gate:
            completion = await self._post(messages, params)
        exchange = _read_completion(completion, self._secret)
        self._limiter.correct(estimate, exchange.tokens_in + exchange.tokens_out)
        return exchange

    @property
    def _secret(self) -> str | None:
        return self._sdk.api_key if self._sdk is not None else None

    async def _post(self, messages: list[dict[str, str]], params: dict[str, Any]) -> Any:
        """POST /chat/completions through the SDK (its auth, errors and HTTP client) and
        return the decoded JSON body: the SDK's raw-response path (``cast_to=httpx2.Response``)
        skips request transforms and model parsing that cost more than the request itself."""
        import openai

        if self._sdk is None:
            raise RuntimeError("use LLMClient inside 'async with'")
        body = {"model": self.config.model, "messages": messages, **params}
        try:
            async with asyncio.timeout(self.config.timeout):
                response = await self._sdk.post(
                    "/chat/completions", body=body, cast_to=httpx2.Response
                )
                return json.loads(await response.aread())
        except TimeoutError as exc:
            raise _Retry(f"timeout after {self.config.timeout}s") from exc
        except openai.APIStatusError as exc:
            raise _status_error(exc, self._secret) from exc
        except openai.APITimeoutError as exc:
            raise _Retry(f"timeout after {self.config.timeout}s") from exc
        except openai.APIError as exc:
            raise _Retry(scrub(f"{type(exc).__name__}: {exc}", self._secret)) from exc
        except (json.JSONDecodeError, UnicodeDecodeError, httpx2.HTTPError) as exc:
            raise _Retry(scrub(f"unreadable response: {type(exc).__name__}", self._secret)) from exc


class _Failed(LLMTransientError):
    """A request given up on (terminal error or attempts exhausted), with its attempt count."""

    def __init__(self, message: str, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts


class _Retry(Exception):
    """A failure worth another attempt, with the server's wait hint."""

    def __init__(self, message: str, after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.after = after


def _status_error(exc: openai.APIStatusError, secret: str | None) -> Exception:
    status = exc.status_code
    message = scrub(f"HTTP {status}: {exc.message}", secret)[:500]
    if status == 429 or status >= 500 or status in _RETRY_STATUSES:
        return _Retry(message, retry_after(exc.response.headers))
    return LLMTerminalError(f"llm_terminal: {message}")


def _read_completion(completion: Any, secret: str | None) -> _Exchange:
    """Answer text and usage from a Chat Completions JSON body."""
    try:
        text = completion["choices"][0]["message"]["content"] or ""
        if not isinstance(text, str):
            raise TypeError("content is not text")
    except (KeyError, IndexError, TypeError) as exc:
        shown = scrub(json.dumps(completion)[:200], secret)
        raise _Retry(f"malformed completion from the server: {shown}") from exc
    usage = completion.get("usage") or {}
    tokens_in = int(usage.get("prompt_tokens") or 0) if isinstance(usage, dict) else 0
    tokens_out = int(usage.get("completion_tokens") or 0) if isinstance(usage, dict) else 0
    return _Exchange(text, tokens_in, tokens_out)


def _add(info: LLMInfo, exchange: _Exchange, *, first: bool) -> None:
    info.tokens_in += exchange.tokens_in
    info.tokens_out += exchange.tokens_out
    info.latency_ms = round(info.latency_ms + exchange.latency_ms, 3)
    info.attempts += exchange.attempts
    info.cached = exchange.cached and (first or info.cached)
