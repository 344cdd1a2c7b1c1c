"""Which model answers, and how the client talks to it: ``--llm`` parsing and :class:`LLMConfig`.

``offline`` means no model at all (stages use their deterministic rules); ``openai:MODEL`` means
the official ``openai`` SDK against ``OPENAI_BASE_URL`` (OpenAI, Azure OpenAI, vLLM, Ollama,
llama.cpp server). The price table is read from the config file's ``[lamdata.prices]`` table,
USD per million tokens: ``"gpt-4o-mini" = { input = 0.15, output = 0.6 }``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lamdata.errors import ConfigError
from lamdata.settings import Settings, resolve

OFFLINE = "offline"


@dataclass(frozen=True)
class Backend:
    """A parsed ``--llm`` value."""

    kind: str
    model: str | None = None

    @property
    def offline(self) -> bool:
        return self.kind == OFFLINE

    @property
    def spec(self) -> str:
        return self.kind if self.model is None else f"{self.kind}:{self.model}"


def parse_backend(spec: str | None) -> Backend:
    """``offline`` (or empty) → offline; ``openai:MODEL`` → the OpenAI-compatible backend."""
    text = (spec or OFFLINE).strip()
    if text == OFFLINE:
        return Backend(OFFLINE)
    kind, _, model = text.partition(":")
    if kind != "openai" or not model.strip():
        raise ConfigError(
            f"unknown --llm backend {text!r}",
            hint="use 'offline' or 'openai:MODEL' (e.g. openai:gpt-4o-mini)",
        )
    return Backend("openai", model.strip())


@dataclass(frozen=True)
class Price:
    """USD per million input and output tokens."""

    input: float = 0.0
    output: float = 0.0

    def cost(self, tokens_in: int, tokens_out: int) -> float:
        return (tokens_in * self.input + tokens_out * self.output) / 1_000_000


@dataclass(frozen=True)
class LLMConfig:
    """Everything the client needs but the key (read from the environment when it is built)."""

    model: str
    concurrency: int = 16
    timeout: float = 60.0
    max_attempts: int = 5
    reasks: int = 2
    cache: bool = True
    rpm: int = 0
    tpm: int = 0
    backoff: float = 1.0
    backoff_max: float = 60.0
    params: dict[str, Any] = field(default_factory=lambda: {"temperature": 0})
    price: Price | None = None
    #: Use the lean keep-alive transport for plain http:// endpoints (see llm/transport.py).
    fast_http: bool = True

    def with_(self, **changes: Any) -> LLMConfig:
        return replace(self, **changes)


def config_from_settings(settings: Settings, backend: Backend | None = None) -> LLMConfig:
    """The client configuration for ``settings.llm`` (which must not be offline)."""
    backend = backend or parse_backend(settings.llm)
    if backend.offline or backend.model is None:
        raise ConfigError(
            "this needs a model but --llm is 'offline'",
            hint="pass --llm openai:MODEL and set OPENAI_API_KEY (and OPENAI_BASE_URL)",
        )
    if settings.concurrency < 1 or settings.max_attempts < 1 or settings.timeout <= 0:
        raise ConfigError("--concurrency, max_attempts and timeout must be positive")
    return LLMConfig(
        model=backend.model,
        concurrency=settings.concurrency,
        timeout=settings.timeout,
        max_attempts=settings.max_attempts,
        cache=settings.cache,
        rpm=settings.rpm,
        tpm=settings.tpm,
        backoff=settings.backoff,
        price=load_prices(settings.config_file).get(backend.model),
    )


def llm_config_for(backend: Backend, given: LLMConfig | None) -> LLMConfig | None:
    """The client config of a stage's backend: None offline, else ``given`` or one from the
    settings (a stage's ``llm_config`` is a library argument: runtime knobs, not options)."""
    if given is not None and not isinstance(given, LLMConfig):
        raise ConfigError(
            "llm_config is a library argument, not a pipeline option",
            hint="set concurrency, timeout, cache in lamdata.toml or LAMDATA_* variables",
        )
    if backend.offline:
        return None
    return given or config_from_settings(resolve(llm=backend.spec), backend)


def load_prices(config_file: str | None) -> dict[str, Price]:
    """The ``[lamdata.prices]`` table of the config file (empty when there is none)."""
    if not config_file or not Path(config_file).is_file():
        return {}
    data = tomllib.loads(Path(config_file).read_text(encoding="utf-8"))
    table = data.get("lamdata", data).get("prices", {})
    prices: dict[str, Price] = {}
    for model, value in table.items() if isinstance(table, dict) else []:
        try:
            prices[model] = Price(float(value.get("input", 0)), float(value.get("output", 0)))
        except (AttributeError, TypeError, ValueError) as exc:
            raise ConfigError(
                f"price of {model!r} in {config_file} is not {{input = N, output = N}}"
            ) from exc
    return prices
