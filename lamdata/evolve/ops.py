"""Evol-Instruct operations: their names, and the two the offline backend does by rule.

Offline evolution only writes what stays executable:
- ``compose`` joins two tasks of the same app into one (the first plan, then the second);
- ``concretize`` fills one value a step leaves open ("choose a font" → "choose Arial"), with a
  value the app offers (:mod:`lamdata.evolve.vocabulary`), only where the step text names the
  control and the open value, so the grounded action carries that value.
``add_constraint``, ``deepen`` and ``breadth`` need a model (``--llm openai:MODEL``).
"""

from __future__ import annotations

import re
from functools import cache

from lamdata.evolve.vocabulary import Slot, slots_for
from lamdata.hashing import hash_unit, normalize_text
from lamdata.records import Lineage, Source, TaskPlan

OPS = ("add_constraint", "deepen", "concretize", "compose", "breadth")
OFFLINE_OPS = ("compose", "concretize")
MAX_STEPS = 40
#: Words that make "the Font box" the control, not the open value "a font".
_CONTROL_WORDS = r"(?:box|list|menu|button|gallery|drop-?down|combo|tab|dialog|field|group|pane)"
_SETTING_VERBS = re.compile(r"^(change|set|switch|make|adjust|pick|choose|select)\b", re.I)


def evolved_plan(
    parents: list[TaskPlan],
    op: str,
    task: str,
    steps: list[str],
    ui_terms: list[list[str]] | None,
    *,
    origin: str,
    plan_source: str,
) -> TaskPlan:
    """A new task-plan from ``parents`` by ``op`` (its lineage and provenance filled in)."""
    first = parents[0]
    return TaskPlan.create(
        app=first.app,
        task=task,
        steps=steps,
        source=Source(kind="evolved", uri=origin, locator=op, title=first.task),
        ui_terms=ui_terms,
        lineage=Lineage(
            parents=[p.id for p in parents],
            op=op,
            generation=max(p.lineage.generation for p in parents) + 1,
        ),
        plan_source=plan_source,
        lang=first.lang,
    )


def _terms(plan: TaskPlan) -> list[list[str]]:
    terms = list(plan.ui_terms)
    return terms + [[] for _ in range(len(plan.steps) - len(terms))]


def _lower_first(text: str) -> str:
    """Lower-case a plain first word ("Insert" → "insert"), never a name ("AutoSum", "PDF")."""
    word = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if word[1:].islower() else text


def compose(first: TaskPlan, second: TaskPlan) -> TaskPlan | None:
    """``first`` then ``second`` as one task (None when they cannot be joined)."""
    if first.app != second.app or normalize_text(first.task) == normalize_text(second.task):
        return None
    if len(first.steps) + len(second.steps) > MAX_STEPS or not first.steps or not second.steps:
        return None
    task = f"{first.task.rstrip(' .')}, then {_lower_first(second.task.rstrip(' .'))}"
    return evolved_plan(
        [first, second],
        "compose",
        task,
        first.steps + second.steps,
        _terms(first) + _terms(second),
        origin="rules:evolve",
        plan_source="rule",
    )


def compose_pairs(plans: list[TaskPlan], seed: int) -> list[tuple[TaskPlan, TaskPlan]]:
    """Each plan with the next one of its app in a seeded order (a cycle when there are 3+)."""
    by_app: dict[str, list[TaskPlan]] = {}
    for plan in plans:
        by_app.setdefault(plan.app or "", []).append(plan)
    pairs: list[tuple[TaskPlan, TaskPlan]] = []
    for group in by_app.values():
        order = sorted(group, key=lambda p: (hash_unit(p.id, seed), p.id))
        if len(order) == 2:
            pairs.append((order[0], order[1]))
        elif len(order) > 2:
            pairs.extend((p, order[(i + 1) % len(order)]) for i, p in enumerate(order))
    return pairs


@cache
def _noun_phrase(slot: Slot) -> re.Pattern[str]:
    nouns = "|".join(re.escape(n) for n in sorted(slot.nouns, key=len, reverse=True))
    return re.compile(
        rf"\b(?:a|an|the|your|any|another)\s+(?:new\s+|different\s+|desired\s+)?(?:{nouns})"
        rf"(?:\s+(?:that\s+)?you\s+(?:want|like|need))?\b(?!\s+{_CONTROL_WORDS}\b)",
        re.I,
    )


