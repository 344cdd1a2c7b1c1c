"""Hand-written procedures over the three sample apps, one per kind of control and effect:
each is instantiated offline, executed on the environment, and must pass its checks."""

from __future__ import annotations

import re

import pytest

from lamdata.env import AppModel
from lamdata.instantiate import AppContext, instantiate_plan

from .conftest import plan
from .test_ground import run

WORD = [
    (
        "Change the line spacing",
        [
            "Select the paragraph.",
            "On the **Home** tab, in the **Line and Paragraph Spacing** box, select **1.5**.",
        ],
    ),
    ("Add bullets to a list", ["Select the lines.", "On the **Home** tab, click **Bullets**."]),
    (
        "Insert a picture",
        [
            "On the **Insert** tab, click **Pictures**.",
            'In the **File name** box, type "logo.png".',
            "Click **Insert**.",
        ],
    ),
    (
        "Save a copy with a new name",
        [
            "On the **File** tab, click **Save As**.",
            'In the **File name** box, type "Final report".',
            "Click **Save**.",
        ],
    ),
    (
        "Zoom in",
        [
            "On the **View** tab, click **Zoom**.",
            "In the **Percent** box, select **150**.",
            "Click **OK**.",
        ],
    ),
    (
        "Remove formatting",
        ["Select the text.", "On the **Home** tab, click **Clear All Formatting**."],
    ),
    ("Change the paper size to A4", ["On the **Layout** tab, click **Size**.", "Click **A4**."]),
    ("Add a header", ["On the **Insert** tab, click **Header**."]),
    ("Underline a word", ["Select the word.", "Click **Underline**."]),
    ("Justify a paragraph", ["Click in the paragraph.", "On the **Home** tab, click **Justify**."]),
    ("Apply the Quote style", ["Select the paragraph.", "In the Styles group, click **Quote**."]),
    ("Show the word count", ["On the **Review** tab, click **Word Count**."]),
    ("Switch to Web Layout", ["On the **View** tab, click **Web Layout**."]),
    ("Set the font to Arial", ["Select the text.", "In the **Font** box, select **Arial**."]),
    ("Number a list", ["Select the list.", "Click **Numbering**."]),
]
EXCEL = [
    (
        "Merge and center a title",
        ["Select cells **A1:D1**.", "On the **Home** tab, click **Merge & Center**."],
    ),
    (
        "Wrap text in cells",
        ["Select the header cells.", "On the **Home** tab, click **Wrap Text**."],
    ),
    (
        "Create a column chart",
        ["Select the data.", "On the **Insert** tab, click **Column Chart**."],
    ),
    ("Insert a PivotTable", ["Select the data.", "On the **Insert** tab, click **PivotTable**."]),
    (
        "Name a range",
        [
            "Select cells B2:B6.",
            "On the **Formulas** tab, click **Define Name**.",
            "In the **Name** box, type Prices.",
            "Click **OK**.",
        ],
    ),
    (
        "Insert a row",
        [
            "Select cell A3.",
            "On the **Home** tab, click **Insert**, and then click **Insert Sheet Rows**.",
        ],
    ),
    (
        "Delete a column",
        [
            "Select cell B1.",
            "On the **Home** tab, click **Delete**, and then click **Delete Sheet Columns**.",
        ],
    ),
    (
        "Highlight cells with conditional formatting",
        ["Select the numbers.", "On the **Home** tab, click **Conditional Formatting**."],
    ),
    (
        "Fill the header with yellow",
        [
            "Select the header row.",
            "On the **Home** tab, in the **Fill Color** box, select **Yellow**.",
        ],
    ),
    ("Hide gridlines", ["On the **View** tab, clear the **Gridlines** check box."]),
    (
        "Compute an average with Insert Function",
        [
            "Select cell **B8**.",
            "On the **Formulas** tab, click **Insert Function**.",
            "In **Select a function**, choose **AVERAGE**.",
            "In the **Range** box, type B2:B7.",
            "Click **OK**.",
        ],
    ),
    ("Filter data", ["Click any cell in the data.", "On the **Data** tab, click **Filter**."]),
    (
        "Sort largest to smallest",
        [
            "Select the numbers.",
            "On the **Data** tab, click **Sort**.",
            "In **Order**, choose **Largest to Smallest**.",
            "Click **OK**.",
        ],
    ),
    (
        "Freeze the first column",
        ["On the **View** tab, click **Freeze Panes**, then **Freeze First Column**."],
    ),
    (
        "Format as percentage",
        ["Select the cells.", "In the **Number Format** box, select **Percentage**."],
    ),
]
POWERPOINT = [
    (
        "Change the slide size to 4:3",
        ["On the **Design** tab, click **Slide Size**.", "Click **Standard (4:3)**."],
    ),
    (
        "Set the transition duration",
        ["On the **Transitions** tab, click **Wipe**.", "In the **Duration** box, type 3."],
    ),
    ("Delete a slide", ["Select the slide.", "On the **Home** tab, click **Delete Slide**."]),
    ("Insert a text box", ["On the **Insert** tab, click **Text Box**."]),
    (
        "Insert a table on a slide",
        [
            "On the **Insert** tab, click **Table**.",
            "In **Number of rows** type 3.",
            "Click **OK**.",
        ],
    ),
    (
        "Change the background fill",
        [
            "On the **Design** tab, click **Format Background**.",
            "In the **Fill** list, select **Gradient fill**.",
        ],
    ),
    ("Apply the Ion theme", ["On the **Design** tab, click **Ion**."]),
    ("Add slide numbers", ["On the **Insert** tab, click **Slide Number**."]),
    ("Start from the current slide", ["On the **Slide Show** tab, click **From Current Slide**."]),
    (
        "Make the body text bigger",
        ["Click the body placeholder.", "In the **Font Size** box, select **24**."],
    ),
    ("Center the title", ["Click the title.", "On the **Home** tab, click **Center**."]),
    (
        "Add a section header slide",
        ["On the **Home** tab, click **New Slide**.", "Click **Section Header**."],
    ),
    ("Switch to Slide Sorter view", ["On the **View** tab, click **Slide Sorter**."]),
    ("Type a slide title", ["Click **Click to add title**.", 'Type "Agenda".']),
]

