"""Evolution and planning by a model: the requests to send and how answers become task-plans.

Evolution uses the prompt ``evolve.v1`` (answer schema ``llm_evolve``: a task and its steps),
one request per (task-plan, operation); ``compose`` pairs a plan with another of its app.
Planning uses ``plan.v1`` (schema ``llm_plan``), one request per task-plan that needs a plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lamdata.evolve.ops import compose_pairs, evolved_plan
from lamdata.llm import LLMRequest, build_messages
from lamdata.records import Lineage, Source, TaskPlan

EVOLVE_PROMPT = "evolve.v1"
EVOLVE_SCHEMA = "llm_evolve"
PLAN_PROMPT = "plan.v1"
PLAN_SCHEMA = "llm_plan"

#: What each operation asks of the model (after WizardLM's Evol-Instruct prompts).
OP_INSTRUCTIONS = {
    "add_constraint": "add one more constraint or requirement to the task (a position, a "
    "value, a condition, a second property to set) and extend the plan with the steps it needs.",
    "deepen": "make the task deeper: a more specific or more demanding version of the same goal "
    "(e.g. 'create a drop-down list' becomes 'create a dependent drop-down list'), with its "
    "full plan.",
    "concretize": "replace general concepts with concrete ones: name the exact text, value, "
    "cell, slide or option the task acts on, in the task and in the steps.",
    "compose": "combine it with the second task given below into ONE task that does both in a "
    "sensible order; the plan is both plans joined and adapted.",
    "breadth": "write a NEW task in the same area of the application (the same tab or feature "
    "group), different from the existing one, the way a user of the application would ask it.",
}


@dataclass(frozen=True)
class Pending:
    """A request and the task-plans its answer descends from."""

    request: LLMRequest
    parents: list[TaskPlan]
    op: str


def _numbered(steps: list[str]) -> str:
    return "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1))


def _terms_of(plans: list[TaskPlan]) -> str:
    terms = dict.fromkeys(t for p in plans for step in p.ui_terms for t in step if t.strip())
    return ", ".join(terms) or "none recorded"


def evolve_requests(plans: list[TaskPlan], ops: list[str], seed: int) -> list[Pending]:
    """One request per usable task-plan and operation (compose only where a partner exists)."""
    usable = [p for p in plans if p.steps and not p.needs_plan]
    partners = {a.id: b for a, b in compose_pairs(usable, seed)}
    pending: list[Pending] = []
    for plan in usable:
        for op in ops:
            parents = [plan]
            extra = ""
            if op == "compose":
                if plan.id not in partners:
                    continue
                parents.append(partners[plan.id])
                second = partners[plan.id]
                extra = f"Second task: {second.task}\nIts plan:\n{_numbered(second.steps)}"
            messages = build_messages(
                EVOLVE_PROMPT,
                EVOLVE_SCHEMA,
                app=plan.app or "the application",
                operation=OP_INSTRUCTIONS[op],
                task=plan.task,
                steps=_numbered(plan.steps),
                ui_terms=_terms_of(parents),
                extra=extra,
            )
            request = LLMRequest(f"{plan.id}:{op}", EVOLVE_PROMPT, EVOLVE_SCHEMA, messages)
            pending.append(Pending(request, parents, op))
    return pending


def evolved_from_answer(item: Pending, value: dict[str, Any]) -> TaskPlan:
    steps = [str(s).strip() for s in value["steps"] if str(s).strip()]
    return evolved_plan(
        item.parents,
        item.op,
        str(value["task"]).strip(),
        steps,
        None,
        origin=f"prompt:{EVOLVE_PROMPT}",
        plan_source="model",
    )


def plan_requests(plans: list[TaskPlan]) -> list[Pending]:
    """One request per task-plan that needs a plan."""
    pending: list[Pending] = []
    for plan in plans:
        variants = ", ".join(plan.signals.variants[:10]) or "none"
        messages = build_messages(
            PLAN_PROMPT,
            PLAN_SCHEMA,
            app=plan.app or "the application",
            task=plan.task,
            variants=variants,
        )
        request = LLMRequest(f"{plan.id}:plan", PLAN_PROMPT, PLAN_SCHEMA, messages)
        pending.append(Pending(request, [plan], "plan"))
    return pending


def planned_from_answer(original: TaskPlan, value: dict[str, Any]) -> TaskPlan:
    """The original task with the model's steps, marked model-written (source kind ``model``,
    uri the prompt id, locator the original's id), linked to the original (op ``plan``)."""
    steps = [str(s).strip() for s in value["steps"] if str(s).strip()]
    return TaskPlan.create(
        app=original.app,
        task=original.task,
        steps=steps,
        source=Source(
            kind="model", uri=f"prompt:{PLAN_PROMPT}", locator=original.id, title=original.task
        ),
        lineage=Lineage(
            parents=[original.id], op="plan", generation=original.lineage.generation + 1
        ),
        signals=original.signals,
        needs_plan=False,
        plan_source="model",
        lang=original.lang,
    )
