"""Done-when of issue 5: the sample help docs, instantiated offline on the sample apps and run
through the executor, pass their checks when a careful reader would call them feasible, and
are filtered out with the right kind when not."""

from __future__ import annotations

import pytest

from lamdata.execute import execute
from lamdata.ingest.docs import ingest_docs
from lamdata.instantiate import instantiate
from lamdata.records import Instance, Rejection, TaskPlan, Trajectory
from lamdata.store import Store
from lamdata.validation import errors

from .conftest import ROOT, SAMPLE_APPS

#: Procedures in samples/docs that cannot be done inside the app on a document, and why.
INFEASIBLE = {
    "Send the document by email with Outlook": "external_app",
    "Publish the chart to Power BI": "env_change",
    "Change the Windows display language": "env_change",
}
#: Share of the feasible procedures whose instance must pass its checks when executed.
PASS_BAR = 0.9


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("e2e") / "st")
    ingest_docs(store, [ROOT / "samples" / "docs"])
    instantiate(store, apps=str(SAMPLE_APPS))
    execute(store, apps=str(SAMPLE_APPS))
    return store


def by_task(store: Store) -> dict[str, tuple[TaskPlan, Instance, Trajectory | None]]:
    plans = {p.id: p for p in store.records("task_plans", TaskPlan)}
    runs = {t.instance_id: t for t in store.records("trajectories", Trajectory)}
    return {
        plans[i.task_plan_id].task: (plans[i.task_plan_id], i, runs.get(i.id))
        for i in store.records("instances", Instance)
    }


def test_infeasible_procedures_are_filtered_with_their_kind(pipeline: Store) -> None:
    rows = by_task(pipeline)
    present = [task for task in INFEASIBLE if task in rows]
    assert present, "the sample docs lost their infeasible procedures"
    for task in present:
        _, inst, run = rows[task]
        assert (inst.verdict.kind, inst.verdict.keep) == (INFEASIBLE[task], False), task
        assert run is None, f"{task!r} was executed although rejected"


def test_feasible_procedures_pass_their_checks(pipeline: Store) -> None:
    rows = by_task(pipeline)
    feasible = {t: r for t, r in rows.items() if t not in INFEASIBLE}
    assert len(feasible) >= 20
    passed = [t for t, (_, _, run) in feasible.items() if run and run.outcome.label == "pass"]
    failed = sorted(set(feasible) - set(passed))
    assert len(passed) / len(feasible) >= PASS_BAR, f"not passing: {failed}"
    for _, inst, run in feasible.values():
        if run is not None:
            assert inst.checks and len(run.outcome.checks) == len(inst.checks)


def test_every_task_plan_ends_as_one_instance(pipeline: Store) -> None:
    plans = pipeline.records("task_plans", TaskPlan)
    ready = [p for p in plans if p.steps or not p.needs_plan]
    assert pipeline.count("instances") == len(ready)
    quarantined = pipeline.records("quarantine", Rejection)
    assert not [r for r in quarantined if r.stage == "instantiate"]  # offline never quarantines
    kept = [i for i in pipeline.records("instances", Instance) if i.verdict.keep]
    assert pipeline.count("trajectories") == len(kept)
    for inst in pipeline.records("instances", Instance):
        assert errors("instance", inst.to_dict()) == [], inst.id
