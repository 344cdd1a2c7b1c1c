"""Fixtures shared across the test packages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lamdata.testing import OpenAIServer

#: A distinctive fake key: tests assert it never reaches the store or any output.
FAKE_OPENAI_KEY = "sk-lamdata-FAKE-KEY-7f3a9c2e5b1d"


@pytest.fixture
def openai_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAIServer]:
    """A local OpenAI-compatible server; OPENAI_BASE_URL/OPENAI_API_KEY point the SDK at it.

    Script it with ``server.responder = fn`` or ``server.enqueue(Reply...)``.
    """
    server = OpenAIServer().start()
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_OPENAI_KEY)
    try:
        yield server
    finally:
        server.stop()
