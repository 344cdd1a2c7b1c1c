"""WikiHow-style articles (HTML, plain text, JSON and CSV dumps) and UFO task files."""

from __future__ import annotations

import json

from lamdata.ingest.docs import plans_of, read_document
from lamdata.records import TaskPlan


def plans(text: str, name: str) -> list[TaskPlan]:
    doc, _ = read_document(text.encode("utf-8"), name=name)
    return plans_of(doc, uri=name)


def summary(text: str, name: str) -> list[tuple[str, list[str]]]:
    return [(p.task, p.steps) for p in plans(text, name)]


WIKI_HTML = """<html><head><title>How to Merge Cells in Excel - wikiHow</title></head><body>
<h1>How to Merge Cells in Excel</h1>
<div class="section steps"><h3><div class="altblock"><span>Method</span><span>1</span></div>
<span class="mw-headline">Using the Home Tab</span></h3>
<ol class="steps_list_2">
<li><div class="step_num">1</div><div class="step"><b class="whb">Select the cells.</b> Drag across
A1 to D1. <ul><li>Hold Shift to extend.</li></ul></div></li>
<li><div class="step"><b class="whb">Click Merge &amp; Center.</b> It is on the Home tab.</div></li>
</ol></div>
<div class="section steps"><h3><span class="mw-headline">Method 2 of 2: On a Mac</span></h3>
<ol><li><div class="step"><b class="whb">Select the cells.</b> Use the trackpad.</div></li>
<li><div class="step"><b class="whb">Click Merge.</b> A menu opens.</div></li></ol></div>
<div class="section tips"><h2>Tips</h2>
<ol><li>Click Undo to split.</li><li>Click again.</li></ol></div>
<div class="section warnings"><h2>Warnings</h2><ul><li>Merging drops data.</li></ul></div>
</body></html>"""


def test_wikihow_html_methods_first_sentences_no_tips() -> None:
    found = plans(WIKI_HTML, "merge.html")
    assert [(p.task, p.steps, p.source.kind, p.app) for p in found] == [
        (
            "Merge Cells in Excel using the Home Tab",
            ["Select the cells.", "Click Merge & Center."],
            "wikihow",
            "excel",
        ),
        (
            "Merge Cells in Excel on a Mac",
            ["Select the cells.", "Click Merge."],
            "wikihow",
            "excel",
        ),
    ]
    assert found[0].source.locator == "How to Merge Cells in Excel > Method 1 Using the Home Tab"


WIKI_TEXT = """How to Print Slides in PowerPoint

Printing handouts takes a minute.

Part 1 of 2: Getting Ready
1. Open the presentation. Double-click it in
   File Explorer.
2. Click the "File" tab. It is in the top-left corner.

Part 2 of 2: Printing
1. Click "Print". A preview appears.
   - On a Mac the preview is smaller.
2. Click the "Print" button. The slides print.

Tips
- Click "Slide Sorter" first to check the order.

Things You'll Need
- A printer
"""


def test_wikihow_text_parts_join_into_one_procedure() -> None:
    (found,) = plans(WIKI_TEXT, "print.txt")
    assert found.task == "Print Slides in PowerPoint" and found.app == "powerpoint"
    assert found.steps == [
        "Open the presentation.",
        'Click the "File" tab.',
        'Click "Print".',
        'Click the "Print" button.',
    ]
    assert found.ui_terms[1] == ["File"]
    assert found.source.kind == "wikihow"


def test_plain_text_help_without_wikihow_shape() -> None:
    text = (
        "Working with comments\n\nAdd a comment\n\n1. Select the text.\n"
        "2. Click 'New Comment' on the Review tab.\n\nSome closing words.\n"
    )
    assert summary(text, "notes.txt") == [
        ("Add a comment", ["Select the text.", "Click 'New Comment' on the Review tab."])
    ]


def test_json_dumps_in_several_shapes() -> None:
    records = [
        {
            "title": "How to Bold Text in Word",
            "steps": ["Select the text. Drag over it.", "Click **Bold**."],
        },
        {
            "title": "How to Add a Slide in PowerPoint",
            "methods": [
                {
                    "name": "Using the Ribbon",
                    "steps": [{"headline": "Click New Slide.", "description": "x"}],
                },
                {"name": "Using the Keyboard", "steps": "1. Press Ctrl+M. 2. Type a title."},
            ],
        },
    ]
    found = plans(json.dumps({"articles": records}), "dump.json")
    assert [(p.task, p.steps, p.source.kind) for p in found] == [
        ("Bold Text in Word", ["Select the text.", "Click Bold."], "wikihow"),
        ("Add a Slide in PowerPoint using the Ribbon", ["Click New Slide."], "wikihow"),
        (
            "Add a Slide in PowerPoint using the Keyboard",
            ["Press Ctrl+M.", "Type a title."],
            "wikihow",
        ),
    ]
    assert found[0].ui_terms[1] == ["Bold"] and found[0].source.locator.startswith("/articles/0")


def test_csv_dumps_one_row_per_article_or_per_step() -> None:
    per_article = (
        'title,steps,app\n"How to Center Text","1. Select the text. 2. Click Center.",word\n'
    )
    assert [(p.task, p.steps, p.app) for p in plans(per_article, "a.csv")] == [
        ("Center Text", ["Select the text.", "Click Center."], "word")
    ]
    per_step = (
        "title\tsectionLabel\theadline\n"
        "How to Sort\tSteps\tClick Data.\nHow to Sort\tSteps\tClick Sort.\n"
    )
    found = plans(per_step, "b.tsv")
    assert [(p.task, p.steps, p.source.locator) for p in found] == [
        ("Sort", ["Click Data.", "Click Sort."], "line 2: How to Sort > Steps")
    ]


def test_ufo_tasks_are_imported_as_they_are() -> None:
    task = {
        "app": "Word",
        "unique_id": "7",
        "task": "Turning lines of text into a bulleted list in Word",
        "refined_steps": [
            "1. Place the cursor at the beginning of the line",
            "2. Click the **Bullets** button in the **Paragraph** group on the **Home** tab",
        ],
    }
    for name, text in (("t.json", json.dumps(task)), ("t.jsonl", json.dumps(task) + "\n")):
        (found,) = plans(text, name)
        assert found.task == task["task"]
        assert found.steps == [
            "Place the cursor at the beginning of the line",
            "Click the Bullets button in the Paragraph group on the Home tab",
        ]
        assert found.ui_terms[1] == ["Bullets", "Paragraph", "Home"]
        assert (found.app, found.source.kind, found.plan_source) == ("word", "import", "import")
        assert found.source.locator == "unique_id=7"
