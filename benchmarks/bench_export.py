"""``lamdata export`` throughput per format, against a baseline measured in the same run.

A store of N trajectories (default 20,000, 3–8 steps each, a third failing) is generated
with the record classes and written as a few parts. Each format is exported once (openai and
sharegpt as whole conversations and as ``action-sft`` steps, hf, parquet, jsonl, ufo); the
baseline is the least an export must do: read the trajectories table and write every row as a
JSON line. Printed: seconds, records per second and the ratio to the baseline, plus peak RSS.

    python -m benchmarks export                  # 20k trajectories
    python -m benchmarks export --rows 2000      # a quicker run
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import peak_rss_mib, report
from lamdata.export import export
from lamdata.records import Action, Env, Judge, Outcome, Step, Trajectory
from lamdata.store import Store

APPS = ("word", "excel", "powerpoint")
CASES: list[tuple[str, dict[str, Any]]] = [
    ("jsonl", {"fmt": "jsonl"}),
    ("parquet", {"fmt": "parquet"}),
    ("hf", {"fmt": "hf"}),
    ("openai", {"fmt": "openai"}),
    ("openai action-sft", {"fmt": "openai", "task": "action-sft"}),
    ("sharegpt", {"fmt": "sharegpt"}),
    ("hf reward", {"fmt": "hf", "task": "reward"}),
    ("ufo", {"fmt": "ufo"}),
]


def _trajectory(rng: random.Random, i: int) -> Trajectory:
    app = APPS[i % len(APPS)]
    steps = []
    for k in range(rng.randint(3, 8)):
        ok = rng.random() > 0.1
        action = Action(
            step=k + 1,
            function=rng.choice(["click", "set_text", "select_text"]),
            control_id=f"c{rng.randint(1, 60)}",
            control_text=f"Control {rng.randint(1, 60)}",
            args_json=json.dumps({"text": f"value {i}-{k}"}) if k % 2 else "{}",
        )
        observation = " | ".join(f"Button 'Control {j}'" for j in range(12))
        steps.append(
            Step(
                idx=k, action=action, status="ok" if ok else "not_visible", observation=observation
            )
        )
    label = "fail" if i % 3 == 0 else "pass"
    judge = Judge(
        complete="yes" if label == "pass" else "no", sub_scores_json="{}", reason="checked"
    )
    return Trajectory.create(
        instance_id=f"in_{i:020x}",
        task_plan_id=f"tp_{i:020x}",
        app=app,
        template_id=f"{app}/t{i % 7}",
        task=f"Task number {i} in {app}",
        env=Env(kind="uitree", version="1"),
        steps=steps,
        outcome=Outcome(label=label, success=label == "pass", judge=judge),
    )


def build(path: Path, rows: int, parts: int = 4) -> Store:
    store = Store(path)
    rng = random.Random(7)
    size = max(1, rows // parts)
    for p in range(0, rows, size):
        batch = [_trajectory(rng, i) for i in range(p, min(rows, p + size))]
        store.write("trajectories", batch, part=f"bench-{p:08d}")
    return store


def baseline(store: Store, out: Path) -> float:
    start = time.perf_counter()
    rows = store.read("trajectories").to_pylist()
    with open(out, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return time.perf_counter() - start


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks export")
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="lamdata-bench-export-"))
    try:
        start = time.perf_counter()
        store = build(tmp / "store", args.rows)
        built = time.perf_counter() - start
        print(f"export: {args.rows:,} trajectories (store built in {built:.1f}s)")
        base = baseline(store, tmp / "baseline.jsonl")
        report("baseline: read + json.dumps per row", base, "s")
        for name, options in CASES:
            start = time.perf_counter()
            summary = export(store, out=tmp / name.replace(" ", "-"), **options)
            seconds = time.perf_counter() - start
            rate = summary.records_in / seconds if seconds else 0.0
            report(f"{name}: trajectories/s", rate, "/s")
            report(f"{name}: ratio to baseline", seconds / base if base else 0.0, "x")
        report("peak RSS", peak_rss_mib(), "MiB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
