"""Golden test: ingesting ``samples/docs/`` gives exactly the procedures a careful reader marks.

The list below was written by reading each sample page: every procedure (a goal and its ordered
steps), its task in imperative form, its number of steps and its app. Reference pages (keyboard
shortcuts, what's new) give none; notes, tips, tables, "See also" lists and WikiHow tips and
warnings give none.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lamdata.cli.main import app as cli
from lamdata.ingest.docs import ingest_docs
from lamdata.records import TaskPlan
from lamdata.store import Store

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "docs"

#: (file, task, number of steps, app, source kind)
GOLDEN = [
    ("excel-cells.md", "Merge cells into one", 2, "excel", "help_doc"),
    ("excel-cells.md", "Multiply two columns", 3, "excel", "help_doc"),
    ("excel-cells.md", "Wrap long text", 2, "excel", "help_doc"),
    ("excel-cells.md", "Hide the gridlines", 1, "excel", "help_doc"),
    ("excel-charts.md", "Create a column chart", 2, "excel", "help_doc"),
    ("excel-charts.md", "Create a pie chart from the sales figures", 2, "excel", "help_doc"),
    ("excel-charts.md", "Add a line chart", 2, "excel", "help_doc"),
    ("excel-charts.md", "Publish the chart to Power BI", 3, "excel", "help_doc"),
    ("excel-formulas-and-data.html", "Add up a column of numbers", 2, "excel", "help_doc"),
    ("excel-formulas-and-data.html", "Use AutoSum", 3, "excel", "help_doc"),
    ("excel-formulas-and-data.html", "Format numbers as currency", 2, "excel", "help_doc"),
    ("excel-formulas-and-data.html", "Sort a list alphabetically", 3, "excel", "help_doc"),
    ("excel-formulas-and-data.html", "Filter your data", 2, "excel", "help_doc"),
    ("excel-formulas-and-data.html", "Remove duplicate rows", 3, "excel", "help_doc"),
    ("excel-formulas-and-data.html", "Freeze the top row", 2, "excel", "help_doc"),
    ("powerpoint-design.md", "Apply a theme", 1, "powerpoint", "help_doc"),
    ("powerpoint-design.md", "Add a transition between slides", 4, "powerpoint", "help_doc"),
    ("powerpoint-design.md", "Change the slide size", 2, "powerpoint", "help_doc"),
    (
        "powerpoint-design.md",
        "Start the slide show from the beginning",
        1,
        "powerpoint",
        "help_doc",
    ),
    ("powerpoint-design.md", "Change the Windows display language", 4, "powerpoint", "help_doc"),
    ("powerpoint-slides.md", "Add a new slide", 3, "powerpoint", "help_doc"),
    ("powerpoint-slides.md", "Change the layout of a slide", 3, "powerpoint", "help_doc"),
    ("powerpoint-slides.md", "Add a title to a slide", 2, "powerpoint", "help_doc"),
    ("ufo-tasks.json", "Making the first paragraph of the document bold", 2, "word", "import"),
    ("ufo-tasks.json", "Sort the names in column A from A to Z", 3, "excel", "import"),
    ("ufo-tasks.json", "Apply the Ion theme to the presentation", 2, "powerpoint", "import"),
    ("wikihow-page-numbers-word.html", "Add Page Numbers to the Footer", 4, "word", "wikihow"),
    ("wikihow-page-numbers-word.html", "Add Page Numbers to the Header", 3, "word", "wikihow"),
    (
        "wikihow-powerpoint-transitions.txt",
        "Add Transitions in PowerPoint",
        5,
        "powerpoint",
        "wikihow",
    ),
    ("word-find-replace-review.html", "Find text", 2, "word", "help_doc"),
    (
        "word-find-replace-review.html",
        "Replace a word everywhere in the document",
        5,
        "word",
        "help_doc",
    ),
    ("word-find-replace-review.html", "Count the words in a document", 1, "word", "help_doc"),
    ("word-find-replace-review.html", "Track your changes", 1, "word", "help_doc"),
    ("word-find-replace-review.html", "Show the ruler", 2, "word", "help_doc"),
    (
        "word-find-replace-review.html",
        "Send the document by email with Outlook",
        3,
        "word",
        "help_doc",
    ),
    ("word-format-text.html", "Make text bold", 2, "word", "help_doc"),
    ("word-format-text.html", "Add italic or underline", 2, "word", "help_doc"),
    ("word-format-text.html", "Change the font of your text", 3, "word", "help_doc"),
    ("word-format-text.html", "Center a paragraph", 2, "word", "help_doc"),
    ("word-format-text.html", "Apply a heading style", 2, "word", "help_doc"),
    ("word-tables-and-pages.html", "Insert a table", 5, "word", "help_doc"),
    ("word-tables-and-pages.html", "Add page numbers", 2, "word", "help_doc"),
    ("word-tables-and-pages.html", "Change the margins", 2, "word", "help_doc"),
    ("word-tables-and-pages.html", "Change the page orientation", 2, "word", "help_doc"),
    ("word-tables-and-pages.html", "Split text into columns", 3, "word", "help_doc"),
    ("word-tables-and-pages.html", "Start a new page", 2, "word", "help_doc"),
]
REFERENCE_PAGES = ("word-keyboard-shortcuts.html", "whats-new-powerpoint.md")


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> list[TaskPlan]:
    store = Store(tmp_path_factory.mktemp("store"))
    summary = ingest_docs(store, [SAMPLES])
    assert summary.rejected_total == 0
    assert summary.notes["files_read"] == len(list(SAMPLES.iterdir()))
    return store.records("task_plans", TaskPlan)


def test_exactly_the_marked_procedures(plans: list[TaskPlan]) -> None:
    found = sorted(
        (Path(p.source.uri).name, p.task, len(p.steps), p.app, p.source.kind) for p in plans
    )
    assert found == sorted(GOLDEN)


def test_reference_pages_give_nothing(plans: list[TaskPlan]) -> None:
    assert not [p for p in plans if Path(p.source.uri).name in REFERENCE_PAGES]


def test_provenance_and_terms(plans: list[TaskPlan]) -> None:
    table = next(p for p in plans if p.task == "Insert a table")
    assert table.source.uri == str(SAMPLES / "word-tables-and-pages.html")
    assert table.source.title == "Tables, page numbers and page layout"
    assert table.source.locator == (
        "Tables, page numbers and page layout > Tables > To insert a table, follow these steps"
    )
    assert table.steps[2] == (
        "In the Insert Table dialog box, in the Number of columns box, type 3."
    )
    assert table.ui_terms[2] == ["Insert Table", "Number of columns"]
    assert table.plan_source == "document" and table.lang == "en"
    imported = next(p for p in plans if p.source.kind == "import" and p.app == "excel")
    assert imported.plan_source == "import"
    assert imported.source.locator == "unique_id=102"
    assert imported.steps == [
        "Click cell A2",
        "Click Sort & Filter on the Home tab",
        "Click Sort A to Z",
    ]


def test_steps_are_clean_and_keep_labels(plans: list[TaskPlan]) -> None:
    for plan in plans:
        assert len(plan.ui_terms) == len(plan.steps)
        for step, terms in zip(plan.steps, plan.ui_terms, strict=True):
            assert step == step.strip() and "  " not in step
            assert not step[:3].rstrip().rstrip(".").isdigit(), step
            assert "**" not in step and "<" not in step
            assert all(term in step for term in terms), (step, terms)
    bold = next(p for p in plans if p.task == "Add italic or underline")
    assert bold.steps[1] == (
        "On the Home tab, do one of the following: To make the text italic, click Italic. "
        "To underline the text, click Underline."
    )
    wiki = next(p for p in plans if p.task == "Add Page Numbers to the Footer")
    assert wiki.steps == [
        "Open your document in Word.",
        "Click the Insert tab.",
        "Click Page Number.",
        "Click Bottom of Page.",
    ]


def test_cli_and_resume(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(SAMPLES, docs)
    runner = CliRunner()
    store = tmp_path / "st"
    args = ["ingest", "docs", str(docs), "--store", str(store), "--json"]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert f'"records_out": {len(GOLDEN)}' in first.output
    again = runner.invoke(cli, args)
    assert again.exit_code == 0
    assert '"records_out": 0' in again.output and '"skipped_parts": 0' not in again.output
    page = docs / "excel-cells.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    third = runner.invoke(cli, args)
    assert third.exit_code == 0 and '"records_out": 0' in third.output
    assert '"files_read": ' in third.output and '"files_read": 0' not in third.output
    assert Store(store).count("task_plans") == len(GOLDEN)
