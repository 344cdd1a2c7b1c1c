"""Property: any well-formed UFO record survives import → store → export unchanged."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lamdata.export import export
from lamdata.interop import import_ufo, patch
from lamdata.store import Store
from lamdata.validation import errors
from tests.export.test_ufo_interop import exported

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=10)
WORD = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=10)
CALLS = st.one_of(
    st.tuples(
        st.just("click_input"),
        st.fixed_dictionaries(
            {"button": st.sampled_from(["left", "right", "middle"]), "double": st.booleans()}
        ),
    ),
    st.tuples(st.just("set_edit_text"), st.fixed_dictionaries({"text": TEXT})),
    st.tuples(
        st.just("keyboard_input"),
        st.fixed_dictionaries({"keys": WORD}, optional={"control_focus": st.booleans()}),
    ),
    st.tuples(st.just("select_text"), st.fixed_dictionaries({"text": WORD})),
    st.tuples(
        st.just("wheel_mouse_input"), st.fixed_dictionaries({"wheel_dist": st.integers(-9, 9)})
    ),
    st.tuples(st.just("summary"), st.fixed_dictionaries({"text": TEXT})),
)
SECONDS = st.none() | st.floats(0, 1000, allow_nan=False) | st.integers(0, 100)


@st.composite
def plan_step(draw: st.DrawFn, executed: bool) -> dict[str, Any]:
    function, args = draw(CALLS)
    step: dict[str, Any] = {
        "Step": draw(st.integers(0, 40)),
        "Subtask": draw(TEXT),
        "ControlLabel": draw(st.none() | TEXT),
        "ControlText": draw(TEXT),
        "Function": function,
        "Args": args,
    }
    if executed:
        step["Success"] = draw(st.none() | st.booleans())
        step["MatchedControlText"] = draw(st.none() | TEXT)
    for key in draw(
        st.lists(st.sampled_from(["ControlLabel", "Subtask"]), max_size=2, unique=True)
    ):
        del step[key]  # UFO leaves these out of some steps
    return step


@st.composite
def ufo_record(draw: st.DrawFn, uid: str) -> dict[str, Any]:
    executed = draw(st.booleans())
    verdict = {
        "reason": draw(TEXT),
        "sub_scores": draw(
            st.dictionaries(WORD, st.sampled_from(["yes", "no", "unsure"]), max_size=3)
        ),
        "complete": draw(st.sampled_from(["yes", "no", "unsure", "partly"])),
    }
    evaluation = {"judge": draw(st.booleans()), "thought": draw(TEXT), "request_type": draw(TEXT)}
    error = {"type": "TimeoutError", "message": draw(TEXT), "traceback": draw(TEXT)}
    execution = draw(
        st.sampled_from(["verdict", "error", "none", "null"]) if executed else st.just("none")
    )
    results = {
        "verdict": {"result": verdict, "error": None},
        "error": {"result": None, "error": error},
        "none": {"result": None, "error": None},
        "null": None,
    }
    extra = draw(
        st.dictionaries(st.sampled_from(["x_note", "x_meta"]), TEXT | st.integers(), max_size=2)
    )
    return {
        **extra,
        "unique_id": uid,
        "app": draw(st.sampled_from(["word", "excel", "powerpoint"])),
        "original": {
            "original_task": draw(WORD),
            "original_steps": draw(st.lists(TEXT, max_size=3)),
        },
        "execution_result": results[execution],
        "instantiation_result": {
            "choose_template": {"result": draw(st.none() | TEXT), "error": None},
            "prefill": {
                "result": {
                    "instantiated_request": draw(WORD),
                    "instantiated_plan": draw(st.lists(plan_step(executed), max_size=4)),
                },
                "error": None,
            },
            "instantiation_evaluation": {
                "result": draw(st.none() | st.just(evaluation)),
                "error": None,
            },
        },
        "time_cost": {
            k: draw(SECONDS)
            for k in ("choose_template", "prefill", "instantiation_evaluation", "total")
        },
    }


RECORDS = st.integers(1, 4).flatmap(lambda n: st.tuples(*(ufo_record(f"r{i}") for i in range(n))))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RECORDS)
def test_any_ufo_record_comes_back_exactly(records: tuple[dict[str, Any], ...]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "in.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        store = Store(folder / "st")
        summary = import_ufo(store, [source])
        assert summary.rejected_total == 0
        for table, name in (
            ("task_plans", "task_plan"),
            ("instances", "instance"),
            ("trajectories", "trajectory"),
        ):
            for row in store.read(table).to_pylist():
                assert errors(name, row) == [], (table, row)
        export(store, fmt="ufo", out=folder / "out")
        # type-strict: 1, 1.0 and true differ, as they do in JSON text
        assert patch.same(exported(folder / "out"), {r["unique_id"]: r for r in records})
