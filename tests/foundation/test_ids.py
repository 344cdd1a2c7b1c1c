"""IDs are content hashes: the same input gets the same ID in every run and every process."""

from __future__ import annotations

import json
import os
import string
import subprocess
import sys
from hashlib import blake2b
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from lamdata.hashing import content_hash, record_id
from lamdata.records import Rejection, Source, TaskPlan

from .helpers import sample_instance, sample_rejection, sample_task_plan, sample_trajectory

ROOT = Path(__file__).resolve().parents[2]

#: Computed in a child process: the IDs of the samples, and of task-plans built from JSON input.
CHILD = """
import json, sys
from lamdata.records import Source, TaskPlan
from tests_foundation_helpers import sample_instance, sample_rejection, sample_task_plan
from tests_foundation_helpers import sample_trajectory
inputs = json.load(sys.stdin)
plans = [TaskPlan.create(app=a, task=t, steps=s, source=Source(kind="import", uri=u))
         for a, t, s, u in inputs]
samples = [sample_task_plan(), sample_instance(), sample_trajectory(), sample_rejection()]
print(json.dumps([p.id for p in plans] + [r.id for r in samples]))
"""


def _ids_here(inputs: list[list[object]]) -> list[str]:
    plans = [
        TaskPlan.create(app=a, task=t, steps=s, source=Source(kind="import", uri=u))  # type: ignore[arg-type]
        for a, t, s, u in inputs
    ]
    samples = [sample_task_plan(), sample_instance(), sample_trajectory(), sample_rejection()]
    return [p.id for p in plans] + [r.id for r in samples]


def _ids_in_child(inputs: list[list[object]], hashseed: str, tmp: Path) -> list[str]:
    # the helpers module is loaded under a plain name, so the child needs no package layout
    (tmp / "tests_foundation_helpers.py").write_text(
        (Path(__file__).parent / "helpers.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    env = {**os.environ, "PYTHONHASHSEED": hashseed}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(tmp), env.get("PYTHONPATH", "")])
    out = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps(inputs),
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp,
        check=True,
    )
    return list(json.loads(out.stdout))


TEXTS = st.text(min_size=1, max_size=20)
ASCII = st.text(alphabet=string.ascii_letters + string.digits + " ", min_size=1, max_size=20)


def test_ids_are_the_same_in_other_processes_with_other_hash_seeds(tmp_path: Path) -> None:
    inputs = [
        ["word", "Bold the title", ["Select it", "Click Bold"], "a.html"],
        [None, "Créer un tableau ✓", ["Insérer", "Tableau"], "b.md"],
        ["excel", "sum a column", [], "c.tsv"],
        ["x\u00a0y", "tab\there  and\nthere", ["\U0001f600", "ß"], ""],
        ["ＷＯＲＤ", "ﬁle", ["a"] * 3, "d\x00e"],
    ]
    here = _ids_here(inputs)
    assert len(set(here)) == len(here)
    for seed in ("0", "1", "4242"):
        assert _ids_in_child(inputs, seed, tmp_path) == here


PLAN_INPUTS = st.lists(
    st.tuples(st.none() | TEXTS, TEXTS, st.lists(TEXTS, max_size=3), TEXTS).map(list),
    min_size=1,
    max_size=8,
)


@settings(max_examples=3, deadline=None)
@given(inputs=PLAN_INPUTS, hashseed=st.integers(min_value=0, max_value=2**32 - 1))
def test_generated_inputs_get_the_same_ids_in_another_process(
    inputs: list[list[object]], hashseed: int
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        assert _ids_in_child(inputs, str(hashseed), Path(tmp)) == _ids_here(inputs)


def test_ids_are_pinned_across_runs_and_versions() -> None:
    # A changed ID would silently duplicate every row of an existing store on re-run.
    canonical = '{"a":null,"b":[1,"é"]}'.encode()
    assert (
        content_hash({"b": [1, "é"], "a": None}) == blake2b(canonical, digest_size=16).hexdigest()
    )
    assert record_id("tp", "x") == "tp_" + blake2b(b"x", digest_size=10).hexdigest()
    assert sample_task_plan().id == "tp_261ce42004abdd2530ba"
    assert sample_instance().id == "in_edd8bdaee63e403f6b9c"
    assert sample_trajectory().id == "tr_df412c1cd1b163a0abd0"
    assert sample_rejection().id == "qr_5e74e3b2ba0f615ebb2e"


@settings(max_examples=50, deadline=None)
@given(app=TEXTS, task=TEXTS, steps=st.lists(TEXTS, max_size=4), uri=TEXTS)
def test_task_plan_id_ignores_spacing_and_title(
    app: str, task: str, steps: list[str], uri: str
) -> None:
    plan = TaskPlan.create(app=app, task=task, steps=steps, source=Source("help_doc", uri))
    again = TaskPlan.create(
        app=f"  {app} ",
        task=f"{task}\n",
        steps=[f" {s}  " for s in steps],
        source=Source("help_doc", uri, title="another title"),
    )
    assert again.id == plan.id
    other = TaskPlan.create(app=app, task=task, steps=steps, source=Source("help_doc", uri + "#2"))
    assert other.id != plan.id


@settings(max_examples=50, deadline=None)
@given(app=ASCII, task=ASCII, steps=st.lists(ASCII, max_size=4))
def test_task_plan_id_ignores_case(app: str, task: str, steps: list[str]) -> None:
    plan = TaskPlan.create(app=app, task=task, steps=steps, source=Source("wikihow", "u"))
    shouted = TaskPlan.create(
        app=app.upper(), task=task.upper(), steps=[s.upper() for s in steps], source=plan.source
    )
    assert shouted.id == plan.id


@settings(max_examples=50, deadline=None)
@given(a=st.text(max_size=20), b=st.text(max_size=20))
def test_rejection_ids_differ_when_content_differs(a: str, b: str) -> None:
    first = Rejection.create(stage="s", reason=a)
    second = Rejection.create(stage="s", reason=b)
    assert (first.id == second.id) == (a == b)
