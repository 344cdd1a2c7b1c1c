"""The LLM backend: the model writes the concrete task, the actions, the checks and the verdict.

Rules and template choice run first (no call is paid for an ``env_change`` or a
``template_miss``); then one request per task-plan goes through the LLM layer
(:func:`lamdata.llm.run_batch`: bounded concurrency, retries, schema validation, re-asks, cache,
call log). The model sees the template's document and the app's compact control list, and must
answer in ``schemas/llm_instantiate.schema.json`` (actions in the action schema). Its answer is
not trusted: a control id the app does not have, a function the control does not accept, bad
arguments or a malformed check path quarantine the task-plan with the reason; the actions are
then replayed through the dry run (:meth:`Grounder.replay`), which adds forgotten navigation and
turns what the environment refuses into an ``other`` verdict — never executed blindly.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import fields
from functools import lru_cache
from typing import Any, TypeVar

from lamdata.env import AppModel
from lamdata.env.paths import parse_path
from lamdata.instantiate.checks import initial_view, write_checks
from lamdata.instantiate.choose import Choice
from lamdata.instantiate.offline import (
    AppContext,
    build_instance,
    pre_verdict,
    rejected,
    rejection,
)
from lamdata.llm import (
    CallStore,
    LLMClient,
    LLMConfig,
    LLMRequest,
    LLMResult,
    build_messages,
    run_batch,
)
from lamdata.llm.client import Progress
from lamdata.records import Action, Check, Instance, LLMInfo, Rejection, TaskPlan, Verdict
from lamdata.store import Store, Summary
from lamdata.validation import validate_args

PROMPT_ID = "instantiate.v2"
SCHEMA = "llm_instantiate"
STAGE = "instantiate"


#: A task-plan that goes to the model: its app context and its chosen template.
Asked = tuple[TaskPlan, AppContext, Choice]


def instantiate_with_llm(
    plans: list[TaskPlan],
    contexts: dict[str, AppContext],
    min_score: float,
    config: LLMConfig,
    *,
    store: Store,
    summary: Summary,
    progress: Progress | None = None,
    calls: CallStore | None = None,
) -> tuple[list[Instance], list[Rejection]]:
    """Instances (kept or rejected) and quarantined task-plans for one input part."""
    instances, asked, requests = prepare_part(plans, contexts, min_score)
    if progress is not None:
        progress(len(instances))
    results = run_batch(
        config, requests, store=store, summary=summary, progress=progress, calls=calls
    )
    outcomes = [from_result(*item, result) for item, result in zip(asked, results, strict=True)]
    return settle(instances, outcomes)


def prepare_part(
    plans: list[TaskPlan], contexts: dict[str, AppContext], min_score: float
) -> tuple[list[Instance], list[Asked], list[LLMRequest]]:
    """Rules and template choice: the instances rejected before any call, the task-plans to
    ask about, and their requests."""
    instances: list[Instance] = []
    asked: list[Asked] = []
    for plan in plans:
        ctx = contexts.get(plan.app or "")
        verdict, choice = pre_verdict(plan, ctx, min_score)
        if verdict is not None or ctx is None or choice is None:
            instances.append(rejected(plan, verdict or Verdict(False, "other"), choice, PROMPT_ID))
        else:
            asked.append((plan, ctx, choice))
    return instances, asked, [request_for(plan, ctx, choice) for plan, ctx, choice in asked]


async def answer_part(
    client: LLMClient | None,
    asked: list[Asked],
    requests: list[LLMRequest],
    progress: Progress | None = None,
) -> list[Instance | Rejection]:
    """Ask every request (bounded by the client) and check each answer as it arrives; the
    outcomes are in request order."""
    if not requests:
        return []
    assert client is not None

    async def one(item: Asked, request: LLMRequest) -> Instance | Rejection:
        result = await client.ask(request)
        if progress is not None:
            progress(1)
        return from_result(*item, result)

    return list(await asyncio.gather(*(one(a, r) for a, r in zip(asked, requests, strict=True))))


def settle(
    instances: list[Instance], outcomes: list[Instance | Rejection]
) -> tuple[list[Instance], list[Rejection]]:
    """The part's instances (rejected before asking first, then answered ones in order) and
    its quarantined task-plans."""
    instances = list(instances)
    rejections: list[Rejection] = []
    for outcome in outcomes:
        if isinstance(outcome, Rejection):
            rejections.append(outcome)
        else:
            instances.append(outcome)
    return instances, rejections


def request_for(plan: TaskPlan, ctx: AppContext, choice: Choice) -> LLMRequest:
    assert choice.template is not None
    template = ctx.model.templates[choice.template.id]
    messages = build_messages(
        PROMPT_ID,
        SCHEMA,
        app=ctx.model.app,
        app_name=ctx.model.name,
        template_id=template.id,
        template_description=template.description,
        document=ctx.document_view(template),
        controls=relevant_controls(plan, ctx),
        alternatives="\n".join(f"{c.id}: {c.description}" for c, _ in choice.alternatives[:3])
        or "(none)",
        task=plan.task,
        steps="\n".join(f"{i + 1}. {s}" for i, s in enumerate(plan.steps)) or "(no steps)",
    )
    return LLMRequest(key=plan.id, prompt_id=PROMPT_ID, schema=SCHEMA, messages=messages)


def relevant_controls(plan: TaskPlan, ctx: AppContext) -> str:
    """The control list of the part of the app the plan uses (see :mod:`catalog`)."""
    return ctx.controls_text(tuple(t for step in plan.ui_terms for t in step))


def from_result(
    plan: TaskPlan, ctx: AppContext, choice: Choice, result: LLMResult
) -> Instance | Rejection:
    if not result.ok:
        return rejection(STAGE, result.error, plan, result.text)
    value: dict[str, Any] = result.value
    actions = [_record(Action, a) for a in value.get("actions", [])]
    checks = [_record(Check, c) for c in value.get("checks", [])]
    problem = answer_problem(ctx.model, actions, checks)
    picked = model_choice(choice, value.get("template_id"))
    if picked is None:
        problem = problem or (
            f"unknown_template: the answer names template {value.get('template_id')!r}, "
            f"not one of the candidates offered"
        )
    if problem or picked is None:
        return rejection(STAGE, problem, plan, result.text)
    return answer_instance(plan, ctx, picked, value, actions, checks, result.info)


_FIELDS = {cls: frozenset(f.name for f in fields(cls)) for cls in (Action, Check)}
R = TypeVar("R", Action, Check)


def _record(cls: type[R], data: dict[str, Any]) -> R:
    """``cls.from_dict(data)`` without its type reflection: a validated answer's actions and
    checks hold only their record's fields, all str/int/None (nothing to convert)."""
    if data.keys() <= _FIELDS[cls]:
        return cls(**data)
    return cls.from_dict(data)


