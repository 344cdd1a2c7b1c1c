"""Attach a plan to a mined task: the best-matching help-doc task-plan of the same app.

The score is rapidfuzz's token-set ratio between the task (without its app) and each help-doc
task of that app, both in a canonical form: lowercase, no articles, plurals singular ('slides'
→ 'slide'), common verb synonyms folded ('make' → 'create', 'add' → 'insert', 'get rid of' →
'delete'), so 'Make a pie chart' meets 'Create a pie chart'. Token-set ratio is 100 whenever
one side's words are a subset of the other's, so a match must also cover most of the query's
own content words: 'insert a table of contents' must not take the plan of 'insert a table'.
Ties go to the higher token-sort ratio, then to the smaller plan id (deterministic).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from rapidfuzz import fuzz, utils

from lamdata.errors import StoreError
from lamdata.records import TaskPlan
from lamdata.store import Store

PLAN_KINDS = ("help_doc", "wikihow", "import")
_FILLER = {"a", "an", "the", "in", "on", "of", "to", "for", "with", "and", "your", "my"}


@dataclass(frozen=True)
class Match:
    plan: TaskPlan
    score: float


_SYNONYMS = {
    "make": "create", "build": "create", "add": "insert", "put": "insert",
    "remove": "delete", "erase": "delete", "modify": "change", "set": "change",
    "display": "show", "view": "show", "unhide": "show",
}  # fmt: skip
_PHRASES = {"get rid of": "delete", "take out": "delete", "turn on": "enable"}


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def canonical(text: str) -> str:
    """The form tasks are compared in (see the module docstring)."""
    text = utils.default_process(text)
    for phrase, verb in _PHRASES.items():
        text = text.replace(phrase, verb)
    words = (_SYNONYMS.get(w, w) for w in text.split() if w not in _FILLER)
    return " ".join(_singular(w) for w in words)


def _words(text: str) -> set[str]:
    return set(text.split())


def _coverage(wanted: set[str], offered: set[str]) -> float:
    """Share of ``wanted`` words found in ``offered`` (a word also counts as found when one
    differs only by an inflection or typo: 'table'/'tables')."""
    found = sum(1 for w in wanted if w in offered or any(fuzz.ratio(w, o) >= 80 for o in offered))
    return found / len(wanted)


class PlanIndex:
    """Help-doc task-plans with steps, by app, ready for matching."""

    def __init__(self, plans: list[TaskPlan]) -> None:
        self.by_app: dict[str, list[tuple[str, TaskPlan]]] = {}
        for plan in sorted(plans, key=lambda p: p.id):
            if plan.app and plan.steps and plan.source.kind in PLAN_KINDS:
                entry = (canonical(plan.task), plan)
                self.by_app.setdefault(plan.app, []).append(entry)

    @classmethod
    def from_store(cls, store: Store) -> PlanIndex:
        """The store's help-doc plans (read with polars: only the columns and rows needed)."""
        parts = store.parts("task_plans")
        if not parts:
            return cls([])
        columns = ["id", "app", "task", "steps", "ui_terms", "source"]
        try:
            frame = (
                pl.scan_parquet(parts)
                .select(columns)
                .filter(
                    pl.col("source").struct.field("kind").is_in(PLAN_KINDS)
                    & (pl.col("steps").list.len() > 0)
                )
                .collect()
            )
        except pl.exceptions.PolarsError as exc:
            raise StoreError(f"cannot read the help-doc plans of {store.path}: {exc}") from exc
        return cls([TaskPlan.from_dict(row) for row in frame.to_dicts()])

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_app.values())

    def best(
        self, app: str, task: str, *, threshold: float, min_coverage: float = 0.75
    ) -> Match | None:
        """The best plan for ``task`` in ``app`` scoring at least ``threshold``, if any."""
        query = canonical(task)
        wanted = _words(query)
        best: tuple[float, float] = (-1.0, -1.0)
        found: TaskPlan | None = None
        for text, plan in self.by_app.get(app, []):  # in id order: the first of equals wins
            score = fuzz.token_set_ratio(query, text)
            if score < threshold:
                continue
            if wanted and _coverage(wanted, _words(text)) < min_coverage:
                continue
            rank = (score, fuzz.token_sort_ratio(query, text))
            if rank > best:
                best, found = rank, plan
        return Match(found, round(best[0], 2)) if found else None
