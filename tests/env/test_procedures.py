"""Help-page procedures (samples/docs style) executed on the sample apps: each passes its
checks, and each loses them when its one decisive step is removed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lamdata.env import load_app_models
from lamdata.env.uitree import UITreeEnv
from lamdata.execute.runner import Policy, run_instance
from lamdata.records import Action, Check
from lamdata.validation import load_schema
from tests.env.helpers import APPS, act, check, instance

MODELS = load_app_models(APPS)
#: Control type names the README also sets in bold (they are types, not labels).
TYPES = set(load_schema("app_model")["$defs"]["control_type"]["enum"])

Procedure = tuple[str, str, list[Action], list[Check], int]

#: (app, template, actions, checks, index of a step whose removal must fail the checks)
PROCEDURES: dict[str, Procedure] = {
    "word page numbers at the bottom": (
        "word",
        "word-essay",
        [
            act("click", label="Insert"),
            act("click", label="Page Number"),
            act("click", label="Bottom of Page"),
        ],
        [check("doc.page.page_numbers", "eq", "bottom")],
        1,
    ),
    "word narrow margins and landscape": (
        "word",
        "word-quarterly-report",
        [
            act("click", label="Layout"),
            act("click", label="Margins"),
            act("click", label="Narrow"),
            act("click", label="Orientation"),
            act("click", label="Landscape"),
        ],
        [
            check("doc.page.margins", "eq", "Narrow"),
            check("doc.page.orientation", "eq", "Landscape"),
        ],
        2,
    ),
    "word heading style and centered": (
        "word",
        "word-essay",
        [
            act("select_text", "document", text="Why Cities Need Gardens"),
            act("click", label="Heading 1"),
            act("click", label="Center"),
        ],
        [
            check("doc.paragraphs[0].style", "eq", "Heading 1"),
            check("doc.paragraphs[0].bold", "eq", True),
            check("doc.paragraphs[0].alignment", "eq", "center"),
        ],
        0,
    ),
    "word font and size": (
        "word",
        "word-cover-letter",
        [
            act("click", label="Select All"),
            act("select", label="Font", option="Georgia"),
            act("select", label="Font Size", option="12"),
        ],
        [
            check("doc.paragraphs[*].font", "not_contains", "Calibri"),
            check("doc.paragraphs[3].size", "eq", 12),
        ],
        0,
    ),
    "word find selects the text": (
        "word",
        "word-recipe",
        [act("click", label="Find"), act("set_text", label="Search document", text="batter")],
        [check("ui.selection.text", "eq", "batter"), check("ui.selection.paragraphs", "eq", [7])],
        1,
    ),
    "word ruler and zoom": (
        "word",
        "word-essay",
        [
            act("click", label="View"),
            act("click", label="Ruler"),
            act("click", label="Zoom"),
            act("select", label="Percent", option="150"),
            act("click", "btn_zoom_ok"),
        ],
        [check("doc.view.ruler", "eq", True), check("doc.view.zoom", "eq", 150)],
        3,
    ),
    "excel remove duplicates": (
        "excel",
        "excel-contact-list",
        [
            act("click", label="Data"),
            act("click", label="Remove Duplicates"),
            act("click", "btn_remove_duplicates_ok"),
        ],
        [check("doc.cells.A6.value", "eq", "Eli Park"), check("doc.cells.A7", "not_exists")],
        2,
    ),
    "excel sort descending by a column": (
        "excel",
        "excel-grade-book",
        [
            act("click", label="B2"),
            act("click", label="Sort & Filter"),
            act("click", label="Sort Z to A"),
        ],
        [check("doc.cells.A2.value", "eq", "Gia"), check("doc.cells.A1.value", "eq", "Student")],
        2,
    ),
    "excel currency format": (
        "excel",
        "excel-inventory",
        [
            act("set_text", label="Name Box", text="D2:D6"),
            act("select", label="Number Format", option="Currency"),
        ],
        [
            check("doc.cells.D4.display", "eq", "$199.75"),
            check("doc.cells.D2.number_format", "eq", "Currency"),
        ],
        1,
    ),
    "excel average formula typed in a cell": (
        "excel",
        "excel-grade-book",
        [act("click", label="E2"), act("set_text", label="Formula Bar", text="=AVERAGE(B2:D2)")],
        [check("doc.cells.E2.value", "ge", 84.66), check("doc.cells.E2.value", "le", 84.67)],
        1,
    ),
    "excel column chart and filter": (
        "excel",
        "excel-sales-by-region",
        [
            act("click", label="Insert"),
            act("click", label="Column Chart"),
            act("click", label="Data"),
            act("click", label="Filter"),
        ],
        [check("doc.charts[0].type", "eq", "Column"), check("doc.filter.range", "eq", "A1:F7")],
        3,
    ),
    "excel freeze top row": (
        "excel",
        "excel-expenses-dated",
        [
            act("click", label="View"),
            act("click", label="Freeze Panes"),
            act("click", label="Freeze Top Row"),
        ],
        [check("doc.freeze", "eq", "top_row")],
        1,
    ),
    "powerpoint theme and slide size": (
        "powerpoint",
        "ppt-product-launch",
        [
            act("click", label="Design"),
            act("click", label="Ion"),
            act("click", label="Slide Size"),
            act("click", label="Standard (4:3)"),
        ],
        [check("doc.theme", "eq", "Ion"), check("doc.slide_size", "eq", "Standard (4:3)")],
        0,
    ),
    "powerpoint transition to all slides": (
        "powerpoint",
        "ppt-training",
        [
            act("click", label="Transitions"),
            act("click", label="Push"),
            act("set_text", label="Duration", text="2.5"),
            act("click", label="Apply To All"),
        ],
        [
            check("doc.slides[*].transition", "not_contains", "None"),
            check("doc.slides[5].duration", "eq", 2.5),
        ],
        3,
    ),
    "powerpoint delete a slide and bold a title": (
        "powerpoint",
        "ppt-team-update",
        [
            act("click", label="Slide 3"),
            act("click", label="Delete Slide"),
            act("click", label="Slide 1"),
            act("click", label="Click to add title"),
            act("click", label="Bold"),
        ],
        [
            check("doc.slides", "len_eq", 2),
            check("doc.slides[0].title_format.bold", "eq", True),
            check("doc.slides[0].body_format.bold", "eq", False),
        ],
        1,
    ),
}


@pytest.mark.parametrize("name", sorted(PROCEDURES))
def test_procedure_passes_and_needs_its_decisive_step(name: str) -> None:
    app, template, actions, checks, decisive = PROCEDURES[name]
    env = UITreeEnv(MODELS[app])
    traj = run_instance(env, instance(app, template, actions, checks), Policy())
    assert [s.status for s in traj.steps] == ["ok"] * len(actions), [s.error for s in traj.steps]
    assert traj.outcome.label == "pass", [c.detail for c in traj.outcome.checks]
    shorter = actions[:decisive] + actions[decisive + 1 :]
    assert (
        run_instance(env, instance(app, template, shorter, checks), Policy()).outcome.label
        == "fail"
    )


def test_every_label_of_the_samples_readme_is_a_control() -> None:
    readme = (Path(APPS).parent / "README.md").read_text(encoding="utf-8")
    sections = re.split(r"^### `(\w+)`", readme, flags=re.MULTILINE)[1:]
    for app, text in zip(sections[::2], sections[1::2], strict=True):
        body = " ".join(text.split())
        labels = set(re.findall(r"\*\*(.+?)\*\*", body)) - TYPES
        texts = {c.text for c in MODELS[app].controls.values()}
        missing = {label for label in labels if label not in texts}
        assert not missing, f"{app}: {sorted(missing)}"
