"""``evaluate``: re-evaluate every trajectory's checks from its ``final_state_json``.

The result is the derived ``judgments`` table (recomputed as a whole with ``Store.replace``):
one row per trajectory and judge, with whether it agrees with the outcome recorded at
execution time. The LLM judge is not part of this build; ``--judge llm|both`` says so.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from lamdata.env.uitree import evaluate_check
from lamdata.errors import ConfigError
from lamdata.execute.runner import outcome_of
from lamdata.records import CheckResult, Instance, Trajectory
from lamdata.records.evaluation import Judgment
from lamdata.store import Store, Summary, recorded_run

JUDGES = ("checks", "llm", "both")


def judge_checks(
    traj: Trajectory, instance: Instance | None = None
) -> tuple[Judgment, list[CheckResult]]:
    """Re-run the checks (the instance's, else those recorded) on the final state."""
    state = json.loads(traj.final_state_json or "{}")
    checks = instance.checks if instance is not None else [r.check for r in traj.outcome.checks]
    results = [
        CheckResult(check=c, passed=p, detail=d)
        for c in checks
        for p, d in [evaluate_check(state, c)]
    ]
    outcome = outcome_of(results, traj.outcome.stop_reason)
    judgment = Judgment(
        trajectory_id=traj.id,
        instance_id=traj.instance_id,
        app=traj.app,
        judge="checks",
        label=outcome.label,
        checks_passed=sum(r.passed for r in results),
        checks_total=len(results),
        complete={"pass": "yes", "fail": "no"}.get(outcome.label, "unsure"),
        reason="; ".join(r.detail for r in results if not r.passed)[:500],
        agrees_with_outcome=outcome.label == traj.outcome.label,
    )
    return judgment, results


def evaluate(
    store: Store,
    *,
    judge: str = "checks",
    only: list[str] | None = None,
    progress: Callable[..., None] | None = None,
) -> Summary:
    """Write one ``judgments`` row per trajectory; count passes and disagreements."""
    if judge not in JUDGES:
        raise ConfigError(f"--judge must be one of {', '.join(JUDGES)}, got {judge!r}")
    if judge != "checks":
        raise ConfigError("the LLM judge is not available in this build", hint="use --judge checks")
    instances = {i.id: i for i in store.records("instances", Instance)}
    with recorded_run(store, "evaluate", {"judge": judge}) as summary:
        rows: list[Judgment] = []
        for path, trajs in store.iter_records("trajectories", Trajectory):
            if only is not None and not any(path.stem.startswith(p) for p in only):
                continue
            for traj in trajs:
                row, _ = judge_checks(traj, instances.get(traj.instance_id))
                row.run_id = summary.run_id
                rows.append(row)
            if progress is not None:
                progress(len(trajs))
        rows.sort(key=lambda r: (r.trajectory_id, r.judge))
        summary.records_in = summary.records_out = len(rows)
        store.replace("judgments", rows, part="judgments-checks")
        summary.notes["pass"] = sum(r.label == "pass" for r in rows)
        summary.notes["fail"] = sum(r.label == "fail" for r in rows)
        summary.notes["disagree_with_execution"] = sum(not r.agrees_with_outcome for r in rows)
    return summary
