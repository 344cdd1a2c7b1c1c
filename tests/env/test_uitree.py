"""Golden tests: known-bad actions get exactly the expected status; correct sequences pass."""

from __future__ import annotations

import pytest

from lamdata.env import Environment, load_app_models
from lamdata.env.uitree import UITreeEnv
from lamdata.execute.runner import Policy, run_instance
from lamdata.records import Action
from tests.env.helpers import APPS, CORRECT, act, check, instance

MODELS = load_app_models(APPS)


def env_on(app: str, template: str) -> UITreeEnv:
    env = UITreeEnv(MODELS[app])
    env.reset(template)
    return env


def statuses(app: str, template: str, actions: list[Action]) -> list[str]:
    env = env_on(app, template)
    return [env.step(a)[1].status for a in actions]


GOLDEN = [
    (
        "hidden control: dialog button before the dialog opens",
        "word",
        "word-essay",
        [act("click", label="Replace All")],
        ["not_visible"],
    ),
    (
        "wrong tab: Insert › Table while Home is selected",
        "word",
        "word-essay",
        [act("click", label="Table")],
        ["not_visible"],
    ),
    (
        "wrong tab in excel: Remove Duplicates on Home",
        "excel",
        "excel-contact-list",
        [act("click", label="Remove Duplicates")],
        ["not_visible"],
    ),
    (
        "disabled: Replace All with an empty Find what",
        "word",
        "word-essay",
        [act("click", label="Replace"), act("click", label="Replace All")],
        ["ok", "disabled"],
    ),
    (
        "disabled: ribbon behind a modal dialog",
        "word",
        "word-essay",
        [act("click", label="Replace"), act("click", label="Select All")],
        ["ok", "disabled"],
    ),
    (
        "disabled: Delete Slide with one slide",
        "powerpoint",
        "ppt-blank",
        [act("click", label="Delete Slide")],
        ["disabled"],
    ),
    ("bad argument type", "word", "word-essay", [act("set_text", "cb_font", text=3)], ["bad_args"]),
    ("missing required argument", "word", "word-essay", [act("select", "cb_font")], ["bad_args"]),
    (
        "option not in the ComboBox",
        "word",
        "word-essay",
        [
            act("select_text", "document", text="gardens"),
            act("select", label="Font", option="Comic Sans"),
        ],
        ["ok", "bad_args"],
    ),
    (
        "unknown control",
        "word",
        "word-essay",
        [act("click", label="Make It Pretty")],
        ["unknown_control"],
    ),
    (
        "unsupported action for the control type",
        "word",
        "word-essay",
        [act("set_text", label="Bold", text="x")],
        ["unsupported_action"],
    ),
    ("unknown function", "word", "word-essay", [act("drag", label="Bold")], ["unsupported_action"]),
    (
        "no effect: selecting the tab already selected",
        "word",
        "word-essay",
        [act("click", label="Home")],
        ["no_effect"],
    ),
    (
        "no effect: replacing text that is not there",
        "word",
        "word-essay",
        [
            act("click", label="Replace"),
            act("set_text", "ed_find_what", text="zebra"),
            act("click", label="Replace All"),
        ],
        ["ok", "ok", "no_effect"],
    ),
    (
        "control-free actions",
        "word",
        "word-essay",
        [act("wait", seconds=1), act("finish")],
        ["ok", "ok"],
    ),
]


@pytest.mark.parametrize(
    ("why", "app", "template", "actions", "expected"), GOLDEN, ids=[g[0] for g in GOLDEN]
)
def test_golden_status_codes(
    why: str, app: str, template: str, actions: list[Action], expected: list[str]
) -> None:
    assert statuses(app, template, actions) == expected, why


def test_failed_effect_leaves_state_unchanged() -> None:
    env = env_on("word", "word-essay")
    before = env.state_hash()
    _, result = env.step(act("select_text", "document", text="not in this essay"))
    assert result.status == "no_effect"
    assert env.state_hash() == before


def test_fuzzy_match_above_threshold_records_score() -> None:
    env = env_on("word", "word-essay")
    _, result = env.step(act("click", label="Heading1"))
    assert result.matched_control == "style_heading1" or result.status == "disabled"
    assert result.match_score is not None and 90 <= result.match_score < 100
    _, low = env.step(act("click", label="Boldd text"))
    assert low.status == "unknown_control" and low.matched_control is None
    assert low.match_score is not None and low.match_score < 90


