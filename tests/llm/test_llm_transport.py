"""The lean http:// transport against a raw asyncio server that answers byte by byte."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Awaitable, Callable
from typing import Any

import httpx2
import pytest

from lamdata.llm.transport import StreamTransport

Behaviour = Callable[[asyncio.StreamWriter], Awaitable[bool]]  # True: keep the connection


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return await reader.readexactly(length)


def scenario(behaviours: list[Behaviour], requests: list[dict[str, Any]]) -> dict[str, Any]:
    """Serve ``behaviours`` in order (one per request) and send ``requests``; report results."""
    seen: dict[str, Any] = {"connections": 0, "bodies": [], "results": []}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen["connections"] += 1
        while behaviours:
            try:
                seen["bodies"].append(await read_request(reader))
            except (asyncio.IncompleteReadError, ConnectionError):
                break
            if not await behaviours.pop(0)(writer):
                break
        writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with httpx2.AsyncClient(transport=StreamTransport()) as client:
            for spec in requests:
                url = spec.get("url", f"http://127.0.0.1:{port}/v1/chat/completions")
                try:
                    response = await client.post(url, content=b'{"q": 1}', timeout=spec.get("t", 5))
                    seen["results"].append((response.status_code, response.content))
                except httpx2.HTTPError as exc:
                    seen["results"].append(type(exc).__name__)
        server.close()

    asyncio.run(main())
    return seen


def reply(raw: bytes, keep: bool = True) -> Behaviour:
    async def send(writer: asyncio.StreamWriter) -> bool:
        writer.write(raw)
        await writer.drain()
        return keep

    return send


OK = b'HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n{"a":1}'


def test_keep_alive_reuses_one_connection() -> None:
    seen = scenario([reply(OK), reply(OK), reply(OK)], [{}, {}, {}])
    assert seen["results"] == [(200, b'{"a":1}')] * 3
    assert seen["connections"] == 1 and seen["bodies"] == [b'{"q": 1}'] * 3


def test_chunked_body_with_trailers() -> None:
    raw = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b'4\r\n{"a"\r\n3;ext=1\r\n:1}\r\n0\r\nX-Trailer: y\r\n\r\n'
    )
    seen = scenario([reply(raw), reply(OK)], [{}, {}])
    assert seen["results"] == [(200, b'{"a":1}'), (200, b'{"a":1}')]
    assert seen["connections"] == 1


def test_body_until_close_and_no_reuse() -> None:
    raw = b"HTTP/1.1 500 Oops\r\nConnection: close\r\n\r\nserver error"
    seen = scenario([reply(raw, keep=False), reply(OK)], [{}, {}])
    assert seen["results"] == [(500, b"server error"), (200, b'{"a":1}')]
    assert seen["connections"] == 2


def test_idle_connection_closed_by_server_is_retried_once() -> None:
    seen = scenario([reply(OK, keep=False), reply(OK)], [{}, {}])
    assert seen["results"] == [(200, b'{"a":1}'), (200, b'{"a":1}')]
    assert seen["connections"] == 2


def test_gzip_body_is_decoded() -> None:
    packed = gzip.compress(b'{"a":1}')
    raw = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(packed)
    seen = scenario([reply(raw + packed)], [{}])
    assert seen["results"] == [(200, b'{"a":1}')]


def test_truncated_body_is_a_protocol_error() -> None:
    raw = b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"a"'
    seen = scenario([reply(raw, keep=False)], [{}])
    assert seen["results"] == ["RemoteProtocolError"]


def test_silence_past_the_timeout_is_a_read_timeout() -> None:
    async def silent(writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(2)
        return False

    seen = scenario([silent], [{"t": 0.2}])
    assert seen["results"] == ["ReadTimeout"]


def test_refused_connection_and_https_are_errors() -> None:
    seen = scenario([], [{"url": "http://127.0.0.1:9/v1/x"}, {"url": "https://127.0.0.1:1/"}])
    assert seen["results"] == ["ConnectError", "UnsupportedProtocol"]


@pytest.mark.parametrize("status", [204, 304])
def test_bodiless_statuses_do_not_wait_for_a_body(status: int) -> None:
    raw = b"HTTP/1.1 %d Nothing\r\n\r\n" % status
    seen = scenario([reply(raw), reply(OK)], [{}, {}])
    assert seen["results"] == [(status, b""), (200, b'{"a":1}')]
