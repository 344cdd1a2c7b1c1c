"""Hand-written actions and instances over the sample app models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lamdata.records import Action, Check, Instance, Verdict

APPS = Path(__file__).resolve().parents[2] / "samples" / "apps"


def act(fn: str, cid: str | None = None, label: str | None = None, **args: Any) -> Action:
    return Action(
        step=0, function=fn, control_id=cid, control_text=label, args_json=json.dumps(args)
    )


def check(path: str, op: str, value: Any = None) -> Check:
    return Check(path=path, op=op, value_json=json.dumps(value))


def instance(
    app: str,
    template: str,
    actions: list[Action],
    checks: list[Check],
    *,
    task: str = "a task",
    keep: bool = True,
) -> Instance:
    numbered = [Action(**{**a.to_dict(), "step": i}) for i, a in enumerate(actions)]
    return Instance.create(
        task_plan_id="tp_test",
        app=app,
        template_id=template,
        task=task,
        actions=numbered,
        checks=checks,
        verdict=Verdict(keep=keep),
    )


#: Bold the first paragraph of the cover letter (correct).
BOLD_FIRST = (
    "word",
    "word-cover-letter",
    [act("select_text", "document", text="Dear Hiring Manager"), act("click", label="Bold")],
    [check("doc.paragraphs[0].bold", "eq", True), check("doc.paragraphs[1].bold", "eq", False)],
)
#: Insert a 3x4 table (correct).
TABLE_3X4 = (
    "word",
    "word-blank",
    [
        act("click", label="Insert"),
        act("click", label="Table"),
        act("set_text", label="Number of columns", text="4"),
        act("set_text", label="Number of rows", text="3"),
        act("click", "btn_table_ok"),
    ],
    [
        check("doc.tables", "len_eq", 1),
        check("doc.tables[0].rows", "eq", 3),
        check("doc.tables[0].columns", "eq", 4),
    ],
)
#: Type a total formula into the budget sheet (correct).
BUDGET_TOTAL = (
    "excel",
    "excel-monthly-budget",
    [
        act("click", label="A7"),
        act("set_text", "ed_formula_bar", text="Total"),
        act("set_text", label="Name Box", text="B7"),
        act("set_text", label="Formula Bar", text="=SUM(B2:B6)"),
        act("click", label="Bold"),
    ],
    [
        check("doc.cells.B7.value", "eq", 2150),
        check("doc.cells.B7.bold", "eq", True),
        check("doc.cells.A7.value", "eq", "Total"),
    ],
)
#: Add a Section Header slide with a title and a Fade transition (correct).
NEW_SLIDE = (
    "powerpoint",
    "ppt-team-update",
    [
        act("click", label="Slide 3"),
        act("click", label="New Slide"),
        act("click", label="Section Header"),
        act("set_text", label="Click to add title", text="Plans"),
        act("click", label="Transitions"),
        act("click", label="Fade"),
    ],
    [
        check("doc.slides", "len_eq", 4),
        check("doc.slides[3].layout", "eq", "Section Header"),
        check("doc.slides[3].title", "eq", "Plans"),
        check("doc.slides[3].transition", "eq", "Fade"),
    ],
)
CORRECT = {"bold_first": BOLD_FIRST, "table": TABLE_3X4, "budget": BUDGET_TOTAL, "slide": NEW_SLIDE}
