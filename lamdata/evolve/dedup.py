"""Drop evolved tasks that are near-duplicates of tasks the store (or this run) already has.

Similarity is rapidfuzz's ``token_sort_ratio`` over normalized task texts of the same app, so
word order and case do not hide a duplicate; a candidate at or above the threshold is dropped
with a ``near_duplicate`` rejection naming the task it repeats. The index keeps each text with
its tokens already sorted and compares with plain ``ratio`` — the same score, without sorting
every indexed text again for every candidate (several times faster on large stores).
"""

from __future__ import annotations

import json

from rapidfuzz import fuzz, process

from lamdata.hashing import normalize_text
from lamdata.records import Rejection, TaskPlan

THRESHOLD = 92.0


class TaskIndex:
    """Task texts per app, growing as new tasks are accepted."""

    def __init__(self, plans: list[TaskPlan], threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._texts: dict[str, list[str]] = {}
        self._ids: dict[str, list[str]] = {}
        for plan in plans:
            self.add(plan)

    def add(self, plan: TaskPlan) -> None:
        app = plan.app or ""
        self._texts.setdefault(app, []).append(sorted_tokens(plan.task))
        self._ids.setdefault(app, []).append(plan.id)

    def nearest(self, plan: TaskPlan) -> tuple[str, str, float] | None:
        """(id, sorted tokens, score) of an indexed task at least ``threshold`` similar."""
        app = plan.app or ""
        found = process.extractOne(
            sorted_tokens(plan.task),
            self._texts.get(app, []),
            scorer=fuzz.ratio,
            score_cutoff=self.threshold,
        )
        if found is None:
            return None
        text, score, index = found
        return self._ids[app][index], text, float(score)


def sorted_tokens(text: str) -> str:
    """The form ``token_sort_ratio`` compares: normalized words, sorted."""
    return " ".join(sorted(normalize_text(text).split()))


def drop_near_duplicates(
    candidates: list[TaskPlan], index: TaskIndex, stage: str
) -> tuple[list[TaskPlan], list[Rejection]]:
    """Keep candidates unlike every indexed task (adding each kept one to the index)."""
    kept: list[TaskPlan] = []
    dropped: list[Rejection] = []
    for plan in candidates:
        near = index.nearest(plan)
        if near is None:
            kept.append(plan)
            index.add(plan)
            continue
        other_id, other_text, score = near
        dropped.append(
            Rejection.create(
                stage=stage,
                reason=f"near_duplicate: {score:.0f}% like {other_id} ({other_text!r})",
                uri=plan.source.uri,
                locator=plan.id,
                record_json=json.dumps(plan.to_dict(), ensure_ascii=False),
            )
        )
    return kept, dropped
