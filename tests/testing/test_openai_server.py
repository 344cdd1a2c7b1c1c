"""The test server itself: routes, scripted replies, counts, usage."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from lamdata.testing import NONEXISTENT_CONTROL, OpenAIServer, Reply, unknown_control_action
from lamdata.validation import errors


def post(server: OpenAIServer, path: str, body: bytes) -> tuple[int, dict[str, Any], Any]:
    request = urllib.request.Request(
        server.base_url.removesuffix("/v1") + path,
        data=body,
        headers={"Content-Type": "application/json", "Authorization": "Bearer t"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), json.loads(exc.read())


def chat(text: str) -> bytes:
    return json.dumps({"model": "m", "messages": [{"role": "user", "content": text}]}).encode()


@pytest.fixture
def server() -> Any:
    with OpenAIServer() as running:
        yield running


def test_default_responder_echoes_with_usage(server: OpenAIServer) -> None:
    status, _, body = post(server, "/v1/chat/completions", chat("hello there"))
    assert status == 200 and body["object"] == "chat.completion"
    assert json.loads(body["choices"][0]["message"]["content"]) == {"echo": "hello there"}
    assert body["usage"]["prompt_tokens"] > 0 and body["usage"]["completion_tokens"] > 0
    assert server.requests == 1 and server.statuses[200] == 1
    assert server.authorization == {"Bearer t"}


def test_queued_replies_come_first_in_order(server: OpenAIServer) -> None:
    server.enqueue(Reply.rate_limited(1.5), Reply.server_error())
    status, headers, body = post(server, "/v1/chat/completions", chat("a"))
    assert status == 429 and headers["Retry-After"] == "1.5" and "error" in body
    assert post(server, "/v1/chat/completions", chat("a"))[0] == 500
    assert post(server, "/v1/chat/completions", chat("a"))[0] == 200
    assert [c.seen for c in server.calls] == [1, 2, 3]
    server.reset_counts()
    assert server.requests == 0 and not server.statuses


def test_unknown_routes_and_bad_bodies(server: OpenAIServer) -> None:
    assert post(server, "/v1/embeddings", chat("x"))[0] == 404
    assert post(server, "/v1/chat/completions", b"{not json")[0] == 400


def test_unknown_control_action_is_a_valid_action() -> None:
    action = unknown_control_action(step=2, function="click")
    assert errors("action", action) == []
    assert action["control_id"] == NONEXISTENT_CONTROL


def test_a_broken_responder_answers_500_and_is_recorded(server: OpenAIServer) -> None:
    def broken(call: object) -> dict[str, Any]:
        raise KeyError("missing")

    server.responder = broken
    status, _, body = post(server, "/v1/chat/completions", chat("x"))
    assert status == 500 and "KeyError" in body["error"]["message"]
    assert server.responder_errors == ["KeyError: 'missing'"]
