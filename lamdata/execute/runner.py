"""Run one instance through an environment: the pure core of the validating executor.

Each action is validated and run by the environment, which returns its status. The runner
applies the stop rules (``max_steps``, ``max_errors`` consecutive errors, the same action
``max_repeats`` times in a row, ``on_error="stop"``, a ``finish`` action) and records why it
stopped in ``Outcome.stop_reason``. ``no_effect`` is flagged on the step but is not an error for
the stop rules. The outcome is the instance's checks evaluated on the final state.
"""

from __future__ import annotations

from dataclasses import dataclass

from lamdata.env.base import Environment, StepResult
from lamdata.hashing import canonical_json
from lamdata.records import Action, CheckResult, Env, Instance, Outcome, Step, Trajectory

NON_ERRORS = ("ok", "no_effect")


@dataclass(frozen=True)
class Policy:
    """The stop rules of a run."""

    max_steps: int = 50
    max_errors: int = 3
    max_repeats: int = 3
    on_error: str = "continue"


def _key(action: Action) -> str:
    return canonical_json(
        [action.function, action.control_id, action.control_text, action.args_json]
    )


def run_actions(env: Environment, actions: list[Action], policy: Policy) -> tuple[list[Step], str]:
    """Execute ``actions`` from the current state; returns the steps and the stop reason."""
    steps: list[Step] = []
    errors = repeats = 0
    last = ""
    for idx, action in enumerate(actions):
        if idx >= policy.max_steps:
            return steps, "max_steps"
        result = _safe_step(env, action)
        steps.append(_step(idx, action, result))
        key = _key(action)
        repeats = repeats + 1 if key == last else 1
        last = key
        errors = 0 if result.status in NON_ERRORS else errors + 1
        if result.status not in NON_ERRORS and policy.on_error == "stop":
            return steps, f"error:{result.status}"
        if errors >= policy.max_errors:
            return steps, "consecutive_errors"
        if repeats >= policy.max_repeats:
            return steps, "repeated_action"
        if action.function == "finish" and result.ok:
            return steps, "finish"
    return steps, "end_of_actions"


def _safe_step(env: Environment, action: Action) -> StepResult:
    try:
        return env.step(action)[1]
    except TimeoutError as exc:
        return StepResult(status="timeout", error=str(exc) or "the step timed out")


def _step(idx: int, action: Action, result: StepResult) -> Step:
    return Step(
        idx=idx,
        action=action,
        status=result.status,
        error=result.error,
        observation=result.observation,
        matched_control=result.matched_control,
        match_score=result.match_score,
        state_hash=result.state_hash,
    )


def evaluate(env: Environment, instance: Instance) -> list[CheckResult]:
    out = []
    for check in instance.checks:
        passed, detail = env.check(check)
        out.append(CheckResult(check=check, passed=passed, detail=detail))
    return out


def outcome_of(results: list[CheckResult], stop_reason: str) -> Outcome:
    """``pass`` when every check holds, ``fail`` when one does not, ``unsure`` with none."""
    if not results:
        label = "unsure"
    else:
        label = "pass" if all(r.passed for r in results) else "fail"
    return Outcome(label=label, success=label == "pass", checks=results, stop_reason=stop_reason)


def _state_json(env: Environment) -> str:
    """The final state as canonical JSON (the environment's own copy when it keeps one)."""
    kept = getattr(env, "state_json", None)
    return str(kept()) if callable(kept) else canonical_json(env.state())


def run_instance(env: Environment, instance: Instance, policy: Policy) -> Trajectory:
    """Reset ``env`` on the instance's template, run its actions, evaluate its checks."""
    initial = env.reset(str(instance.template_id))
    steps, reason = run_actions(env, instance.actions, policy)
    return Trajectory.create(
        instance_id=instance.id,
        task_plan_id=instance.task_plan_id,
        app=instance.app,
        template_id=instance.template_id,
        task=instance.task,
        env=Env(kind=env.kind, version=env.version),
        steps=steps,
        outcome=outcome_of(evaluate(env, instance), reason),
        final_state_json=_state_json(env),
        initial_observation=initial,
    )
