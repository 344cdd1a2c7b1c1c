"""Executor throughput on the uitree environment, and scaling with --jobs 2.

Figures: steps/s of the environment alone (``run_actions``), of whole instances
(``run_instance``: reset, steps, checks, trajectory), and of the ``execute`` stage with
``jobs=1`` (the baseline) and ``jobs=2`` on the same store contents, with their ratio.

    python -m benchmarks execute [--instances N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import tempfile
import time
from pathlib import Path

from benchmarks.common import best_of, report
from lamdata.env import load_app_models
from lamdata.env.uitree import UITreeEnv
from lamdata.execute import Policy, execute, run_actions, run_instance
from lamdata.records import Action, Check, Instance
from lamdata.store import Store

APPS = Path(__file__).resolve().parents[1] / "samples" / "apps"

#: (function, control text, args) building blocks per app; sequences mix valid and invalid steps.
BLOCKS: dict[str, list[tuple[str, str, dict[str, object]]]] = {
    "word": [
        ("select_text", "Document", {"text": "the"}),
        ("click", "Bold", {}),
        ("click", "Italic", {}),
        ("select", "Font Size", {"option": "14"}),
        ("click", "Center", {}),
        ("click", "Insert", {}),
        ("click", "Table", {}),
        ("set_text", "Number of rows", {"text": "3"}),
        ("click", "OK", {}),
        ("click", "Layout", {}),
        ("click", "Margins", {}),
        ("click", "Narrow", {}),
        ("click", "Home", {}),
        ("click", "Replace", {}),
        ("click", "Close", {}),
        ("click", "Heading 1", {}),
        ("select_text", "Document", {"text": "a"}),
    ],
    "excel": [
        ("click", "B2", {}),
        ("set_text", "Formula Bar", {"text": "42"}),
        ("set_text", "Name Box", {"text": "B2:B6"}),
        ("click", "Bold", {}),
        ("select", "Number Format", {"option": "Currency"}),
        ("click", "AutoSum", {}),
        ("click", "A1", {}),
        ("click", "Sort & Filter", {}),
        ("click", "Sort A to Z", {}),
        ("click", "Data", {}),
        ("click", "Filter", {}),
        ("click", "Home", {}),
        ("set_text", "C3", {"text": "=B3*2"}),
        ("click", "Insert", {}),
        ("click", "Column Chart", {}),
    ],
    "powerpoint": [
        ("click", "Slide 2", {}),
        ("click", "New Slide", {}),
        ("click", "Title Only", {}),
        ("click", "Title and Content", {}),
        ("set_text", "Click to add title", {"text": "Q"}),
        ("click", "Bold", {}),
        ("click", "Transitions", {}),
        ("click", "Fade", {}),
        ("click", "Apply To All", {}),
        ("click", "Design", {}),
        ("click", "Ion", {}),
        ("click", "Home", {}),
        ("click", "Slide 1", {}),
    ],
}


def make_instances(n: int, steps: int, seed: int = 0) -> list[Instance]:
    rng = random.Random(seed)
    models = load_app_models(APPS)
    out = []
    for k in range(n):
        app = sorted(BLOCKS)[k % len(BLOCKS)]
        template = rng.choice(sorted(models[app].templates))
        picks = [rng.choice(BLOCKS[app]) for _ in range(steps)]
        actions = [
            Action(step=i, function=f, control_text=t, args_json=json.dumps(a))
            for i, (f, t, a) in enumerate(picks)
        ]
        check = Check(path="doc", op="exists")
        out.append(
            Instance.create(
                task_plan_id=f"tp_bench_{k}",
                app=app,
                template_id=template,
                task=f"bench {k}",
                actions=actions,
                checks=[check],
            )
        )
    return out


def env_rate(instances: list[Instance], policy: Policy) -> tuple[float, float]:
    """(steps per wall second, steps per CPU second of this process) of the environment."""
    envs = {a: UITreeEnv(m) for a, m in load_app_models(APPS).items()}

    def go() -> None:
        for inst in instances:
            env = envs[inst.app]
            env.reset(str(inst.template_id))
            run_actions(env, inst.actions, policy)

    total = sum(len(i.actions) for i in instances)
    cpu = []
    for _ in range(3):
        start = time.process_time()
        go()
        cpu.append(time.process_time() - start)
    return total / best_of(3, go), total / min(cpu)


def instance_rate(instances: list[Instance], policy: Policy) -> float:
    envs = {a: UITreeEnv(m) for a, m in load_app_models(APPS).items()}
    total = sum(len(i.actions) for i in instances)
    return total / best_of(3, lambda: [run_instance(envs[i.app], i, policy) for i in instances])


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the worker pool)."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def stage_seconds(instances: list[Instance], jobs: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds incl. workers) of one ``execute`` run over 4 input parts."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "st")
        for p in range(4):
            store.write("instances", instances[p::4], part=f"in-{p}")
        cpu = _cpu()
        summary = execute(store, apps=str(APPS), jobs=jobs, max_errors=99, max_repeats=99)
        return summary.seconds, _cpu() - cpu


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_execute")
    parser.add_argument("--instances", type=int, default=1200)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args(argv)
    policy = Policy(max_steps=1000, max_errors=10**6, max_repeats=10**6)
    instances = make_instances(args.instances, args.steps)
    total = args.instances * args.steps
    print(f"  {args.instances} instances x {args.steps} steps = {total} steps")
    wall, cpu = env_rate(instances, policy)
    load = os.getloadavg()[0]
    print(f"  load average {load:.2f} on {os.cpu_count()} cores (wall figures shrink under load)")
    report("uitree env, wall clock", wall, "steps/s")
    report("uitree env, per CPU second (one core)", cpu, "steps/s", ">= 20,000")
    report("run_instance (reset+steps+checks), 1 core", instance_rate(instances, policy), "steps/s")
    one, one_cpu = stage_seconds(instances, 1)
    two, two_cpu = stage_seconds(instances, 2)
    report("execute stage --jobs 1 (baseline)", total / one, "steps/s")
    report("execute stage --jobs 2", total / two, "steps/s")
    report("speed-up jobs 2 vs jobs 1 (wall)", one / two, "x", "~2 on 2 idle cores")
    report("CPU seconds jobs 1 / jobs 2 (work added by the pool)", one_cpu / two_cpu, "")
