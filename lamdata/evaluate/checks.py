"""``evaluate``: re-evaluate every trajectory's checks from its ``final_state_json``.

The result is the derived ``judgments`` table (recomputed as a whole with ``Store.replace``):
one row per trajectory and judge, with whether it agrees with the outcome recorded at
execution time. ``--judge llm`` asks a model instead (``lamdata.evaluate.judge``), ``both`` does
both and records, per trajectory, whether the model agrees with the checks.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from lamdata.env.uitree import evaluate_check
from lamdata.errors import ConfigError
from lamdata.evaluate.judge import judge_request, llm_judgment
from lamdata.execute.runner import outcome_of
from lamdata.llm import LLMConfig, config_from_settings, parse_backend, run_batch
from lamdata.records import CheckResult, Instance, Trajectory
from lamdata.records.evaluation import Judgment
from lamdata.settings import resolve
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
    llm: str = "offline",
    only: list[str] | None = None,
    progress: Callable[..., None] | None = None,
    llm_config: LLMConfig | None = None,
) -> Summary:
    """Write ``judgments`` rows per trajectory: the checks re-evaluated on the final state
    (``checks``), an LLM verdict (``llm``), or both with their agreement (``both``)."""
    if judge not in JUDGES:
        raise ConfigError(f"--judge must be one of {', '.join(JUDGES)}, got {judge!r}")
    backend = parse_backend(llm)
    if judge != "checks" and backend.offline:
        raise ConfigError(
            f"--judge {judge} needs a model", hint="pass --llm openai:MODEL or use --judge checks"
        )
    cfg = None if backend.offline else llm_config or config_from_settings(resolve(llm=llm), backend)
    instances = {i.id: i for i in store.records("instances", Instance)}
    config = {
        "judge": judge,
        "llm": backend.spec if judge != "checks" else "offline",
        "only": only,
    }
    with recorded_run(store, "evaluate", config) as summary:
        trajs = [
            t
            for path, part in store.iter_records("trajectories", Trajectory)
            if only is None or any(path.stem.startswith(p) for p in only)
            for t in part
        ]
        checks = {t.id: judge_checks(t, instances.get(t.instance_id))[0] for t in trajs}
        rows = list(checks.values()) if judge in ("checks", "both") else []
        if cfg is not None:
            results = run_batch(
                cfg, [judge_request(t) for t in trajs], store=store, summary=summary
            )
            for traj, result in zip(trajs, results, strict=True):
                label = checks[traj.id].label if judge == "both" else None
                rows.append(llm_judgment(traj, result, label))
        if progress is not None:
            progress(len(trajs))
        for row in rows:
            row.run_id = summary.run_id
        rows.sort(key=lambda r: (r.trajectory_id, r.judge))
        summary.records_in, summary.records_out = len(trajs), len(rows)
        store.replace("judgments", rows, part=f"judgments-{judge}")
        _notes(summary, rows)
    return summary


def _notes(summary: Summary, rows: list[Judgment]) -> None:
    checks = [r for r in rows if r.judge == "checks"]
    summary.notes["pass"] = sum(r.label == "pass" for r in checks)
    summary.notes["fail"] = sum(r.label == "fail" for r in checks)
    summary.notes["disagree_with_execution"] = sum(not r.agrees_with_outcome for r in checks)
    llm = [r for r in rows if r.judge == "llm"]
    if llm:
        summary.notes["llm_yes"] = sum(r.complete == "yes" for r in llm)
        summary.notes["llm_unsure"] = sum(r.complete == "unsure" for r in llm)
        decided = [r.agrees_with_outcome for r in llm if r.agrees_with_outcome is not None]
        if decided:
            summary.notes["llm_agreement"] = round(sum(decided) / len(decided), 4)
