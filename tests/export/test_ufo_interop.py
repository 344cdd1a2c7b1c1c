"""UFO interop: import UFO dataflow records, export them back exactly; native records export as
valid UFO records; malformed records are quarantined with the JSON pointer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from lamdata.errors import InputError
from lamdata.export import export
from lamdata.interop import import_ufo, patch, ufo_to_records
from lamdata.records import Instance, TaskPlan, Trajectory
from lamdata.store import Store
from tests.export.conftest import HERE, UFO_FIXTURES

VALIDATOR = Draft202012Validator(json.loads((HERE / "ufo_record.schema.json").read_text()))


def fixture_records() -> dict[str, dict[str, Any]]:
    """The well-formed records of the fixture files, by unique_id."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(UFO_FIXTURES.glob("*.json")):
        value = json.loads(path.read_text())
        for record in value if isinstance(value, list) else [value]:
            out[record["unique_id"]] = record
    broken = (UFO_FIXTURES / "broken.jsonl").read_text().splitlines()
    out["b4"] = json.loads(broken[3])  # the one good line of broken.jsonl
    return out


def exported(folder: Path) -> dict[str, dict[str, Any]]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(folder.rglob("*.json"))
        if not p.name.startswith(".")  # the export's manifest
    }


def test_import_then_export_gives_back_the_same_records(tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    summary = import_ufo(store, [UFO_FIXTURES])
    assert summary.records_out == 4 and summary.rejected_total == 3
    summary = export(store, fmt="ufo", out=tmp_path / "out")
    assert summary.records_in == summary.records_out == 4  # 3 trajectories, 1 unexecuted instance
    assert patch.same(exported(tmp_path / "out"), fixture_records())


def test_import_maps_onto_lamdata_records(tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    import_ufo(
        store, [UFO_FIXTURES / "excel_sum_column.json", UFO_FIXTURES / "word_heading_failed.json"]
    )
    plans = {p.source.uri: p for p in store.records("task_plans", TaskPlan)}
    assert set(plans) == {"ufo:excel#x17", "ufo:word#w3", "ufo:word#w9"}
    assert plans["ufo:excel#x17"].steps[1] == "2. On the Home tab, click AutoSum"
    instances = {i.task: i for i in store.records("instances", Instance)}
    printing = instances["Print the page the cursor is on."]
    assert printing.verdict.keep is False and printing.verdict.kind == "external_app"
    assert [a.function for a in printing.actions] == ["click", "double_click"]
    trajectories = {t.task: t for t in store.records("trajectories", Trajectory)}
    assert len(trajectories) == 2  # w9 was never executed
    heading = trajectories["Turn the line 'Action items' into a Heading 1."]
    assert [s.status for s in heading.steps] == ["ok", "ok", "error"]
    assert heading.steps[1].action.function == "scroll"
    assert heading.steps[1].action.args == {"direction": "down", "amount": 3}
    assert heading.outcome.label == "fail" and heading.outcome.judge is not None
    assert json.loads(heading.outcome.judge.sub_scores_json) == {
        "line selected": "yes",
        "heading applied": "no",
    }
    summed = trajectories["Sum the sales figures in B2:B5 into cell B6."]
    assert summed.outcome.label == "pass" and summed.outcome.success
    assert [s.action.function for s in summed.steps] == ["set_text", "click", "type_keys"]


def test_residual_holds_only_what_lamdata_has_no_place_for() -> None:
    record = fixture_records()["x17"]
    ops = json.loads(ufo_to_records(record).foreign.residual_json)
    paths = sorted(op["path"] for op in ops)
    assert paths == [
        "/instantiation_result/prefill/result/instantiated_plan/2/Args/control_focus",
        "/time_cost/choose_template",
        "/time_cost/execute",
        "/time_cost/execute_eval",
        "/time_cost/instantiation_evaluation",
        "/time_cost/total",
    ]


def test_malformed_records_are_quarantined_with_the_pointer(tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    summary = import_ufo(store, [UFO_FIXTURES / "broken.jsonl"])
    assert dict(summary.rejected) == {"bad_record": 1, "unknown_function": 1, "bad_json": 1}
    rows = {r["locator"]: r for r in store.read("quarantine").to_pylist()}
    plan = "/instantiation_result/prefill/result/instantiated_plan/0"
    assert rows["line 1"]["pointer"] == f"{plan}/Step"
    assert rows["line 2"]["pointer"] == f"{plan}/Function"
    assert rows["line 3"]["reason"].startswith("bad_json:")
    assert all(r["stage"] == "import_ufo" and r["record_json"] for r in rows.values())


def test_a_second_import_skips_batches_already_done(tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    import_ufo(store, [UFO_FIXTURES], batch_files=2)
    assert len(store.parts("trajectories")) == 2
    again = import_ufo(store, [UFO_FIXTURES], batch_files=2)
    assert again.skipped_parts == 2 and again.records_out == 0
    assert store.count("trajectories") == 3


def test_hidden_files_in_folders_are_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    folder.mkdir()
    (folder / ".lamdata-export.json").write_text('{"lamdata_export": 1}')
    (folder / "x17.json").write_bytes((UFO_FIXTURES / "excel_sum_column.json").read_bytes())
    summary = import_ufo(Store(tmp_path / "st"), [folder])
    assert summary.notes["files"] == 1 and summary.rejected_total == 0


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        import_ufo(Store(tmp_path / "st"), [tmp_path / "nope.json"])


def test_every_exported_record_fits_the_ufo_shape(store: Store, tmp_path: Path) -> None:
    import_ufo(store, [UFO_FIXTURES])
    export(store, fmt="ufo", out=tmp_path / "out")
    records = exported(tmp_path / "out")
    assert len(records) == 3 + 4
    for name, record in records.items():
        errors = [e.message for e in VALIDATOR.iter_errors(record)]
        assert errors == [], name
        executed = record["execution_result"]["result"] is not None
        prefill = record["instantiation_result"]["prefill"]["result"] or {}
        for step in prefill.get("instantiated_plan") or []:
            assert not executed or {"Success", "MatchedControlText"} <= set(step), name


def test_shape_schema_rejects_what_ufo_would_not_write() -> None:
    record = fixture_records()["x17"]
    record["instantiation_result"]["prefill"]["result"]["instantiated_plan"][0]["Step"] = "1"
    del record["time_cost"]["total"]
    assert len(list(VALIDATOR.iter_errors(record))) == 2


def test_native_trajectories_survive_export_then_import(store: Store, tmp_path: Path) -> None:
    export(store, fmt="ufo", out=tmp_path / "out")
    natives = {t.id: t for t in store.records("trajectories", Trajectory)}
    for name, record in exported(tmp_path / "out").items():
        mapped = ufo_to_records(record).trajectory
        assert mapped is not None
        original = natives[name]

        def view(t: Trajectory) -> list[tuple[Any, ...]]:
            # finish's status has no place in UFO's summary (documented in ufo_actions)
            return [
                (
                    s.action.function,
                    s.action.control_id,
                    s.action.function == "finish" or s.action.args,
                )
                for s in t.steps
            ]

        assert view(mapped) == view(original)
        assert [s.status == "ok" for s in mapped.steps] == [
            s.status == "ok" for s in original.steps
        ]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(JSON, JSON)
def test_patch_turns_any_rebuilt_value_into_the_original(original: Any, rebuilt: Any) -> None:
    result = patch.apply(rebuilt, patch.diff(original, rebuilt))
    assert patch.same(result, original)


def test_same_tells_json_types_apart() -> None:
    assert not patch.same(1, 1.0) and not patch.same(1, True) and not patch.same([0], [False])
    assert patch.same({"a": [1, None]}, {"a": [1, None]})


def test_a_residual_that_does_not_apply_is_a_store_error() -> None:
    from lamdata.errors import StoreError
    from lamdata.interop.ufo import apply_residual

    ops = json.dumps([{"op": "replace", "path": "/original/nothing/here", "value": 1}])
    with pytest.raises(StoreError, match="no longer matches"):
        apply_residual({"original": {}}, ops)
    with pytest.raises(ValueError):
        patch.apply([1], [{"op": "replace", "path": "/x", "value": 2}])
