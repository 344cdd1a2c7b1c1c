"""A local OpenAI-compatible server for tests and benchmarks (127.0.0.1 only).

It answers ``POST /v1/chat/completions`` like the real API (same JSON shape, ``usage`` tokens),
so the real ``openai`` SDK talks to it over HTTP. What it answers is scripted:

- ``server.enqueue(reply, ...)`` queues replies that the next requests get, in order;
- otherwise the ``responder(call) -> Reply | str | dict | list`` computes the answer from the
  request (a dict or list is sent as JSON text; the default responder echoes the last user
  message as ``{"echo": ...}``);
- :class:`Reply` constructors give the faults: ``rate_limited`` (429 + Retry-After),
  ``server_error`` (500), ``hang`` (answers after the client's timeout), ``not_json``,
  ``json`` (any value, e.g. schema-invalid), ``bad_request`` (4xx), ``malformed`` (a body that
  is not a completion); :func:`unknown_control_action` builds an action naming a control that
  does not exist; :func:`fail_first` makes a responder fail the first N tries of each request.

Usage::

    with OpenAIServer(responder, latency=0.05) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        ...
        assert server.requests == 10
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

NONEXISTENT_CONTROL = "ctl_does_not_exist"


@dataclass
class Reply:
    """One scripted HTTP answer."""

    content: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    body: bytes | None = None

    @classmethod
    def json(cls, value: Any) -> Reply:
        return cls(content=json.dumps(value))

    @classmethod
    def text(cls, content: str) -> Reply:
        return cls(content=content)

    @classmethod
    def not_json(cls) -> Reply:
        return cls(content="Sure! Here is what you asked for: bold the first paragraph.")

    @classmethod
    def rate_limited(cls, retry_after: float = 0.05) -> Reply:
        return cls(status=429, headers={"Retry-After": f"{retry_after:g}"}, body=_error_body(429))

    @classmethod
    def server_error(cls, status: int = 500) -> Reply:
        return cls(status=status, body=_error_body(status))

    @classmethod
    def bad_request(cls, status: int = 400) -> Reply:
        return cls(status=status, body=_error_body(status))

    @classmethod
    def hang(cls, seconds: float = 30.0) -> Reply:
        """Answer only after ``seconds`` (or when the server stops): past any test timeout."""
        return cls(content="{}", delay=seconds)

    @classmethod
    def malformed(cls) -> Reply:
        return cls(body=b'{"object": "chat.completion", "choices": "none"}')


@dataclass
class ChatCall:
    """What a responder sees of one request."""

    number: int
    seen: int
    model: str
    messages: list[dict[str, Any]]
    body: dict[str, Any]

    @property
    def user_text(self) -> str:
        users = [m for m in self.messages if m.get("role") == "user"]
        return str(users[-1].get("content", "")) if users else ""

    @property
    def system_text(self) -> str:
        systems = [m for m in self.messages if m.get("role") == "system"]
        return str(systems[0].get("content", "")) if systems else ""


Responder = Callable[[ChatCall], "Reply | str | dict[str, Any] | list[Any]"]


def echo(call: ChatCall) -> dict[str, Any]:
    return {"echo": call.user_text}


def fail_first(times: int, fault: Reply, then: Responder) -> Responder:
    """A responder that answers ``fault`` to the first ``times`` tries of each distinct request."""

    def respond(call: ChatCall) -> Reply | str | dict[str, Any] | list[Any]:
        return fault if call.seen <= times else then(call)

    return respond


def unknown_control_action(step: int = 0, function: str = "click") -> dict[str, Any]:
    """An action (in the action schema) naming a control no app model has."""
    return {
        "step": step,
        "function": function,
        "control_id": NONEXISTENT_CONTROL,
        "control_text": "Does Not Exist",
        "control_type": "Button",
        "args_json": "{}",
    }


def _error_body(status: int) -> bytes:
    kinds = {429: "rate_limit_exceeded", 500: "server_error", 400: "invalid_request_error"}
    message = {"message": f"scripted error {status}", "type": kinds.get(status, "api_error")}
    return json.dumps({"error": message}).encode()


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


class OpenAIServer:
    """A threaded HTTP server on 127.0.0.1 (port chosen by the OS)."""

    def __init__(self, responder: Responder | None = None, *, latency: float = 0.0) -> None:
        self.responder: Responder = responder or echo
        self.latency = latency
        self.requests = 0
        self.statuses: Counter[int] = Counter()
        self.calls: list[ChatCall] = []
        self.authorization: set[str] = set()
        self.in_flight = 0
        self.responder_errors: list[str] = []
        self.max_in_flight = 0
        self._queue: list[Reply] = []
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def enqueue(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def start(self) -> OpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset_counts(self) -> None:
        with self._lock:
            self.requests = 0
            self.max_in_flight = 0
            self.statuses.clear()
            self.calls.clear()

    def _reply_for(self, body: dict[str, Any], authorization: str) -> tuple[Reply, ChatCall]:
        messages = body.get("messages") or []
        fingerprint = json.dumps([body.get("model"), messages], sort_keys=True)
        with self._lock:
            self.requests += 1
            self._seen[fingerprint] += 1
            self.authorization.add(authorization)
            call = ChatCall(
                self.requests, self._seen[fingerprint], str(body.get("model")), messages, body
            )
            self.calls.append(call)
            scripted = self._queue.pop(0) if self._queue else None
        try:
            answer = scripted if scripted is not None else self.responder(call)
        except Exception as exc:  # a broken responder is a test bug: say so in a 500
            self.responder_errors.append(f"{type(exc).__name__}: {exc}")
            message = {"error": {"message": f"responder raised {type(exc).__name__}: {exc}"}}
            answer = Reply(status=500, body=json.dumps(message).encode())
        if isinstance(answer, dict | list):
            answer = Reply.json(answer)
        elif isinstance(answer, str):
            answer = Reply.text(answer)
        return answer, call

    def _completion(self, reply: Reply, call: ChatCall) -> bytes:
        if reply.body is not None:
            return reply.body
        content = reply.content or ""
        prompt = sum(_tokens(str(m.get("content", ""))) for m in call.messages)
        return json.dumps(
            {
                "id": f"chatcmpl-{call.number}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": call.model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt,
                    "completion_tokens": _tokens(content),
                    "total_tokens": prompt + _tokens(content),
                },
            }
        ).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512
    owner: OpenAIServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once (no delayed-ACK stall)
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: tests read counts, not logs."""

    def do_POST(self) -> None:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(404, _error_body(404), {})
            return
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            self._send(400, _error_body(400), {})
            return
        reply, call = owner._reply_for(body, self.headers.get("Authorization", ""))
        with owner._lock:
            owner.in_flight += 1
            owner.max_in_flight = max(owner.max_in_flight, owner.in_flight)
        stopped = owner._stopped.wait(owner.latency + reply.delay)
        with owner._lock:
            owner.in_flight -= 1
            owner.statuses[reply.status] += 0 if stopped else 1
        if stopped:
            return
        self._send(reply.status, owner._completion(reply, call), reply.headers)

    def _send(self, status: int, payload: bytes, headers: dict[str, str]) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
