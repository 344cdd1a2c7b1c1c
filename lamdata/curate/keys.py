"""What dedup compares for each table, and the survivor rule that picks one record per cluster.

The dedup key of a task-plan is its task text plus its plan steps; of an instance or a
trajectory, its task text plus its action sequence, one token per action (``function@control``).
The action sequence is written ``ACTION_WEIGHT`` times with distinct token copies, so in the
Jaccard of shingle sets it weighs that many times the task text: the same actions under a
reworded task stay near duplicates, while a different action sequence does not.
Survivor keys are named, each with a fixed direction; ``id`` (smallest first) always ends the
order, so the rule is total and deterministic.
"""

from __future__ import annotations

from lamdata.curate.minhash import normalize_key
from lamdata.errors import ConfigError

ACTION_WEIGHT = 3

_ACTION_TOKENS = (
    "array_to_string(list_transform({items}, lambda s: {fn} || '@' || "
    "replace(coalesce({ctl}.control_id, {ctl}.control_text, ''), ' ', '_')), ' ')"
)

KEY_SQL = {
    "task_plans": """
        SELECT id, task || ' ' || array_to_string(steps, ' ') AS key_text, '' AS action_text,
               (NOT coalesce(needs_plan, false) AND len(steps) > 0) AS has_plan,
               coalesce(signals.frequency, 0) AS frequency, len(steps) AS n_steps
        FROM task_plans""",
    "instances": f"""
        SELECT id, task AS key_text, {
        _ACTION_TOKENS.format(items="actions", fn="s.function", ctl="s")
    } AS action_text,
               coalesce(verdict.keep, false) AS verdict_keep, len(actions) AS n_steps
        FROM instances""",
    "trajectories": f"""
        SELECT id, task AS key_text, {
        _ACTION_TOKENS.format(items="steps", fn="s.action.function", ctl="s.action")
    } AS action_text,
               CASE outcome.label WHEN 'pass' THEN 0 WHEN 'unsure' THEN 1 ELSE 2 END
                   AS label_rank,
               len(list_filter(steps, lambda s: s.status <> 'ok')) AS errors,
               len(steps) AS n_steps
        FROM trajectories""",
}


def compose_key(text: str, actions: str) -> str:
    """The normalized dedup key: the text, then the action tokens ``ACTION_WEIGHT`` times."""
    key = normalize_key(text)
    if not actions:
        return key
    tokens = normalize_key(actions).split()
    copies = [" ".join(f"{t}@{c}" if c else t for t in tokens) for c in range(ACTION_WEIGHT)]
    return " ".join([key, *copies]) if tokens else key


#: name -> (column, descending) per table; the first column sorted wins.
SURVIVOR_KEYS: dict[str, dict[str, tuple[str, bool]]] = {
    "task_plans": {
        "has_plan": ("has_plan", True),
        "frequency": ("frequency", True),
        "steps": ("n_steps", False),
        "more_steps": ("n_steps", True),
    },
    "instances": {
        "keep": ("verdict_keep", True),
        "steps": ("n_steps", False),
        "more_steps": ("n_steps", True),
    },
    "trajectories": {
        "pass": ("label_rank", False),
        "errors": ("errors", False),
        "steps": ("n_steps", False),
        "more_steps": ("n_steps", True),
    },
}

DEFAULT_SURVIVOR = {
    "task_plans": "has_plan,frequency,id",
    "instances": "keep,steps,id",
    "trajectories": "pass,errors,id",
}


def survivor_order(table: str, spec: str = "default") -> list[tuple[str, bool]]:
    """The ``(column, descending)`` sort keys of a survivor rule such as ``pass,errors,id``."""
    text = DEFAULT_SURVIVOR[table] if spec in ("", "default") else spec
    known = SURVIVOR_KEYS[table]
    order: list[tuple[str, bool]] = []
    for name in (part.strip() for part in text.split(",")):
        if name == "id":
            break
        if name not in known:
            names = ", ".join([*known, "id"])
            raise ConfigError(
                f"unknown survivor key {name!r} for {table}", hint=f"use a comma list of {names}"
            )
        order.append(known[name])
    return [*order, ("id", False)]
