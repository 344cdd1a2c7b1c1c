"""Offline grounding: navigation, arguments, targets, checks that execution can fail."""

from __future__ import annotations

import json

import pytest

from lamdata.env import AppModel
from lamdata.env.uitree import UITreeEnv
from lamdata.instantiate import AppContext, instantiate_plan
from lamdata.records import Instance

from .conftest import plan


def run(model: AppModel, inst: Instance) -> tuple[list[str], list[bool]]:
    """Execute an instance on a fresh environment: step statuses and check results."""
    env = UITreeEnv(model)
    assert inst.template_id is not None
    env.reset(inst.template_id)
    statuses = [env.step(a)[1].status for a in inst.actions]
    return statuses, [env.check(c)[0] for c in inst.checks]


def calls(inst: Instance) -> list[tuple[str, str | None, dict[str, object]]]:
    return [(a.function, a.control_id, json.loads(a.args_json)) for a in inst.actions]


def test_ribbon_button_gets_its_tab_and_a_selected_target(miniword: AppModel) -> None:
    ctx = AppContext.build(miniword)
    p = plan("word", "Make text italic", ["Select the text.", "Click **Italic**."])
    p.ui_terms = [[], ["Italic"]]
    inst = instantiate_plan(p, ctx, 0.5)
    assert inst.verdict.keep, inst.verdict.reason
    assert [c[:2] for c in calls(inst)] == [("select_text", "doc_body"), ("click", "btn_italic")]
    statuses, results = run(miniword, inst)
    assert statuses == ["ok", "ok"] and all(results)
    assert inst.checks[0].path.startswith("doc.paragraphs[") and inst.checks[0].value is True
    assert "paragraph" in inst.task


def test_navigation_is_inserted_before_a_dialog_field(miniword: AppModel) -> None:
    ctx = AppContext.build(miniword)
    steps = ["In **Number of rows** type 5 and in **Number of columns** type 2.", "Click **OK**."]
    inst = instantiate_plan(
        plan("word", "Insert a table", steps, [["Number of rows", "Number of columns"], ["OK"]]),
        ctx,
        0.5,
    )
    assert calls(inst) == [
        ("click", "tab_insert", {}),
        ("click", "btn_table", {}),
        ("set_text", "ed_rows", {"text": "5"}),
        ("set_text", "ed_cols", {"text": "2"}),
        ("click", "btn_table_ok", {}),
    ]
    checks = {(c.path, c.op): c.value for c in inst.checks}
    assert checks[("doc.tables[-1].rows", "eq")] == 5
    assert checks[("doc.tables[-1].columns", "eq")] == 2
    statuses, results = run(miniword, inst)
    assert set(statuses) == {"ok"} and all(results)


def test_checks_fail_when_a_step_is_removed(miniword: AppModel) -> None:
    ctx = AppContext.build(miniword)
    steps = ["On the **Layout** tab, click **Orientation**.", "Click **Landscape**."]
    inst = instantiate_plan(
        plan("word", "Landscape page", steps, [["Layout", "Orientation"], ["Landscape"]]), ctx, 0.5
    )
    assert inst.verdict.keep
    inst.actions = inst.actions[:-1]
    _, results = run(miniword, inst)
    assert results == [False]


def test_combo_option_from_the_step_and_an_unknown_control(miniword: AppModel) -> None:
    ctx = AppContext.build(miniword)
    ok = instantiate_plan(
        plan(
            "word",
            "Change the font size",
            ["Select text, then set **Font Size** to 14."],
            [["Font Size"]],
        ),
        ctx,
        0.5,
    )
    assert ("select", "cb_size", {"option": "14"}) in calls(ok)
    bad = instantiate_plan(
        plan(
            "word",
            "Check compatibility",
            ["Click **Compatibility Mode**."],
            [["Compatibility Mode"]],
        ),
        ctx,
        0.5,
    )
    assert not bad.verdict.keep and bad.verdict.kind == "other"
    assert "unknown_control" in bad.verdict.reason and "Compatibility Mode" in bad.verdict.reason


def test_option_not_offered_is_not_guessed(miniword: AppModel) -> None:
    ctx = AppContext.build(miniword)
    inst = instantiate_plan(
        plan(
            "word",
            "Huge text",
            ["Select the text.", "Set **Font Size** to 99."],
            [[], ["Font Size"]],
        ),
        ctx,
        0.5,
    )
    assert ("select", "cb_size", {"option": "99"}) not in calls(inst)


