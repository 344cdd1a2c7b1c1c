from __future__ import annotations

import pytest

from lamdata.instantiate.filters import classify, not_actionable


@pytest.mark.parametrize(
    ("task", "steps", "app", "kind"),
    [
        ("What is a section break?", ["A section break divides a document."], "word", "non_task"),
        ("Overview of the ribbon", ["The ribbon has tabs."], "word", "non_task"),
        ("Install the grammar add-in", ["Click Get Add-ins."], "word", "env_change"),
        ("Sign in to your account", ["Click Sign in."], "excel", "env_change"),
        ("Delete unwanted recovered files", ["Open the folder"], "word", "env_change"),
        ("Send the report", ["Open Outlook and attach the file."], "word", "external_app"),
        ("Paste a chart from Excel", ["Open Excel and copy the chart."], "word", "external_app"),
        ("Share the deck", ["Upload it to OneDrive."], "powerpoint", "external_app"),
    ],
)
def test_rules_name_the_kind(task: str, steps: list[str], app: str, kind: str) -> None:
    verdict = classify(task, steps, app)
    assert verdict is not None and not verdict.keep
    assert verdict.kind == kind
    assert verdict.reason.startswith(kind + ":")


@pytest.mark.parametrize(
    ("task", "steps", "app"),
    [
        ("Make text bold", ["Select the text.", "Click Bold."], "word"),
        ("Sort data in Excel", ["On the Data tab, click Sort."], "excel"),
        ("Count the words", ["On the Review tab, click Word Count."], "word"),
        ("Insert a table", ["Click Table."], "powerpoint"),
    ],
)
def test_feasible_tasks_pass_the_rules(task: str, steps: list[str], app: str) -> None:
    assert classify(task, steps, app) is None


def test_a_plan_that_never_acts_is_a_non_task() -> None:
    verdict = not_actionable(["Read the introduction."], grounded=0)
    assert verdict is not None and verdict.kind == "non_task"
    assert not_actionable(["Click Bold."], grounded=1) is None
