"""Task-plans written for these tests (original text, in the style of help pages)."""

from __future__ import annotations

from pathlib import Path

from lamdata.records import Signals, Source, TaskPlan
from lamdata.store import Store


def make_plan(
    app: str, task: str, steps: list[str], *, uri: str = "help/page.html", needs_plan: bool = False
) -> TaskPlan:
    kind = "search_log" if needs_plan else "help_doc"
    return TaskPlan.create(
        app=app,
        task=task,
        steps=steps,
        source=Source(kind=kind, uri=uri, locator=task),
        needs_plan=needs_plan,
        plan_source="none" if needs_plan else "document",
        signals=Signals(frequency=3, variants=[task.lower()]) if needs_plan else None,
    )


FONT = make_plan(
    "word",
    "Change the font of a paragraph",
    ["Select the paragraph", "Click the Home tab", "In the Font box, choose a font"],
)
TABLE = make_plan(
    "word",
    "Insert a table",
    ["Click the Insert tab", "Click Table", "Type 3 in Number of rows", "Click OK"],
)
BOLD = make_plan("word", "Make text bold", ["Select the text", "Click the Home tab", "Click Bold"])
SORT = make_plan(
    "excel", "Sort a column from A to Z", ["Click cell A1", "Click the Data tab", "Click Sort"]
)
THEME = make_plan(
    "powerpoint", "Apply a theme", ["Click the Design tab", "In the Design gallery, pick a theme"]
)
WORD_PLANS = [FONT, TABLE, BOLD]
ALL_PLANS = [*WORD_PLANS, SORT, THEME]
NEEDS_PLAN = [
    make_plan("word", "double spacing", [], uri="logs/q.tsv", needs_plan=True),
    make_plan("word", "word count", [], uri="logs/q.tsv", needs_plan=True),
    make_plan("excel", "freeze top row", [], uri="logs/q.tsv", needs_plan=True),
]


def store_with(tmp_path: Path, plans: list[TaskPlan], part: str = "ingest_docs-test-0") -> Store:
    store = Store(tmp_path / "store")
    store.write("task_plans", plans, part=part)
    return store
