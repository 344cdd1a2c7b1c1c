"""Phase 1: choose the template a task is instantiated on, by what the task needs.

UFO dataflow picks a template by embedding similarity and always takes the best one, even
when nothing fits. Here a template is scored by two things a reader can check:

- **coverage**: the document content the task acts on ("the table", "the comments", "the
  chart") must exist in the template (its description or its document says so). Content words
  are the kinds of content the app's documents can hold; a noun the task *creates* ("insert a
  table") is not needed.
- **similarity**: rapidfuzz ``token_set_ratio`` of the task against the description, to rank
  templates that cover the task equally.

``score = 0.75 * coverage + 0.25 * similarity``. Below ``min_score`` there is no suitable
template, and the caller turns that into a ``template_miss`` verdict, never a random pick.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from lamdata.instantiate.text import content_words, singular, words

COVERAGE_WEIGHT = 0.75
_CREATE = re.compile(
    r"\b(insert|add|create|new|draw|build|type|write|make\s+(?:a|an|another))\b", re.I
)
_CLAUSE_END = re.compile(
    r"[,.;:]|\b(and|then|to|in|into|on|onto|at|of|for|from|with|below|above|after|before)\b",
    re.I,
)


@dataclass(frozen=True)
class TemplateCard:
    """What template choice needs to know about one template."""

    id: str
    app: str
    description: str
    content_hash: str
    terms: frozenset[str]


@dataclass(frozen=True)
class Choice:
    template: TemplateCard | None
    score: float
    needs: tuple[str, ...]
    reason: str = ""
    #: Further templates above the threshold, best first (tried when the best one cannot
    #: carry the task, e.g. it already has the fade transition the task applies).
    alternatives: tuple[tuple[TemplateCard, float], ...] = ()


def created_terms(task: str) -> set[str]:
    """Nouns the task creates: the words after a creation verb up to the next clause break."""
    found: set[str] = set()
    for match in _CREATE.finditer(task):
        rest = task[match.end() :]
        end = _CLAUSE_END.search(rest)
        found.update(singular(w) for w in words(rest[: end.start() if end else len(rest)]))
    return found


def needed_terms(task: str, vocabulary: frozenset[str]) -> tuple[str, ...]:
    """Content the task acts on that must already be in the document."""
    created = created_terms(task)
    return tuple(sorted({w for w in content_words(task) if w in vocabulary} - created))


def score_template(task: str, needs: Sequence[str], card: TemplateCard) -> float:
    coverage = sum(1 for n in needs if n in card.terms) / len(needs) if needs else 1.0
    similarity = fuzz.token_set_ratio(task, card.description, processor=utils.default_process)
    return round(COVERAGE_WEIGHT * coverage + (1 - COVERAGE_WEIGHT) * similarity / 100, 4)


def choose_template(
    task: str,
    cards: Sequence[TemplateCard],
    min_score: float,
    kinds: frozenset[str] = frozenset(),
    implied: frozenset[str] = frozenset(),
) -> Choice:
    """The best-scoring template (ties broken by id), or no template with the reason.

    ``kinds``: content the app can hold even if no template has it (e.g. "comment"), so a
    task about comments misses on an app whose templates have none. ``implied``: content
    the task needs without naming it (text to make bold).
    """
    if not cards:
        return Choice(None, 0.0, (), "template_miss: the app has no templates")
    vocabulary = kinds
    needs = tuple(sorted(set(needed_terms(task, vocabulary)) | implied))
    scored = sorted(((score_template(task, needs, c), c) for c in cards), key=_rank)
    score, best = scored[0]
    if score < min_score:
        missing = [n for n in needs if n not in best.terms]
        reason = (
            f"template_miss: no template of {best.app!r} has {', '.join(missing) or 'a match'}"
            f" (best {best.id!r} scores {score:.2f} < {min_score:.2f})"
        )
        return Choice(None, score, needs, reason)
    others = tuple((c, s) for s, c in scored[1:] if s >= min_score)
    return Choice(best, score, needs, alternatives=others)


def _rank(item: tuple[float, TemplateCard]) -> tuple[float, str]:
    return (-item[0], item[1].id)