@pytest.mark.parametrize(
    ("app", "task", "steps", "terms"),
    [
        (
            "excel",
            "Sort the data from A to Z",
            [
                "Select the data.",
                "On the **Data** tab, click **Sort**.",
                "In **Sort by** choose the column and **A to Z** in **Order**.",
                "Click **OK**.",
            ],
            [[], ["Data", "Sort"], ["Sort by", "A to Z", "Order"], ["OK"]],
        ),
        (
            "excel",
            "Format numbers as currency",
            ["Select the cells.", "On the **Home** tab, choose **Currency** in **Number Format**."],
            [[], ["Home", "Currency", "Number Format"]],
        ),
        (
            "excel",
            "Type a value into a cell",
            ["Click cell **B2**.", "Type 42 and press Enter."],
            [["B2"], []],
        ),
        (
            "excel",
            "Add up a column",
            ["Select the numbers.", "Click **AutoSum**."],
            [[], ["AutoSum"]],
        ),
        (
            "powerpoint",
            "Apply a fade transition to all slides",
            ["On the **Transitions** tab, click **Fade**.", "Click **Apply To All**."],
            [["Transitions", "Fade"], ["Apply To All"]],
        ),
        (
            "powerpoint",
            "Change the slide layout",
            ["Select the slide.", "On the **Home** tab, click **Layout**, then **Two Content**."],
            [[], ["Home", "Layout", "Two Content"]],
        ),
        (
            "word",
            "Replace a word",
            [
                "On the **Home** tab, click **Replace**.",
                "Type the word in **Find what** and the new word in **Replace with**.",
                "Click **Replace All**.",
            ],
            [["Home", "Replace"], ["Find what", "Replace with"], ["Replace All"]],
        ),
    ],
)
def test_sample_apps_instances_pass_their_checks(
    sample_models: dict[str, AppModel],
    sample_contexts: dict[str, AppContext],
    app: str,
    task: str,
    steps: list[str],
    terms: list[list[str]],
) -> None:
    inst = instantiate_plan(plan(app, task, steps, terms), sample_contexts[app], 0.5)
    assert inst.verdict.keep, inst.verdict.reason
    assert inst.template_id and inst.template_hash and inst.template_score
    assert inst.checks
    statuses, results = run(sample_models[app], inst)
    assert set(statuses) == {"ok"}, statuses
    assert all(results), [c.to_dict() for c in inst.checks]


def test_a_template_where_the_task_changes_nothing_is_skipped(
    sample_contexts: dict[str, AppContext],
) -> None:
    """The deck that already has fade transitions matches best by description, but fading it
    changes nothing: the next template above the threshold is used."""
    inst = instantiate_plan(
        plan(
            "powerpoint",
            "Apply a fade transition",
            ["On the **Transitions** tab, click **Fade**."],
            [["Transitions", "Fade"]],
        ),
        sample_contexts["powerpoint"],
        0.5,
    )
    assert inst.verdict.keep and inst.template_id != "ppt-quarterly-review"


def test_checks_follow_slides_that_a_later_action_moves(
    sample_models: dict[str, AppModel], sample_contexts: dict[str, AppContext]
) -> None:
    """A transition set on slide 2, then a new slide inserted after slide 1: the checks on the
    old slide 2 move to slide 3 and the new slide keeps the default transition."""
    steps = [
        "Click **Slide 2** in the slide panel.",
        "On the **Transitions** tab, click **Push**.",
        "Click **Apply To All**.",
        "In the slide panel, click **Slide 1**.",
        "On the **Home** tab, click **New Slide**.",
        "Click **Title and Content**.",
    ]
    terms = [
        ["Slide 2"],
        ["Transitions", "Push"],
        ["Apply To All"],
        ["Slide 1"],
        ["Home", "New Slide"],
        ["Title and Content"],
    ]
    inst = instantiate_plan(
        plan("powerpoint", "Push transitions, then a new slide", steps, terms),
        sample_contexts["powerpoint"],
        0.5,
    )
    assert inst.verdict.keep, inst.verdict.reason
    paths = {c.path for c in inst.checks}
    assert "doc.slides[2].transition" in paths and "doc.slides[1].layout" in paths
    statuses, results = run(sample_models["powerpoint"], inst)
    assert set(statuses) == {"ok"} and all(results)


def test_an_ordinal_names_the_target(miniword: AppModel) -> None:
    ctx = AppContext.build(miniword)
    inst = instantiate_plan(
        plan(
            "word",
            "Make the first paragraph bold",
            ["Select the first paragraph.", "Click **Bold**."],
            [[], ["Bold"]],
        ),
        ctx,
        0.5,
    )
    assert inst.verdict.keep
    assert calls(inst)[0][0] == "select_text" and "paragraph 1" in inst.task
    assert [c.path for c in inst.checks] == ["doc.paragraphs[0].bold"]


def test_a_composition_no_template_can_carry_is_a_template_miss(
    sample_contexts: dict[str, AppContext],
) -> None:
    steps = [
        "On the **Data** tab, click **Remove Duplicates**.",
        "Click **OK**.",
        "In the **Name Box**, type C6.",
        "On the **Home** tab, click **AutoSum**.",
    ]
    terms = [["Data", "Remove Duplicates"], ["OK"], ["Name Box"], ["Home", "AutoSum"]]
    inst = instantiate_plan(
        plan("excel", "Remove duplicates, then use AutoSum", steps, terms),
        sample_contexts["excel"],
        0.5,
    )
    assert (inst.verdict.kind, inst.verdict.keep) == ("template_miss", False)
    assert "number" in inst.verdict.reason


def test_a_later_selection_replaces_the_found_text_check(
    sample_models: dict[str, AppModel], sample_contexts: dict[str, AppContext]
) -> None:
    steps = [
        "On the **Home** tab, click **Find**.",
        "In the **Search document** box, type budget.",
        "Select the text that you want to make bold.",
        "On the **Home** tab, click **Bold**.",
    ]
    terms = [["Home", "Find"], ["Search document"], [], ["Home", "Bold"]]
    inst = instantiate_plan(
        plan("word", "Find text, then make text bold", steps, terms), sample_contexts["word"], 0.5
    )
    assert inst.verdict.keep and not [c for c in inst.checks if c.path.startswith("ui.")]
    statuses, results = run(sample_models["word"], inst)
    assert set(statuses) == {"ok"} and all(results)
