"""Instantiation through the LLM backend against the local test server.

    python -m benchmarks instantiate [--n=2000] [--latency=0.05] [--concurrency=64]
                                     [--baseline-n=100]

Every instantiation is one request through the real openai SDK over HTTP to a server that
answers after ``latency`` seconds, plus lamdata's own work (template choice, prompt, answer
checks, dry-run replay, store writes). Figures: wall time at ``concurrency`` against the ideal
``n x latency / concurrency``, with the server in its own process as a real endpoint is;
concurrency 1 (the paper's sequential loop) measured on
``baseline-n`` task-plans in this run and extrapolated per instantiation; a second run after the
instances are lost, which must replay the cache (requests sent: 0). The offline backend's
throughput on the same task-plans is printed as a reference.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from benchmarks.common import latency_options, report, timer
from lamdata.instantiate import instantiate
from lamdata.records import Source, TaskPlan
from lamdata.store import Store
from lamdata.testing import ChatCall, OpenAIServer

APPS = str(Path(__file__).resolve().parents[1] / "samples" / "apps")


def _answer(call: ChatCall) -> dict[str, Any]:
    action = {"control_type": "Button", "args_json": "{}"}
    return {
        "task": "Turn the pages of this document to landscape",
        "actions": [
            {**action, "step": 0, "function": "click", "control_id": "btn_orientation"},
            {**action, "step": 1, "function": "click", "control_id": "mi_orientation_landscape"},
        ],
        "checks": [{"path": "doc.page.orientation", "op": "eq", "value_json": '"Landscape"'}],
        "verdict": {"kind": "normal", "reason": "Layout has Orientation"},
    }


def _serve(conn: Connection, latency: float) -> None:
    """The test server in its own process (as a real endpoint is): base URL, then counts."""
    with OpenAIServer(_answer, latency=latency) as server:
        conn.send(server.base_url)
        while (command := conn.recv()) != "stop":
            if command == "reset":
                server.reset_counts()
            conn.send(server.requests)


@contextmanager
def _server(latency: float) -> Iterator[Connection]:
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    process = multiprocessing.get_context("spawn").Process(target=_serve, args=(theirs, latency))
    process.start()
    try:
        os.environ["OPENAI_BASE_URL"] = ours.recv()
        os.environ.setdefault("OPENAI_API_KEY", "sk-benchmark-local")
        yield ours
    finally:
        ours.send("stop")
        process.join(timeout=10)


def _ask(conn: Connection, command: str) -> int:
    conn.send(command)
    return int(conn.recv())


def _plans(n: int, tag: str) -> list[TaskPlan]:
    return [
        TaskPlan.create(
            app="word",
            task=f"Change the page orientation of report {tag}-{i}",
            steps=["On the **Layout** tab, click **Orientation**.", "Click **Landscape**."],
            source=Source("help_doc", f"bench://{tag}/{i}"),
            ui_terms=[["Layout", "Orientation"], ["Landscape"]],
        )
        for i in range(n)
    ]


def _store(root: Path, name: str, plans: list[TaskPlan], parts: int = 4) -> Store:
    store = Store(root / name)
    size = max(1, -(-len(plans) // parts))
    for k in range(0, len(plans), size):
        store.write("task_plans", plans[k : k + size], part=f"ingest-{k:06d}")
    return store


def _run(store: Store, concurrency: int, llm: str = "openai:bench") -> tuple[float, int, float]:
    """(wall seconds, instances written, CPU seconds of this process)."""
    cpu = time.process_time()
    with timer() as took:
        summary = instantiate(
            store, apps=APPS, llm=llm, concurrency=concurrency, timeout=30, backoff=0.05
        )
    if summary.rejected_total:
        raise SystemExit(f"{summary.rejected_total} task-plans quarantined; the benchmark is void")
    return took["seconds"], summary.records_out, time.process_time() - cpu


def main(argv: list[str]) -> None:
    opt = latency_options(argv)
    n, c, latency = int(opt["n"]), int(opt["concurrency"]), opt["latency"]
    n1 = int(opt["baseline-n"])
    with _server(latency) as server, tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        offline, _, _ = _run(_store(root, "offline", _plans(n, "off")), c, llm="offline")
        seq, _, _ = _run(_store(root, "seq", _plans(n1, "seq"), parts=1), 1)
        fast_store = _store(root, "fast", _plans(n, "par"))
        _ask(server, "reset")
        fast, out, fast_cpu = _run(fast_store, c)
        sent = _ask(server, "count")
        shutil.rmtree(fast_store.table_dir("instances"))
        _ask(server, "reset")
        replay, _, _ = _run(fast_store, c)
        replay_requests = _ask(server, "count")
    ideal = n * latency / c
    report(f"offline backend: {n} instantiations", offline, "s")
    report(f"concurrency 1: {n1} instantiations (measured)", seq, "s")
    report(f"concurrency 1: {n} instantiations (extrapolated)", seq / n1 * n, "s")
    report(f"concurrency {c}: {n} instantiations", fast, "s")
    report(f"concurrency {c}: requests sent / instances", sent, f"/ {out}")
    report(f"concurrency {c}: client CPU per instantiation", fast_cpu / n * 1000, "ms")
    report("ideal n x latency / concurrency", ideal, "s")
    report("wall / ideal", fast / ideal, "x", "<= 1.5")
    report("speed-up vs concurrency 1 (per instantiation)", (seq / n1) / (fast / n), "x", ">= 40")
    report("cached re-run (instances lost)", replay, "s")
    report("cached re-run: requests sent", replay_requests, "", "0")
