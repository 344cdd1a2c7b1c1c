"""Helpers for benchmarks: timing, peak memory, and one printed line per figure."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def timer() -> Iterator[dict[str, float]]:
    box: dict[str, float] = {}
    start = time.perf_counter()
    try:
        yield box
    finally:
        box["seconds"] = time.perf_counter() - start


def best_of(n: int, fn: Callable[[], Any]) -> float:
    """The fastest of ``n`` runs of ``fn`` (seconds): the least noisy single figure."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(name: str, value: float, unit: str = "", goal: str = "") -> None:
    tail = f"   (goal: {goal})" if goal else ""
    print(f"  {name:<44} {value:>14,.3f} {unit}{tail}", flush=True)


def latency_options(argv: list[str]) -> dict[str, float]:
    """``--n=``, ``--latency=``, ``--concurrency=``, ``--baseline-n=`` of the benchmarks that
    answer model requests from a local server with a fixed latency."""
    values = {"n": 2000.0, "latency": 0.05, "concurrency": 64.0, "baseline-n": 100.0}
    for arg in argv:
        key, _, value = arg.lstrip("-").partition("=")
        if key in values and value:
            values[key] = float(value)
    return values
