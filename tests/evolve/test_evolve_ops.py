"""The offline operations: compose and concretize, as pure functions."""

from __future__ import annotations

from evolve_samples import ALL_PLANS, BOLD, FONT, SORT, TABLE, THEME, WORD_PLANS, make_plan
from hypothesis import given
from hypothesis import strategies as st

from lamdata.evolve import compose, concretize, evolve_offline
from lamdata.evolve.ops import compose_pairs
from lamdata.evolve.vocabulary import VOCABULARY, Slot, slots_for
from lamdata.validation import errors


def test_concretize_fills_an_open_value_from_the_app_vocabulary() -> None:
    new = concretize(FONT, seed=0)
    assert new is not None
    fonts = next(s for s in slots_for("word") if s.label == "Font").options
    value = new.steps[2].removeprefix("In the Font box, choose ")
    assert value in fonts
    assert new.task == f"Change the font of a paragraph to {value}"
    assert new.steps[:2] == FONT.steps[:2]
    assert new.source.kind == "evolved" and new.plan_source == "rule"
    assert (new.lineage.parents, new.lineage.op, new.lineage.generation) == (
        [FONT.id],
        "concretize",
        1,
    )
    assert errors("task_plan", new.to_dict()) == []


def test_concretize_is_deterministic_and_seeded() -> None:
    assert concretize(FONT, seed=0) == concretize(FONT, seed=0)
    values = {concretize(FONT, seed=s).steps[2] for s in range(12)}  # type: ignore[union-attr]
    assert len(values) > 1


def test_concretize_other_apps_and_task_wording() -> None:
    themed = concretize(THEME, seed=1)
    assert themed is not None
    value = themed.steps[1].removeprefix("In the Design gallery, pick ")
    assert value in {"Office Theme", "Facet", "Ion", "Retrospect"}
    assert themed.task == f"Apply the {value} theme"


def test_concretize_leaves_concrete_or_unknown_plans_alone() -> None:
    concrete = make_plan("word", "Use Arial", ["In the Font box, choose a font like Arial"])
    assert concretize(concrete, seed=0) is None
    assert concretize(BOLD, seed=0) is None  # nothing open to fill
    assert concretize(SORT, seed=0) is None
    other = make_plan("notepad", "Change the font", ["In the Font box, choose a font"])
    assert concretize(other, seed=0) is None


def test_concretize_needs_the_control_named_in_the_step() -> None:
    vague = make_plan("word", "Change the font", ["Choose a font you like"])
    assert concretize(vague, seed=0) is None


def test_compose_joins_two_tasks_of_one_app() -> None:
    new = compose(TABLE, BOLD)
    assert new is not None
    assert new.task == "Insert a table, then make text bold"
    assert new.steps == TABLE.steps + BOLD.steps
    assert len(new.ui_terms) == len(new.steps)
    assert new.lineage.parents == [TABLE.id, BOLD.id] and new.lineage.op == "compose"
    assert errors("task_plan", new.to_dict()) == []


def test_compose_refuses_other_apps_and_same_task() -> None:
    assert compose(TABLE, SORT) is None
    assert compose(TABLE, TABLE) is None


def test_compose_keeps_names_capitalised() -> None:
    auto = make_plan("word", "AutoFit the table", ["Click AutoFit"])
    new = compose(TABLE, auto)
    assert new is not None and new.task.endswith("then AutoFit the table")


def test_pairs_stay_within_an_app_and_cover_each_plan() -> None:
    pairs = compose_pairs(ALL_PLANS, seed=3)
    assert all(a.app == b.app for a, b in pairs)
    assert sorted(a.id for a, _ in pairs) == sorted(p.id for p in WORD_PLANS)
    assert compose_pairs(ALL_PLANS, seed=3) == pairs


def test_evolve_offline_runs_only_the_chosen_ops() -> None:
    composed = evolve_offline(ALL_PLANS, ["compose"], seed=0)
    assert {p.lineage.op for p in composed} == {"compose"} and len(composed) == 3
    both = evolve_offline(ALL_PLANS, ["compose", "concretize"], seed=0)
    assert {p.lineage.op for p in both} == {"compose", "concretize"}
    assert len(both) == 3 + 2  # FONT and THEME have an open value


def test_concretize_names_the_value_the_steps_already_set() -> None:
    margins = make_plan(
        "word", "Change the margins", ["On the Layout tab, click Margins.", "Click Narrow."]
    )
    new = concretize(margins, seed=0)
    assert new is not None
    assert new.task == "Change the margins to Narrow" and new.steps == margins.steps
    transition = make_plan(
        "powerpoint", "Add a transition between slides", ["On the Transitions tab, click Fade."]
    )
    assert concretize(transition, seed=0).task == "Add the Fade transition between slides"  # type: ignore[union-attr]
    said = make_plan("word", "Change the margins to Narrow", margins.steps)
    assert concretize(said, seed=0) is None
    unrelated = make_plan("word", "Tidy the page", margins.steps)  # the task names no slot
    assert concretize(unrelated, seed=0) is None


@given(
    slot=st.sampled_from([(app, s) for app, slots in VOCABULARY.items() for s in slots]),
    article=st.sampled_from(["a", "the", "a new", "the desired"]),
    noun_index=st.integers(min_value=0, max_value=3),
    seed=st.integers(min_value=0, max_value=1000),
)
def test_open_values_are_filled_with_one_option_in_task_and_step(
    slot: tuple[str, Slot], article: str, noun_index: int, seed: int
) -> None:
    app, chosen = slot
    noun = chosen.nouns[noun_index % len(chosen.nouns)]
    step = f"In the {chosen.label} list, choose {article} {noun}."
    original = make_plan(app, f"Set {article} {noun}", ["Click anywhere in the document", step])
    new = concretize(original, seed)
    assert new is not None
    value = new.steps[1].removeprefix(f"In the {chosen.label} list, choose ").removesuffix(".")
    assert value in chosen.options
    assert value in new.task
    assert new.steps[0] == original.steps[0] and len(new.steps) == 2


def test_model_requests_carry_op_partner_and_ui_terms() -> None:
    from lamdata.evolve.model_ops import OP_INSTRUCTIONS, evolve_requests

    plan = make_plan("word", "Make text bold", ["Click Bold"])
    plan.ui_terms = [["Bold"]]
    other = make_plan("word", "Center a paragraph", ["Click Center"])
    pending = evolve_requests([plan, other, SORT], ["deepen", "compose"], seed=0)
    assert len(pending) == 3 + 1  # two word plans make one pair; SORT has no partner
    deepen = next(p for p in pending if p.op == "deepen" and p.parents == [plan])
    assert OP_INSTRUCTIONS["deepen"] in deepen.request.messages[0]["content"]
    assert "UI elements its plan names: Bold" in deepen.request.messages[1]["content"]
    composed = next(p for p in pending if p.op == "compose")
    assert {p.id for p in composed.parents} == {plan.id, other.id}
    second = f"Second task: {composed.parents[1].task}"
    assert second in composed.request.messages[1]["content"]
    assert len({p.request.key for p in pending}) == len(pending)
