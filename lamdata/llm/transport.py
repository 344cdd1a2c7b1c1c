"""A lean HTTP/1.1 transport for plain ``http://`` endpoints (vLLM, Ollama, llama.cpp, the
local test server), plugged under the openai SDK's own ``httpx2`` client.

Why: at 64 requests in flight, httpx2's connection pool (httpcore2 on anyio, h11) costs about
1 ms of CPU per request on a small machine — more than the layer's own work and enough to keep
a local endpoint idle. This transport keeps a stack of keep-alive asyncio streams per host,
writes a request in one write and parses the response (Content-Length, chunked, or until
close). Everything above it is unchanged: the SDK builds the request, adds the key, maps errors;
``https://`` endpoints keep httpx2's default transport (TLS, HTTP/2, proxies).

Failures are raised as httpx2 exceptions (``ConnectError``, ``ReadError``, ``ReadTimeout``,
``RemoteProtocolError``), which the SDK turns into its ``APIConnectionError`` /
``APITimeoutError``. A connection is returned to the pool only after a complete response; on
any error or cancellation it is closed. A reused connection that the server closed while idle
is retried once on a fresh one.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import httpx2

MAX_IDLE = 256
_Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class StreamTransport(httpx2.AsyncBaseTransport):
    """HTTP/1.1 over pooled asyncio streams, for ``http://`` URLs only."""

    def __init__(self) -> None:
        self._idle: dict[tuple[str, int], list[_Conn]] = {}

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.url.scheme != "http":
            raise httpx2.UnsupportedProtocol("StreamTransport serves http:// only", request=request)
        body = await request.aread()
        head = _head(request, body)
        timeout = _read_timeout(request)
        try:
            async with asyncio.timeout(timeout):
                return await self._exchange(request, head + body)
        except TimeoutError as exc:
            raise httpx2.ReadTimeout(f"no response within {timeout}s", request=request) from exc

    async def _exchange(self, request: httpx2.Request, payload: bytes) -> httpx2.Response:
        key = (request.url.host, request.url.port or 80)
        reused = bool(self._idle.get(key))
        conn = await self._connect(key, request)
        try:
            response = await _send(conn, payload, request)
        except _StaleConnection as exc:
            _close(conn)
            if not reused:
                message = "server closed the connection"
                raise httpx2.RemoteProtocolError(message, request=request) from exc
            conn = await self._connect(key, request, fresh=True)
            try:
                response = await _send(conn, payload, request)
            except BaseException:
                _close(conn)
                raise
        except BaseException:
            _close(conn)
            raise
        self._release(key, conn, response)
        return response

    async def _connect(
        self, key: tuple[str, int], request: httpx2.Request, *, fresh: bool = False
    ) -> _Conn:
        idle = self._idle.get(key)
        if idle and not fresh:
            return idle.pop()
        try:
            return await asyncio.open_connection(*key)
        except OSError as exc:
            raise httpx2.ConnectError(
                f"cannot connect to {key[0]}:{key[1]}", request=request
            ) from exc

    def _release(self, key: tuple[str, int], conn: _Conn, response: httpx2.Response) -> None:
        idle = self._idle.setdefault(key, [])
        closing = response.headers.get("connection", "").lower() == "close"
        if closing or conn[0].at_eof() or len(idle) >= MAX_IDLE:
            _close(conn)
        else:
            idle.append(conn)

    async def aclose(self) -> None:
        for conns in self._idle.values():
            for conn in conns:
                _close(conn)
        self._idle.clear()


class _StaleConnection(Exception):
    """The connection ended before any byte of the response."""


def _head(request: httpx2.Request, body: bytes) -> bytes:
    lines = [f"{request.method} ".encode() + request.url.raw_path + b" HTTP/1.1"]
    names = set()
    for name, value in request.headers.raw:
        names.add(name.lower())
        lines.append(name + b": " + value)
    if b"content-length" not in names and b"transfer-encoding" not in names:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n"


def _read_timeout(request: httpx2.Request) -> float | None:
    timeouts: Any = request.extensions.get("timeout") or {}
    value = timeouts.get("read") if isinstance(timeouts, dict) else None
    return float(value) if value is not None else None


async def _send(conn: _Conn, payload: bytes, request: httpx2.Request) -> httpx2.Response:
    reader, writer = conn
    try:
        writer.write(payload)
        await writer.drain()
        status_line = await reader.readline()
    except (ConnectionError, OSError) as exc:
        raise _StaleConnection() from exc
    if not status_line:
        raise _StaleConnection()
    try:
        status = int(status_line.split(b" ", 2)[1])
        headers = await _headers(reader)
        content = await _body(reader, headers, status, request.method)
    except (ValueError, IndexError, asyncio.IncompleteReadError) as exc:
        raise httpx2.RemoteProtocolError(
            f"malformed HTTP response ({exc})", request=request
        ) from exc
    except (ConnectionError, OSError) as exc:
        raise httpx2.ReadError(f"connection lost while reading ({exc})", request=request) from exc
    extensions = {"http_version": b"HTTP/1.1", "reason_phrase": status_line.split(b" ", 2)[-1]}
    return httpx2.Response(
        status, headers=headers, content=content, request=request, extensions=extensions
    )


async def _headers(reader: asyncio.StreamReader) -> list[tuple[bytes, bytes]]:
    headers: list[tuple[bytes, bytes]] = []
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            return headers
        name, sep, value = line.partition(b":")
        if not sep:
            raise ValueError(f"bad header line {line[:80]!r}")
        headers.append((name.strip(), value.strip()))


async def _body(
    reader: asyncio.StreamReader, headers: list[tuple[bytes, bytes]], status: int, method: str
) -> bytes:
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return b""
    fields = {name.lower(): value for name, value in headers}
    if fields.get(b"transfer-encoding", b"").lower().endswith(b"chunked"):
        return await _chunked(reader)
    if b"content-length" in fields:
        return await reader.readexactly(int(fields[b"content-length"]))
    return await reader.read()


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        line = await reader.readline()
        if not line:
            raise ValueError("chunked body ended early")
        size = int(line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            await _headers(reader)  # trailers, then the blank line
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


def _close(conn: _Conn) -> None:
    with contextlib.suppress(Exception):
        conn[1].close()
