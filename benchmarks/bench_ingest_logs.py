"""Search-log ingest on a generated AOL-layout log.

    python -m benchmarks ingest_logs [--lines 1000000] [--repeat 5] [--seed 0] [--keep DIR]

Generates ``lines`` rows in the AOL 2006 layout (users in order, 1-20 queries each, 40% of
queries with 1-3 click rows, 5% with a next-page repeat): queries drawn from a Zipf-like
distribution over a synthetic noise pool (navigational, informational, non-software how-to)
plus ~3% software how-to queries about the sample apps in several phrasings and misspellings.
Measures, in the same run, the baseline — polars alone reading the file
(``pl.read_csv(..., separator="\\t", quote_char=None)``, best of ``repeat``) — and
``ingest_logs`` into fresh stores, ``repeat`` times in one child process whose peak RSS is
reported (the first run there pays polars' warm-up, like a CLI call; the best is warm, like the
baseline). The child then times ``--drop-reasons`` runs (lines naming no app classified too, to
count why they drop; no goal) and the stage's own reader alone, to split the best run into
reading and the work after it. Goals (issue 3): >= 300k lines/s, <= 3x the polars read,
<= 1 GiB RSS.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from benchmarks.common import best_of, report

_SYL = [c + v for c in "bcdfghklmnprstvw" for v in "aeiou"]
_APPS = {"word": "word", "excel": "excel", "powerpoint": "powerpoint"}
_TASKS = [
    ("insert", "a table"), ("add", "page numbers"), ("remove", "duplicates"),
    ("merge", "cells"), ("freeze", "panes"), ("make", "a pie chart"), ("change", "margins"),
    ("insert", "a picture"), ("add", "a new slide"), ("sort", "a column"), ("wrap", "text"),
    ("insert", "a page break"), ("change", "the background"), ("add", "slide numbers"),
    ("double space", "a document"), ("make", "text bold"), ("hide", "gridlines"),
    ("insert", "a header"), ("insert", "a footer"), ("change", "the font size"),
]  # fmt: skip
_FORMS = [
    "how to {v} {o} in {a}", "{a} {v} {o}", "{v} {o} {a}", "how do i {v} {o} in microsoft {a}",
    "how to {v} {o} in {a} 2003", "{v}ing {o} in {a}",
]  # fmt: skip
_CHILD = """
import json, resource, sys, time
from pathlib import Path
from lamdata.ingest.logs import ingest_logs
from lamdata.ingest.logs.layout import detect_layout
from lamdata.ingest.logs.readers import read_batches
from lamdata.store import Store
times, reads = [], []
for i in range(int(sys.argv[3])):
    start = time.perf_counter()
    summary = ingest_logs(Store(f"{sys.argv[2]}-{i}"), [sys.argv[1]])
    times.append(time.perf_counter() - start)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
explained = []
for i in range(int(sys.argv[3])):
    start = time.perf_counter()
    ingest_logs(Store(f"{sys.argv[2]}-reasons-{i}"), [sys.argv[1]], drop_reasons=True)
    explained.append(time.perf_counter() - start)
path = Path(sys.argv[1])
layout = detect_layout(path, None, {})
for i in range(int(sys.argv[3])):
    start = time.perf_counter()
    batches = list(read_batches(path, layout, 1_000_000))
    reads.append(time.perf_counter() - start)
    del batches
print(json.dumps({"times": times, "reads": reads, "rss": rss, "out": summary.records_out,
                  "lines": summary.records_in, "explained": explained}))