CASES = [
    *(("word", t, s) for t, s in WORD),
    *(("excel", t, s) for t, s in EXCEL),
    *(("powerpoint", t, s) for t, s in POWERPOINT),
]


@pytest.mark.parametrize(("app", "task", "steps"), CASES, ids=[c[1] for c in CASES])
def test_procedure_runs_and_passes(
    sample_models: dict[str, AppModel],
    sample_contexts: dict[str, AppContext],
    app: str,
    task: str,
    steps: list[str],
) -> None:
    terms = [re.findall(r"\*\*(.+?)\*\*", s) for s in steps]
    text = [s.replace("**", "") for s in steps]
    inst = instantiate_plan(plan(app, task, text, terms), sample_contexts[app], 0.5)
    assert inst.verdict.keep, inst.verdict.reason
    statuses, results = run(sample_models[app], inst)
    assert set(statuses) == {"ok"}, statuses
    assert results and all(results), [c.to_dict() for c in inst.checks]


def test_delete_a_sentence_is_concrete_and_checked(
    sample_models: dict[str, AppModel], sample_contexts: dict[str, AppContext]
) -> None:
    """The paper's example: "delete text" becomes "delete the sentence '…' in paragraph n"."""
    steps = ["Select the sentence you want to delete.", "Press Delete."]
    inst = instantiate_plan(plan("word", "Delete a sentence", steps), sample_contexts["word"], 0.5)
    assert inst.verdict.keep, inst.verdict.reason
    assert "the sentence '" in inst.task and "in paragraph" in inst.task
    assert [c.op for c in inst.checks] == ["not_contains"]
    statuses, results = run(sample_models["word"], inst)
    assert set(statuses) == {"ok"} and all(results)
    inst.actions = inst.actions[:-1]
    assert run(sample_models["word"], inst)[1] == [False]


@pytest.mark.parametrize(
    ("task", "steps", "attr"),
    [
        ("Bold with the keyboard", ["Select the text.", "Press **Ctrl+B**."], "bold"),
        ("Italic with the keyboard", ["Select the text, and then press Ctrl+I."], "italic"),
    ],
)
def test_keyboard_shortcuts_perform_their_control(
    sample_models: dict[str, AppModel],
    sample_contexts: dict[str, AppContext],
    task: str,
    steps: list[str],
    attr: str,
) -> None:
    terms = [re.findall(r"\*\*(.+?)\*\*", s) for s in steps]
    text = [s.replace("**", "") for s in steps]
    inst = instantiate_plan(plan("word", task, text, terms), sample_contexts["word"], 0.5)
    assert inst.verdict.keep, inst.verdict.reason
    assert inst.actions[-1].function == "type_keys"
    assert [c.path.rsplit(".", 1)[-1] for c in inst.checks] == [attr]
    statuses, results = run(sample_models["word"], inst)
    assert set(statuses) == {"ok"} and all(results)


def test_an_unknown_shortcut_is_not_guessed(sample_contexts: dict[str, AppContext]) -> None:
    inst = instantiate_plan(
        plan("word", "Strike through", ["Select the text.", "Press Ctrl+Q."]),
        sample_contexts["word"],
        0.5,
    )
    assert not inst.verdict.keep and "unknown_shortcut" in inst.verdict.reason


#: WikiHow-style steps: no marked UI terms, the names are found in the prose.
UNMARKED = [
    (
        "word",
        "Make text bold",
        ["Highlight the text you want to change.", "Click the Home tab.", "Click the Bold button."],
    ),
    (
        "word",
        "Insert a table",
        [
            "Go to the Insert tab.",
            "Click Table.",
            "Enter 4 in the Number of columns box.",
            "Enter 2 in the Number of rows box.",
            "Click OK.",
        ],
    ),
    (
        "excel",
        "Sort a column",
        [
            "Click cell A2.",
            "Open the Data tab.",
            "Click Sort.",
            "Select Column A in the Sort by list.",
            "Click OK.",
        ],
    ),
    ("excel", "Add a total", ["Click cell B7.", "Type =SUM(B2:B6) and press Enter."]),
    ("powerpoint", "Change theme", ["Click the Design tab.", "Select the Retrospect theme."]),
    ("word", "Find a word", ["Press Ctrl+F.", "Type a word in the Search document box."]),
]


@pytest.mark.parametrize(("app", "task", "steps"), UNMARKED, ids=[c[1] for c in UNMARKED])
def test_unmarked_steps_are_grounded_from_their_prose(
    sample_models: dict[str, AppModel],
    sample_contexts: dict[str, AppContext],
    app: str,
    task: str,
    steps: list[str],
) -> None:
    inst = instantiate_plan(plan(app, task, steps), sample_contexts[app], 0.5)
    assert inst.verdict.keep, inst.verdict.reason
    statuses, results = run(sample_models[app], inst)
    assert set(statuses) == {"ok"} and results and all(results)
