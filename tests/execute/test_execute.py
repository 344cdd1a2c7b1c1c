"""The executor stage: trajectories per input part, quarantine, resume, --jobs determinism."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from lamdata.cli.main import app
from lamdata.env import load_app_models
from lamdata.env.uitree import UITreeEnv
from lamdata.execute import Policy, execute, run_instance
from lamdata.records import Action, Instance, Rejection, Trajectory
from lamdata.store import Store
from tests.env.helpers import APPS, CORRECT, act, check, instance

MODELS = load_app_models(APPS)


def correct_instances() -> list[Instance]:
    return [instance(*CORRECT[name], task=name) for name in sorted(CORRECT)]


def stable(trajs: list[Trajectory]) -> list[dict[str, object]]:
    out = []
    for t in sorted(trajs, key=lambda t: t.id):
        data = t.to_dict()
        del data["provenance"]
        out.append(data)
    return out


def test_execute_writes_checked_trajectories(tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    store.write("instances", correct_instances(), part="in-a")
    summary = execute(store, apps=str(APPS))
    trajs = store.records("trajectories", Trajectory)
    assert summary.records_out == len(trajs) == 4
    assert all(
        t.outcome.label == "pass" and t.outcome.stop_reason == "end_of_actions" for t in trajs
    )
    assert all(len(t.steps[-1].state_hash) == 32 and t.steps[0].observation for t in trajs)
    assert all(json.loads(t.final_state_json)["doc"] for t in trajs)
    again = execute(store, apps=str(APPS))
    assert again.skipped_parts == 1 and store.count("trajectories") == 4


def test_bad_instances_are_quarantined_and_the_run_goes_on(tmp_path: Path) -> None:
    apps = tmp_path / "apps"
    shutil.copytree(APPS, apps)
    bad_model = json.loads((APPS / "word.json").read_text())
    bad_model["app"] = "notepad"
    bad_model["controls"][5]["parent"] = "missing_parent"
    (apps / "notepad.json").write_text(json.dumps(bad_model))
    good = correct_instances()[0]
    missing = instance("word", "word-no-such-template", [act("click", label="Bold")], [])
    broken_app = instance("notepad", "word-essay", [act("click", label="Bold")], [])
    dropped = instance("word", "word-essay", [act("click", label="Bold")], [], keep=False)
    store = Store(tmp_path / "st")
    store.write("instances", [good, missing, broken_app, dropped], part="in-a")
    summary = execute(store, apps=str(apps))
    assert summary.records_out == 1 and summary.notes["not_kept"] == 1
    rejected = {json.loads(r.record_json)["id"]: r for r in store.records("quarantine", Rejection)}
    assert rejected[missing.id].reason.startswith("template_missing:")
    assert rejected[missing.id].pointer == "/template_id"
    assert rejected[broken_app.id].reason.startswith("bad_app_model:")
    assert rejected[broken_app.id].uri.endswith("notepad.json")
    assert rejected[broken_app.id].pointer == "/controls/5/parent"
    assert dict(summary.rejected) == {"bad_app_model": 1, "template_missing": 1}


def test_stop_rules() -> None:
    env = UITreeEnv(MODELS["word"])
    bad = [act("click", label="Nope")] * 5
    inst = instance("word", "word-essay", bad, [])
    assert run_instance(env, inst, Policy(max_errors=3)).outcome.stop_reason == "consecutive_errors"
    repeat = [act("click", label="Layout"), *[act("click", label="Home")] * 4]
    inst = instance("word", "word-essay", repeat, [])
    traj = run_instance(env, inst, Policy(max_repeats=3))
    assert traj.outcome.stop_reason == "repeated_action" and len(traj.steps) == 4
    inst = instance(
        "word", "word-essay", [act("click", label="Nope"), act("click", label="Layout")], []
    )
    assert (
        run_instance(env, inst, Policy(on_error="stop")).outcome.stop_reason
        == "error:unknown_control"
    )
    inst = instance("word", "word-essay", [act("click", label="Layout")] + [act("wait")] * 9, [])
    assert len(run_instance(env, inst, Policy(max_steps=4, max_repeats=99)).steps) == 4
    inst = instance("word", "word-essay", [act("finish"), act("click", label="Layout")], [])
    assert run_instance(env, inst, Policy()).outcome.stop_reason == "finish"


def test_jobs_do_not_change_the_output(tmp_path: Path) -> None:
    instances = [
        *correct_instances(),
        instance(
            "word", "word-recipe", [act("click", label="Layout"), act("click", label="Bold")], []
        ),
    ]
    results = []
    for jobs in (1, 2):
        store = Store(tmp_path / f"st{jobs}")
        store.write("instances", instances[:3], part="in-a")
        store.write("instances", instances[3:], part="in-b")
        execute(store, apps=str(APPS), jobs=jobs)
        results.append(stable(store.records("trajectories", Trajectory)))
    assert results[0] == results[1] and len(results[0]) == 5


POOL: list[Action] = [
    act("click", label=t)
    for t in (
        "Home",
        "Insert",
        "Layout",
        "Bold",
        "Italic",
        "Center",
        "Table",
        "OK",
        "Margins",
        "Narrow",
        "Replace",
        "Close",
        "Select All",
        "Heading 1",
        "Orientation",
        "Landscape",
    )
] + [
    act("select_text", "document", text="gardens"),
    act("set_text", "ed_rows", text="4"),
    act("select", "cb_font_size", option="14"),
    act("set_text", "ed_find_what", text="city"),
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(POOL), max_size=25))
def test_same_instance_twice_gives_identical_trajectories(actions: list[Action]) -> None:
    inst = instance("word", "word-essay", actions, [check("doc.paragraphs[1].bold", "eq", True)])
    shared = UITreeEnv(MODELS["word"])
    first = run_instance(shared, inst, Policy(max_errors=99, max_repeats=99))
    again = run_instance(shared, inst, Policy(max_errors=99, max_repeats=99))
    fresh = run_instance(UITreeEnv(MODELS["word"]), inst, Policy(max_errors=99, max_repeats=99))
    assert first.to_dict() == again.to_dict() == fresh.to_dict()
    assert [s.state_hash for s in first.steps] == [s.state_hash for s in fresh.steps]


def test_cli_execute(tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    store.write("instances", correct_instances(), part="in-a")
    result = CliRunner().invoke(
        app, ["execute", "--store", str(store.path), "--apps", str(APPS), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["records_out"] == 4
    bad = CliRunner().invoke(app, ["execute", "-s", str(store.path), "--on-error", "maybe"])
    assert bad.exit_code == 2 and "on-error" in bad.output


def test_cli_apps(tmp_path: Path) -> None:
    listed = CliRunner().invoke(app, ["apps", "list", str(APPS), "--json"])
    assert listed.exit_code == 0 and {r["app"] for r in json.loads(listed.output)} == set(MODELS)
    source = tmp_path / "controls.json"
    source.write_text(json.dumps([{"label": "1", "control_text": "OK", "control_type": "Button"}]))
    out = tmp_path / "model.json"
    made = CliRunner().invoke(
        app, ["apps", "import", str(source), "--app", "tiny", "--out", str(out)]
    )
    assert made.exit_code == 0, made.output
    checked = CliRunner().invoke(app, ["apps", "validate", str(out)])
    assert checked.exit_code == 0 and "ok" in checked.output
    (tmp_path / "bad.json").write_text(json.dumps({"app": "x"}))
    failed = CliRunner().invoke(app, ["apps", "validate", str(tmp_path / "bad.json")])
    assert failed.exit_code == 1 and "bad.json" in failed.output


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(st.sampled_from(POOL), max_size=12), min_size=2, max_size=6),
    st.sampled_from([2, 3]),
)
def test_any_jobs_equals_in_process(action_lists: list[list[Action]], jobs: int) -> None:
    instances = [
        instance("word", "word-essay", acts, [], task=f"t{k}")
        for k, acts in enumerate(action_lists)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "st")
        store.write("instances", instances, part="in-a")
        execute(store, apps=str(APPS), jobs=jobs)
        pooled = stable(store.records("trajectories", Trajectory))
    env = UITreeEnv(MODELS["word"])
    local = stable([run_instance(env, i, Policy()) for i in instances])
    assert pooled == local


def test_bad_argument_types_run_as_bad_args_and_are_audited(tmp_path: Path) -> None:
    actions = [
        act("click", label="Home"),
        act("set_text", "cb_font", text=3),
        act("select", "cb_font"),
    ]
    inst = instance("word", "word-essay", actions, [])
    store = Store(tmp_path / "st")
    store.write("instances", [inst], part="in-a")
    summary = execute(store, apps=str(APPS))
    (traj,) = store.records("trajectories", Trajectory)
    assert [s.status for s in traj.steps] == ["no_effect", "bad_args", "bad_args"]
    audits = sorted(store.records("quarantine", Rejection), key=lambda r: r.pointer)
    assert [a.pointer for a in audits] == ["/actions/1/args_json/text", "/actions/2/args_json"]
    assert all(a.reason.startswith("bad_args: ") for a in audits)
    assert summary.notes["bad_args_actions"] == 2 and summary.rejected_total == 0
