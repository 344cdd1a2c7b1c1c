"""The LLM layer against the local test server: concurrency speed-up and cache replay.

    python -m benchmarks llm [--n=2000] [--latency=0.05] [--concurrency=64] [--baseline-n=100]

Every request goes through the real openai SDK over HTTP to a server that answers after
``latency`` seconds. Figures: wall time at ``concurrency`` against the ideal
``n x latency / concurrency``; the same per-request cost at concurrency 1 (the paper's
sequential loop, measured on ``baseline-n`` requests in this run); a second run that replays
the cache (requests sent must be 0). The server runs in its own process so its threads do not
compete with the client for the GIL; the client's CPU per request is printed because on a busy
2-core machine it, not the latency, decides the wall time.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any

from benchmarks.common import latency_options, report, timer
from lamdata.llm import LLMConfig, LLMRequest, build_messages, run_batch
from lamdata.store import Store, Summary
from lamdata.testing import ChatCall, OpenAIServer


def _answer(call: ChatCall) -> dict[str, Any]:
    return {"task": call.user_text.splitlines()[0], "steps": ["Click the Home tab", "Click Bold"]}


def _requests(n: int, tag: str) -> list[LLMRequest]:
    return [
        LLMRequest(
            key=f"{tag}{i}",
            prompt_id="evolve.v1",
            schema="llm_evolve",
            messages=build_messages(
                "evolve.v1",
                "llm_evolve",
                app="word",
                operation="deepen",
                task=f"Task {tag} {i}",
                steps="1. Click Bold",
                ui_terms="Bold",
                extra="",
            ),
        )
        for i in range(n)
    ]


def _serve(conn: Connection, latency: float) -> None:
    """The server's own process (so its threads do not share the client's GIL)."""
    with OpenAIServer(_answer, latency=latency) as server:
        conn.send(server.base_url)
        while (command := conn.recv()) != "stop":
            conn.send(server.requests)
            if command == "reset":
                server.reset_counts()


@contextmanager
def server_process(latency: float) -> Iterator[Connection]:
    """A test server in a child process; send "count" or "reset" to read its request count."""
    ours, theirs = mp.Pipe()
    process = mp.get_context("fork").Process(target=_serve, args=(theirs, latency), daemon=True)
    process.start()
    try:
        yield ours
    finally:
        ours.send("stop")
        process.join(timeout=10)


CPU: dict[str, float] = {}


def _run(store: Store, requests: list[LLMRequest], c: int) -> float:
    """Wall seconds of one batch; the client's CPU seconds go to ``CPU[str(c)]``."""
    config = LLMConfig(model="bench", concurrency=c, timeout=30, max_attempts=3, backoff=0.05)
    cpu = time.process_time()
    with timer() as took:
        results = run_batch(config, requests, store=store, summary=Summary("bench"))
    CPU[str(c)] = time.process_time() - cpu
    failed = sum(not r.ok for r in results)
    if failed:
        raise SystemExit(f"{failed} requests failed; the benchmark is void")
    return took["seconds"]


def main(argv: list[str]) -> None:
    opt = latency_options(argv)
    n, c, latency, n1 = (
        int(opt["n"]),
        int(opt["concurrency"]),
        opt["latency"],
        int(opt["baseline-n"]),
    )
    with server_process(latency) as server, tempfile.TemporaryDirectory() as tmp:
        os.environ["OPENAI_BASE_URL"] = server.recv()
        os.environ.setdefault("OPENAI_API_KEY", "sk-benchmark-local")
        store = Store(tmp)
        seq = _run(store, _requests(n1, "seq"), 1)
        fast = _run(store, _requests(n, "par"), c)
        fast_cpu = CPU[str(c)]
        ideal = n * latency / c
        server.send("reset")
        server.recv()
        replay = _run(store, _requests(n, "par"), c)
        server.send("count")
        replay_requests = server.recv()
    report(f"concurrency 1: {n1} requests", seq, "s")
    report(f"concurrency {c}: {n} requests", fast, "s")
    report("ideal n x latency / concurrency", ideal, "s")
    report("wall / ideal", fast / ideal, "x", "<= 1.5")
    report("speed-up per request vs concurrency 1", (seq / n1) / (fast / n), "x", ">= 40")
    report("client CPU per request (SDK, validation, cache)", fast_cpu / n * 1000, "ms")
    report("wall floor from client CPU / ideal", max(ideal, fast_cpu) / ideal, "x")
    report("cached re-run", replay, "s")
    report("cached re-run: requests sent", replay_requests, "", "0")