def model_choice(choice: Choice, template_id: Any) -> Choice | None:
    """The template the model settled on: the offered one, or one of the listed alternatives
    (None when it names a template that was not offered)."""
    assert choice.template is not None
    if template_id in (None, "", choice.template.id):
        return choice
    for card, score in choice.alternatives[:3]:
        if card.id == template_id:
            return Choice(card, score, choice.needs)
    return None


def answer_problem(model: AppModel, actions: list[Action], checks: list[Check]) -> str:
    """Why an answer cannot be used as it is ("" when it can)."""
    for i, action in enumerate(actions):
        if action.function in ("wait", "finish"):
            continue
        control = model.controls.get(action.control_id or "")
        if control is None:
            return (
                f"unknown_control: action {i} names control {action.control_id!r} "
                f"({action.control_text!r}), which app {model.app!r} does not have"
            )
        if not control.accepts(action.function):
            fn = action.function
            return f"unsupported_action: action {i}: {control.text!r} does not accept {fn}"
        problem = args_problem(action.function, action.args_json or "{}")
        if problem:
            return f"bad_args: action {i}: {problem}"
    for i, check in enumerate(checks):
        try:
            parse_path(check.path)
            json.loads(check.value_json or "null")
        except (ValueError, json.JSONDecodeError) as exc:
            return f"bad_check: check {i}: {exc}"
    return ""


@lru_cache(maxsize=4096)
def args_problem(function: str, args_json: str) -> str:
    """Why ``args_json`` is not valid for ``function`` ("" when it is); answers repeat the
    same few argument shapes, so the schema check is memoized."""
    try:
        args = json.loads(args_json)
    except json.JSONDecodeError as exc:
        return f"args_json is not JSON ({exc.msg})"
    errors = validate_args(function, args)
    return f"{errors[0][1]} at {errors[0][0] or '/'}" if errors else ""


def answer_instance(
    plan: TaskPlan,
    ctx: AppContext,
    choice: Choice,
    value: dict[str, Any],
    actions: list[Action],
    checks: list[Check],
    info: LLMInfo,
) -> Instance:
    assert choice.template is not None
    template = ctx.model.templates[choice.template.id]
    kind, reason = value["verdict"]["kind"], str(value["verdict"].get("reason", ""))
    grounding = ctx.grounder.replay(template.id, actions) if kind == "normal" else None
    verdict = Verdict(keep=kind == "normal", kind=kind, reason=f"model: {reason}")
    if grounding is not None:
        actions = grounding.actions
        derived = write_checks(ctx.model.document_kind, initial_view(template), grounding.events)
        checks = checks or derived
        if grounding.problems:
            shown = "; ".join(grounding.problems[:3])
            verdict = Verdict(keep=False, kind="other", reason=f"unrunnable: {shown}")
        elif not grounding.events:
            verdict = Verdict(keep=False, kind="other", reason="no_action: nothing to execute")
        elif not checks:
            verdict = Verdict(keep=False, kind="other", reason="no_check: nothing to verify")
    return build_instance(
        plan,
        template,
        choice,
        task=str(value["task"]),
        actions=actions,
        checks=checks,
        verdict=verdict,
        llm=info,
    )
