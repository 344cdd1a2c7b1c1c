"""``ingest docs`` on 10k generated support-style HTML pages, against a bare selectolax parse.

    python -m benchmarks ingest_docs [--pages N]

Prints pages/s for the whole stage (read, decode, parse, extract, write Parquet parts) and for
the baseline (read + ``LexborHTMLParser`` on the same files), their ratio, and peak RSS. Pages
per CPU second is printed too: on a shared 2-core machine the wall-clock figure moves with
whatever else runs, the CPU figure much less.
Goals (issue 3): ≥ 300 pages/s, peak RSS ≤ 1 GiB.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from benchmarks.common import best_of, peak_rss_mib, report, timer
from lamdata.ingest.docs import ingest_docs
from lamdata.store import Store

APPS = ("Word", "Excel", "PowerPoint")
TABS = ("Home", "Insert", "Layout", "Review", "View", "Data", "Design")
CONTROLS = ("Bold", "Table", "Margins", "Sort", "Filter", "New Slide", "Page Number", "Zoom")
VERBS = ("Insert", "Add", "Change", "Remove", "Format", "Create", "Apply", "Hide")
OBJECTS = ("a table", "page numbers", "the margins", "a chart", "a slide", "a header")


def page(rng: random.Random, n: int) -> str:
    app = rng.choice(APPS)
    sections = []
    for s in range(rng.randint(2, 5)):
        goal = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        steps = "".join(
            f"<li>On the <b>{rng.choice(TABS)}</b> tab, click <b>{rng.choice(CONTROLS)}</b>"
            f" to change section {s}.</li>"
            for _ in range(rng.randint(2, 6))
        )
        intro = f"<p>To {goal.lower()}, do the following:</p>" if rng.random() < 0.4 else ""
        note = '<div class="alert"><p><b>Note:</b> Changes apply at once.</p></div>'
        sections.append(f"<h2>{goal}</h2>{intro}<ol>{steps}</ol>{note if s % 2 else ''}")
    table = "<table>" + "<tr><td>Ctrl+B</td><td>Bold</td></tr>" * 5 + "</table>"
    body = (
        f"<h1>Help topic {n} in {app}</h1><p>{'Some introductory text. ' * 8}</p>"
        + "".join(sections)
        + f"<h2>Shortcuts</h2>{table}<h2>See also</h2><ul><li><a href='x'>More</a></li></ul>"
    )
    nav = "<nav><ul>" + "<li><a href='/'>Link</a></li>" * 10 + "</ul></nav>"
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Topic {n}</title>"
        f"</head><body>{nav}<main>{body}</main><footer>Footer</footer></body></html>"
    )


def generate(folder: Path, count: int) -> list[Path]:
    rng = random.Random(7)
    paths = []
    for n in range(count):
        path = folder / f"{n // 1000:03d}" / f"page-{n:05d}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page(rng, n), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str]) -> None:
    count = int(argv[argv.index("--pages") + 1]) if "--pages" in argv else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pages = generate(root / "pages", count)
        size = sum(p.stat().st_size for p in pages) / 1e6
        print(f"  {count} pages, {size:.1f} MB", flush=True)
        cpu = time.process_time()
        with timer() as clock:
            summary = ingest_docs(Store(root / "store"), [root / "pages"])
        seconds, rss, cpu = clock["seconds"], peak_rss_mib(), time.process_time() - cpu
        baseline = best_of(2, lambda: _parse_all(pages))
        report("baseline: read + selectolax parse", count / baseline, "pages/s")
        report("ingest docs (stage, with Parquet writes)", count / seconds, "pages/s", ">= 300")
        report("ingest docs per CPU second (load-independent)", count / cpu, "pages/s")
        report("ratio stage / baseline time", seconds / baseline, "x")
        report("task_plans out", summary.records_out)
        report("parts written", len(list((root / "store" / "task_plans").glob("*.parquet"))))
        report("peak RSS during the stage", rss, "MiB", "<= 1024")


def _parse_all(pages: list[Path]) -> int:
    nodes = 0
    for path in pages:
        tree = LexborHTMLParser(path.read_bytes().decode("utf-8"))
        nodes += tree.body is not None
    return nodes
