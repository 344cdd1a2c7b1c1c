"""Offline evolution over a synthetic store, and the near-duplicate index against its baseline.

    python -m benchmarks evolve [--n=4000]

Figures: task-plans evolved per second by ``evolve`` (compose + concretize, one input part);
the cost per candidate of the near-duplicate check with pre-sorted tokens and ``ratio`` versus
rapidfuzz ``token_sort_ratio`` over raw texts (the baseline, same candidates, same index), and
whether both find the same duplicates.
"""

from __future__ import annotations

import random
import tempfile

from rapidfuzz import fuzz, process

from benchmarks.common import report, timer
from lamdata.evolve import evolve
from lamdata.evolve.dedup import TaskIndex
from lamdata.hashing import normalize_text
from lamdata.records import Source, TaskPlan
from lamdata.store import Store

VERBS = ["Insert", "Format", "Change", "Apply", "Add", "Remove", "Center", "Sort", "Number"]
OBJECTS = ["the table", "the title", "a chart", "the footer", "the margins", "the font", "a list"]
PLACES = ["in the report", "on page two", "in the summary", "for the heading", "in column B"]
STEPS = [
    "On the Home tab, in the Font box, choose a font.",
    "On the Layout tab, click Margins.",
    "Click Narrow.",
    "On the Insert tab, click Table.",
    "On the Home tab, click Bold.",
]


def synthetic_plans(n: int, seed: int = 0) -> list[TaskPlan]:
    rng = random.Random(seed)
    plans = []
    for i in range(n):
        task = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)} #{i % 97}"
        steps = rng.sample(STEPS, k=rng.randint(1, 3))
        plans.append(
            TaskPlan.create(
                app="word", task=task, steps=steps, source=Source("help_doc", f"doc{i}.md")
            )
        )
    return plans


def _baseline(texts: list[str], queries: list[str]) -> list[bool]:
    return [
        process.extractOne(q, texts, scorer=fuzz.token_sort_ratio, score_cutoff=92) is not None
        for q in queries
    ]


def main(argv: list[str]) -> None:
    n = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--n=")), 4000)
    plans = synthetic_plans(n)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(tmp)
        store.write("task_plans", plans, part="ingest_docs-bench-0")
        with timer() as took:
            summary = evolve(store)
    report(f"evolve offline: {n} task-plans in", took["seconds"], "s")
    report("task-plans in per second", n / took["seconds"], "/s")
    report("evolved kept / near-duplicates dropped", summary.records_out, "")
    report("near-duplicates dropped", summary.rejected.get("near_duplicate", 0), "")

    queries = [p.task for p in synthetic_plans(1000, seed=1)]
    index = TaskIndex(plans)
    candidates = synthetic_plans(1000, seed=1)
    with timer() as fast:
        found = [index.nearest(c) is not None for c in candidates]
    texts = [normalize_text(p.task) for p in plans]
    with timer() as slow:
        expected = _baseline(texts, [normalize_text(q) for q in queries])
    report("near-dup check, pre-sorted ratio", fast["seconds"] / len(queries) * 1000, "ms/cand")
    report("near-dup check, token_sort_ratio (baseline)", slow["seconds"] / 1000 * 1000, "ms/cand")
    report("speed-up vs baseline", slow["seconds"] / fast["seconds"], "x")
    report("same verdicts as the baseline", float(found == expected), "(1 = yes)")
