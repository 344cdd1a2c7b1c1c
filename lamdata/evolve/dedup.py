"""Drop evolved tasks that are near-duplicates of tasks the store (or this run) already has.

Similarity is rapidfuzz's ``token_sort_ratio`` over normalized task texts of the same app, so
word order and case do not hide a duplicate; a candidate at or above the threshold is dropped
with a ``near_duplicate`` rejection naming the task it repeats. The index keeps each text with
its tokens already sorted and compares with plain ``ratio`` — the same score, without sorting
every indexed text again for every candidate (several times faster on large stores).
"""

from __future__ import annotations

import bisect
import json
import math

from rapidfuzz import fuzz, process

from lamdata.hashing import normalize_text
from lamdata.records import Rejection, TaskPlan

THRESHOLD = 92.0


class TaskIndex:
    """Task texts per app (tokens sorted), kept in length order: two texts can only be
    ``threshold`` similar when the shorter is at least ``t / (200 - t)`` of the longer, so a
    candidate is compared with a slice of the index, not all of it."""

    def __init__(self, plans: list[TaskPlan], threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._ratio = threshold / (200.0 - threshold)
        self._apps: dict[str, tuple[list[int], list[str], list[str]]] = {}
        for plan in plans:
            self.add(plan)

    def add(self, plan: TaskPlan) -> None:
        lengths, texts, ids = self._apps.setdefault(plan.app or "", ([], [], []))
        text = sorted_tokens(plan.task)
        at = bisect.bisect_right(lengths, len(text))
        lengths.insert(at, len(text))
        texts.insert(at, text)
        ids.insert(at, plan.id)

    def nearest(self, plan: TaskPlan) -> tuple[str, str, float] | None:
        """(id, sorted tokens, score) of an indexed task at least ``threshold`` similar."""
        lengths, texts, ids = self._apps.get(plan.app or "", ([], [], []))
        query = sorted_tokens(plan.task)
        lo = bisect.bisect_left(lengths, math.floor(len(query) * self._ratio))
        hi = bisect.bisect_right(lengths, math.ceil(len(query) / self._ratio))
        found = process.extractOne(
            query, texts[lo:hi], scorer=fuzz.ratio, score_cutoff=self.threshold
        )
        if found is None:
            return None
        text, score, index = found
        return ids[lo + index], text, float(score)


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