"""


def _noise_pool(rng: np.random.Generator, size: int) -> list[str]:
    words = ["".join(rng.choice(_SYL, size=rng.integers(2, 4))) for _ in range(20_000)]
    pool = []
    for i in range(size):
        w = [words[j] for j in rng.integers(0, len(words), size=3)]
        kind = i % 10
        if kind < 2:
            pool.append(f"www.{w[0]}.com" if kind == 0 else f"{w[0]}{w[1]}.com")
        elif kind == 2:
            pool.append(f"how to {w[0]} {w[1]}")
        elif kind == 3:
            pool.append(f"{w[0]} lyrics")
        else:
            pool.append(" ".join(w[: 1 + kind % 3]))
    return pool


def _actionable_pool(rng: np.random.Generator) -> list[str]:
    pool = []
    for app in _APPS:
        for verb, obj in _TASKS:
            for form in _FORMS:
                v = verb[:-1] if form.startswith("{v}ing") and verb.endswith("e") else verb
                pool.append(form.format(v=v, o=obj, a=app))
            k = int(rng.integers(0, len(obj) - 1))  # swap two letters: a typo
            typo = obj[:k] + obj[k + 1] + obj[k] + obj[k + 2 :]
            pool.append(f"how to {verb} {typo} in {app}")
    return pool


def _draws(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """Zipf-like ranks (weight 1/rank^0.85) for ``n`` draws over ``size`` items."""
    weights = 1.0 / np.arange(1, size + 1) ** 0.85
    return np.searchsorted(np.cumsum(weights) / weights.sum(), rng.random(n))


def generate(path: Path, lines: int, seed: int) -> None:
    """Write an AOL-layout log of about ``lines`` data lines (plus the header)."""
    rng = np.random.default_rng(seed)
    noise, action = _noise_pool(rng, 600_000), _actionable_pool(rng)
    n_queries = int(lines / 1.2)
    picks_noise = _draws(rng, n_queries, len(noise))
    picks_action = _draws(rng, n_queries, len(action))
    is_action = rng.random(n_queries) < 0.03
    clicks = np.where(rng.random(n_queries) < 0.4, rng.integers(1, 4, n_queries), 0)
    repeat = rng.random(n_queries) < 0.05
    out, user, written = [], 10_000, 0
    for i in range(n_queries):
        if i % 8 == 0:
            user += 1
        q = action[picks_action[i]] if is_action[i] else noise[picks_noise[i]]
        t = f"2006-03-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}"
        head = f"{user}\t{q}\t{t}\t"
        rows = [f"{head}{r}\thttp://www.site{r * 7 + i % 50}.com" for r in range(1, clicks[i] + 1)]
        rows = rows or [f"{head}\t"]
        if repeat[i]:
            rows.append(f"{user}\t{q}\t{t}\t\t")
        out.extend(rows)
        written += len(rows)
        if written >= lines:
            break
    text = "AnonID\tQuery\tQueryTime\tItemRank\tClickURL\n" + "\n".join(out[:lines]) + "\n"
    path.write_text(text, encoding="utf-8")


def _ingest_in_child(path: Path, store: Path, repeat: int) -> dict[str, Any]:
    """Ingest ``repeat`` times (fresh stores) in one child process: times, peak RSS, counts."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(store), str(repeat)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_ingest_logs")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, default=None, help="keep the log in DIR")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "aol-bench.txt"
        generate(path, args.lines, args.seed)
        _run(path, Path(tmp), args.repeat)


def _run(path: Path, tmp: Path, repeat: int) -> None:
    distinct = pl.scan_csv(path, separator="\t", quote_char=None, infer_schema=False)
    stats = distinct.select(pl.len(), pl.col("Query").n_unique()).collect().row(0)
    print(f"  log: {stats[0]:,} lines, {stats[1]:,} distinct queries, {path.stat().st_size:,} B")
    baseline = best_of(
        repeat, lambda: pl.read_csv(path, separator="\t", quote_char=None, infer_schema=False)
    )
    child = _ingest_in_child(path, tmp / "store", repeat)
    cold, best = child["times"][0], min(child["times"])
    report("polars read_csv alone (baseline, best)", baseline, "s")
    report("ingest_logs, first run in its process", cold, "s")
    report(f"ingest_logs, best of {repeat} in that process", best, "s")
    report("ingest lines/s (best)", child["lines"] / best, "lines/s", ">= 300,000")
    report("ingest lines/s (first run)", child["lines"] / cold, "lines/s")
    report("ingest time / polars read time (best)", best / baseline, "x", "<= 3")
    report("ingest time / polars read time (first run)", cold / baseline, "x")
    read = min(child["reads"])
    report("  of which the stage's own read of the file (best)", read, "s")
    report("  and mining, plans and writes after it (best - read)", best - read, "s")
    report("peak RSS of the ingest process", child["rss"], "MiB", "<= 1024")
    reasons = min(child["explained"])
    report("with --drop-reasons (every query classified), best", reasons, "s")
    report("  its time / polars read time", reasons / baseline, "x")
    report("task-plans out", child["out"], "")
    command, script = _end_to_end(path, tmp, repeat)
    report("`lamdata ingest logs` command, end to end (best)", command, "s")
    report("a python script reading it with polars (best)", script, "s")
    report("command / script (what a shell user sees)", command / script, "x")


_READ_SCRIPT = (
    "import sys, polars as pl; "
    "pl.read_csv(sys.argv[1], separator='\\t', quote_char=None, infer_schema=False)"
)


def _end_to_end(path: Path, tmp: Path, repeat: int) -> tuple[float, float]:
    """Best wall time of the whole command (interpreter, imports, run) against a script that
    only reads the file with polars, each a fresh process."""

    def run(args: list[str]) -> None:
        subprocess.run([sys.executable, *args], check=True, capture_output=True)

    stores = iter(range(repeat))
    command = best_of(
        repeat,
        lambda: run(
            ["-m", "lamdata", "ingest", "logs", str(path), "--store", f"{tmp}/cli-{next(stores)}"]
        ),
    )
    return command, best_of(repeat, lambda: run(["-c", _READ_SCRIPT, str(path)]))


if __name__ == "__main__":
    main(sys.argv[1:])
