"""Golden test: the sample AOL log gives exactly the actionable queries a careful reader marks.

The expectations were worked out by reading ``samples/logs/aol-sample.txt`` by hand: a search
is a run of rows of one user with one query (clicks and next-page rows included), so
``frequency`` counts searches and ``users`` distinct AnonIDs, over all merged variants.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lamdata.ingest.logs import ingest_logs
from lamdata.records import TaskPlan
from lamdata.store import Store
from lamdata.validation import validate

SAMPLE = Path(__file__).parents[2] / "samples" / "logs" / "aol-sample.txt"

# (app, task, searches, distinct users)
EXPECTED = {
    ("word", "Insert a table in Word", 8, 6),
    ("word", "Add page numbers in Word", 4, 4),
    ("word", "Change margins in Word", 2, 2),
    ("word", "Make a page landscape in Word", 3, 2),
    ("word", "Double space in Word", 2, 2),
    ("word", "Insert a page break in Word", 2, 2),
    ("word", "Find and replace in Word", 2, 2),
    ("word", "Insert an excel table in Word", 1, 1),
    ("word", "Track changes in Word", 2, 2),
    ("word", "Turn off track changes in Word", 1, 1),
    ("word", "See word count in Word", 2, 2),
    ("word", "Wrap text around picture in Word", 1, 1),
    ("word", "Make text bold in Word", 1, 1),
    ("excel", "Remove duplicates in Excel", 7, 7),
    ("excel", "Freeze panes in Excel", 5, 5),
    ("excel", "Merge cells in Excel", 6, 5),
    ("excel", "Make a pie chart in Excel", 4, 3),
    ("excel", "Sort a column in Excel", 3, 3),
    ("excel", "Wrap text in Excel", 2, 2),
    ("excel", "Use autosum in Excel", 2, 2),
    ("excel", "Calculate percentage in Excel", 1, 1),
    ("powerpoint", "Add a new slide in PowerPoint", 4, 4),
    ("powerpoint", "Insert a picture in PowerPoint", 4, 3),
    ("powerpoint", "Add slide numbers in PowerPoint", 2, 2),
    ("powerpoint", "Add slide transitions in PowerPoint", 2, 2),
    ("powerpoint", "Change the background in PowerPoint", 2, 2),
    ("powerpoint", "Add music in PowerPoint", 1, 1),
    ("powerpoint", "Make a PowerPoint presentation", 1, 1),
}


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> list[TaskPlan]:
    store = Store(tmp_path_factory.mktemp("golden") / "st")
    ingest_logs(store, [SAMPLE])
    return store.records("task_plans", TaskPlan)


def test_exactly_the_actionable_queries(plans: list[TaskPlan]) -> None:
    got = {(p.app, p.task, p.signals.frequency, p.signals.distinct_users) for p in plans}
    assert got == EXPECTED


def test_noise_is_dropped(plans: list[TaskPlan]) -> None:
    titles = {v for p in plans for v in p.signals.variants}
    for noise in ("facebook.com", "weather", "how to grow tomatoes", "excel jobs",
                  "microsoft word free download", "how to excel in school", "word of the day",
                  "powerpoint templates", "excel formulas", "how to add page numbers"):  # fmt: skip
        assert noise not in titles


def test_variants_merge_misspellings_and_reformulations(plans: list[TaskPlan]) -> None:
    by_task = {p.task: p for p in plans}
    table = by_task["Insert a table in Word"].signals
    assert table.variants == [
        "how to insert a table in word",
        "insert table in word",
        "how to insert a tabel in word",
    ]
    assert set(by_task["Merge cells in Excel"].signals.variants) == {
        "how to merge cells in excel",
        "merging cells in excel 2007",
        "how to mege cells in excel",
    }
    assert by_task["Add page numbers in Word"].signals.variants[0] == "word add page numbers"


def test_provenance_and_signals(plans: list[TaskPlan]) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    for plan in plans:
        assert plan.source.kind == "search_log"
        assert plan.source.uri == str(SAMPLE)
        first = lines[int(plan.source.locator) - 1].split("\t")[1]
        assert first.lower().rstrip("?") == plan.source.title or first in plan.signals.variants
        assert plan.needs_plan and plan.plan_source == "none" and plan.steps == []
        validate("task_plan", plan.to_dict())
    table = next(p for p in plans if p.task == "Insert a table in Word")
    assert table.source.locator == "3"
    assert table.signals.first_seen == "2006-03-01 07:06:40"
    assert table.signals.last_seen == "2006-03-30 13:05:00"
    assert table.signals.top_clicks[0] == "http://office.microsoft.com"
