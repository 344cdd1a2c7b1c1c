"""Conversations: the one neutral form that the ``openai`` and ``sharegpt`` writers render.

A trajectory (no ``--task``) becomes one multi-turn conversation: the action space as system
prompt, the task as the user turn, then each step as an assistant tool call followed by the
application's answer (status, error, observation) as a tool turn; the last call ends it. With a
preset, each preset row (:mod:`lamdata.export.tasks`) becomes one conversation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lamdata.export.actions import action_space_text, call_arguments, step_result
from lamdata.export.base import ExportContext
from lamdata.export.tasks import task_rows
from lamdata.records import Action, Trajectory

PLAN_SYSTEM = (
    "You plan how to carry out a task in the application '{app}'. "
    "Answer with the plan: one numbered step a line."
)
REWARD_SYSTEM = (
    "You judge whether an agent completed a task in the application '{app}', "
    "given the task and the actions it took with the application's answers. "
    "Answer 'pass' or 'fail'."
)


@dataclass
class Call:
    """An assistant's function call."""

    name: str
    arguments: dict[str, Any]


@dataclass
class Message:
    role: str  # system, user, assistant, tool
    content: str = ""
    call: Call | None = None
    weight: int | None = None


@dataclass
class Conversation:
    id: str
    app: str
    messages: list[Message] = field(default_factory=list)
    uses_tools: bool = True


def _call(action: Action) -> Call:
    return Call(action.function, call_arguments(action))


def _user_turn(task: str, observation: str, history: list[str] | None = None) -> str:
    text = f"Task: {task}"
    if history:
        text += "\n\nActions so far:\n" + "\n".join(f"{i}. {h}" for i, h in enumerate(history, 1))
    if observation:
        text += f"\n\nObservation:\n{observation}"
    return text


def trajectory_conversation(ctx: ExportContext, traj: Trajectory) -> Conversation | None:
    """The whole trajectory as one conversation (failed steps weight 0, or dropped)."""
    messages = [
        Message("system", action_space_text(traj.app)),
        Message("user", _user_turn(traj.task, traj.initial_observation)),
    ]
    steps = traj.steps
    if ctx.options.drop_failed:
        ctx.exclude("failed_step", sum(1 for s in steps if s.status != "ok"))
        steps = [s for s in steps if s.status == "ok"]
    if not steps:
        ctx.exclude("no_steps")
        return None
    for i, step in enumerate(steps):
        weight = 1 if step.status == "ok" else 0
        messages.append(Message("assistant", call=_call(step.action), weight=weight))
        if i < len(steps) - 1:
            messages.append(Message("tool", step_result(step)))
    return Conversation(traj.id, traj.app, messages)


def _from_row(task: str, row: dict[str, Any]) -> Conversation:
    app = row["app"]
    if task == "taskplan-sft":
        plan = "\n".join(f"{i}. {s}" for i, s in enumerate(row["plan"], 1))
        messages = [
            Message("system", PLAN_SYSTEM.format(app=app)),
            Message("user", f"Task: {row['task']}"),
            Message("assistant", plan),
        ]
        return Conversation(row["id"], app, messages, uses_tools=False)
    if task == "reward":
        steps = zip(row["actions"], row["statuses"], strict=True)
        user = f"Task: {row['task']}\n\nActions:\n" + "\n".join(
            f"{i}. {a} -> {s}" for i, (a, s) in enumerate(steps, 1)
        )
        if row["final_observation"]:
            user += f"\n\nFinal observation:\n{row['final_observation']}"
        messages = [
            Message("system", REWARD_SYSTEM.format(app=app)),
            Message("user", user),
            Message("assistant", row["label"]),
        ]
        return Conversation(row["id"], app, messages, uses_tools=False)
    call = Call(row["function"], json.loads(row["arguments_json"]))
    messages = [
        Message("system", action_space_text(app)),
        Message("user", _user_turn(row["task"], row["observation"], row["history"])),
        Message("assistant", call=call, weight=row["weight"]),
    ]
    return Conversation(row["id"], app, messages)


def conversations(ctx: ExportContext, ids: list[str]) -> list[Conversation]:
    """The conversations of the selected records ``ids`` for the export's task."""
    task = ctx.options.task
    if task is not None:
        return [_from_row(task, row) for row in task_rows(ctx, task, ids)]
    out = []
    for rid in ids:
        conversation = trajectory_conversation(ctx, ctx.trajectories[rid])
        if conversation is not None:
            out.append(conversation)
    return out