@cache
def _word(phrase: str) -> re.Pattern[str]:
    """``phrase`` as a whole word, case-sensitive."""
    return re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])")


def _mentions(text: str, label: str) -> bool:
    """The step names the control by its label (as help pages write it, capitalised)."""
    return _word(label).search(text) is not None


def _concrete_task(task: str, slot: Slot, value: str) -> str:
    base = task.rstrip(" .")
    if _SETTING_VERBS.match(base) and re.search(rf"\b(?:{'|'.join(slot.nouns)})\b", base, re.I):
        return f"{base} to {value}"
    phrase = _noun_phrase(slot)
    if phrase.search(base):
        return phrase.sub(lambda m: f"the {value} {m.group(0).split()[-1]}", base, count=1)
    return f"{base}, using {value} as the {slot.nouns[0]}"


def concretize(plan: TaskPlan, seed: int) -> TaskPlan | None:
    """A concrete version of ``plan`` (None when nothing is left open):

    - a step leaves a value open ("In the Font box, choose a font"): fill it with an option of
      the app, in the step and in the task;
    - else the task is vaguer than its steps ("Change the margins" / "Click Narrow."): say the
      value the steps set in the task; the steps, already executable, stay as they are.
    """
    for slot in slots_for(plan.app):
        filled = _fill_open_value(plan, slot, seed) or _name_step_value(plan, slot)
        if filled is not None:
            task, steps = filled
            return evolved_plan(
                [plan],
                "concretize",
                task,
                steps,
                _terms(plan),
                origin="rules:evolve",
                plan_source="rule",
            )
    return None


def _values_in(text: str, slot: Slot) -> list[str]:
    """Options of ``slot`` that ``text`` names as values (not as part of the control's label:
    "Number" in "the Number Format box" is no value)."""
    masked = _word(slot.label).sub(" ", text)
    return [o for o in slot.options if _word(o).search(masked)]


def _fill_open_value(plan: TaskPlan, slot: Slot, seed: int) -> tuple[str, list[str]] | None:
    if _values_in(" \n ".join([plan.task, *plan.steps]), slot):
        return None
    pattern = _noun_phrase(slot)
    for index, step in enumerate(plan.steps):
        if _mentions(step, slot.label) and pattern.search(step):
            pick = int(hash_unit(f"{plan.id}|{slot.label}", seed) * len(slot.options))
            value = slot.options[pick]
            steps = list(plan.steps)
            steps[index] = pattern.sub(value, step, count=1)
            return _concrete_task(plan.task, slot, value), steps
    return None


def _name_step_value(plan: TaskPlan, slot: Slot) -> tuple[str, list[str]] | None:
    """The value a step sets for ``slot`` (named in that step or the one before), put into a
    task that talks about the slot but does not say the value yet."""
    task = plan.task.casefold()
    if not re.search(rf"\b(?:{'|'.join(map(re.escape, slot.nouns))})\b", task):
        return None
    for index, step in enumerate(plan.steps):
        near = _mentions(step, slot.label) or (
            index > 0 and _mentions(plan.steps[index - 1], slot.label)
        )
        values = _values_in(step, slot) if near else []
        if values:
            if _values_in(plan.task, slot) or values[0].casefold() in plan.task.casefold():
                return None
            return _concrete_task(plan.task, slot, values[0]), list(plan.steps)
    return None


def evolve_offline(plans: list[TaskPlan], ops: list[str], seed: int) -> list[TaskPlan]:
    """The rule-based ops over one batch of task-plans (pure; order is deterministic)."""
    usable = [p for p in plans if p.steps and not p.needs_plan]
    out: list[TaskPlan] = []
    if "concretize" in ops:
        out.extend(c for c in (concretize(p, seed) for p in usable) if c is not None)
    if "compose" in ops:
        joined = (compose(a, b) for a, b in compose_pairs(usable, seed))
        out.extend(c for c in joined if c is not None)
    return out
