"""Finding the control an action names: by id, by exact text, or by fuzzy text above a
threshold — never the silent best match that accepts anything.

Order: ``control_id`` (or automation id) exactly; else the control text, case- and
space-insensitively; else the closest text by ``rapidfuzz.fuzz.ratio`` if it scores at least
:data:`FUZZY_THRESHOLD` (0–100). Among controls with the same text, visible ones win, then
enabled ones, then those of the action's ``control_type``, then model order. The score is
recorded in ``Step.match_score`` (100 for an id or exact text).
"""

from __future__ import annotations

from collections.abc import Callable

from rapidfuzz import fuzz, process

from lamdata.env.appmodel import AppModel
from lamdata.hashing import normalize_text

#: Minimum rapidfuzz ratio (0–100) for a fuzzy text match to count.
FUZZY_THRESHOLD = 90.0


class ControlIndex:
    """Lookups by id, automation id and normalized text for one app model."""

    def __init__(self, model: AppModel, threshold: float = FUZZY_THRESHOLD) -> None:
        self.model = model
        self.threshold = threshold
        self.by_id = dict(model.controls)
        self.by_automation = {c.automation_id: c.id for c in model.controls.values()}
        self.by_text: dict[str, list[str]] = {}
        for control in model.controls.values():
            self.by_text.setdefault(normalize_text(control.text), []).append(control.id)
        self.texts = [t for t in self.by_text if t]

    def resolve(
        self,
        control_id: str | None,
        control_text: str | None,
        control_type: str | None,
        rank: Callable[[str], tuple[bool, bool]],
    ) -> tuple[str | None, float | None]:
        """(matched control id, score) or (None, best score below the threshold)."""
        if control_id:
            found = control_id if control_id in self.by_id else self.by_automation.get(control_id)
            if found:
                return found, 100.0
        if not control_text:
            return None, None
        key = normalize_text(control_text)
        score = 100.0
        if key not in self.by_text:
            best = process.extractOne(key, self.texts, scorer=fuzz.ratio)
            if best is None or best[1] < self.threshold:
                return None, (round(float(best[1]), 2) if best else None)
            key, score = best[0], round(float(best[1]), 2)
        return self._pick(self.by_text[key], control_type, rank), score

    def _pick(
        self, ids: list[str], control_type: str | None, rank: Callable[[str], tuple[bool, bool]]
    ) -> str:
        def order(item: tuple[int, str]) -> tuple[bool, bool, bool, int]:
            i, cid = item
            visible, enabled = rank(cid)
            same_type = control_type is not None and self.by_id[cid].control_type == control_type
            return (not visible, not enabled, not same_type, i)

        return min(enumerate(ids), key=order)[1]