def test_same_text_prefers_the_visible_control() -> None:
    env = env_on("word", "word-essay")
    env.step(act("click", label="Replace"))
    _, result = env.step(act("click", label="Close"))
    assert (result.status, result.matched_control) == ("ok", "btn_replace_close")


def test_menu_closes_after_choosing_an_item() -> None:
    env = env_on("word", "word-essay")
    for a in [
        act("click", label="Layout"),
        act("click", label="Orientation"),
        act("click", label="Landscape"),
    ]:
        assert env.step(a)[1].status == "ok"
    assert env.state()["ui"]["open"] == []
    assert env.state()["doc"]["page"]["orientation"] == "Landscape"


def test_observation_lists_visible_controls_only() -> None:
    env = env_on("word", "word-essay")
    assert "Bold[Button]" in env.observe() and "Margins[Button]" not in env.observe()
    env.step(act("click", label="Layout"))
    assert "Margins[Button]" in env.observe() and "Bold[Button]" not in env.observe()


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_correct_instances_pass(name: str) -> None:
    app, template, actions, checks = CORRECT[name]
    traj = run_instance(UITreeEnv(MODELS[app]), instance(app, template, actions, checks), Policy())
    assert [s.status for s in traj.steps] == ["ok"] * len(actions), [s.error for s in traj.steps]
    assert traj.outcome.label == "pass", [c.detail for c in traj.outcome.checks]


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_one_step_removed_fails(name: str) -> None:
    app, template, actions, checks = CORRECT[name]
    for drop in range(len(actions)):
        shorter = actions[:drop] + actions[drop + 1 :]
        traj = run_instance(
            UITreeEnv(MODELS[app]), instance(app, template, shorter, checks), Policy()
        )
        assert traj.outcome.label == "fail", f"removing step {drop} still passes"


def test_path_to_names_the_navigation() -> None:
    word = MODELS["word"]
    assert word.path_to("btn_table_ok") == ["tab_insert", "btn_table"]
    assert word.path_to("mi_margins_narrow") == ["tab_layout", "btn_margins"]
    assert word.path_to("btn_bold") == ["tab_home"]
    assert MODELS["excel"].path_to("btn_remove_duplicates_ok") == [
        "tab_data",
        "btn_remove_duplicates",
    ]


def test_uitree_keeps_the_environment_protocol() -> None:
    env = UITreeEnv(MODELS["excel"])
    assert isinstance(env, Environment)
    first = env.reset("excel-inventory")
    assert "Name Box[Edit]" in first and env.state()["doc"]["cells"]["D2"]["value"] == 300
    passed, detail = env.check(check("doc.cells.D3.value", "eq", 240))
    assert passed and "D3.value = 240" in detail
    failed, why = env.check(check("doc.cells.Z9.value", "exists"))
    assert not failed and "missing" in why


def test_typing_enter_in_a_cell_confirms_and_moves_down() -> None:
    env = env_on("excel", "excel-blank")
    for a in [
        act("type_keys", label="B2", keys="42{ENTER}"),
        act("type_keys", "ed_formula_bar", keys="=B2*2{TAB}"),
    ]:
        assert env.step(a)[1].status == "ok"
    cells = env.state()["doc"]["cells"]
    assert (cells["B2"]["value"], cells["B3"]["formula"], cells["B3"]["value"]) == (42, "=B2*2", 84)
    assert env.state()["ui"]["selection"]["active"] == "C3"


def test_keyboard_shortcuts_act_like_their_buttons() -> None:
    env = env_on("word", "word-essay")
    steps = [
        act("type_keys", "document", keys="^a"),
        act("type_keys", "document", keys="^B"),
        act("click", label="Layout"),
        act("type_keys", "document", keys="^e"),
    ]
    assert [env.step(a)[1].status for a in steps] == ["ok", "ok", "ok", "ok"]
    paragraphs = env.state()["doc"]["paragraphs"]
    assert all(p["bold"] and p["alignment"] == "center" for p in paragraphs)
    fresh = env_on("word", "word-essay")
    assert fresh.step(act("type_keys", "document", keys="^b"))[1].status == "no_effect"
