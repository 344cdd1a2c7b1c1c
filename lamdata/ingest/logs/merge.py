"""Near-duplicate reformulations merge: 'how to insert a table in word', 'word insert table'
and 'insert tabel in word' are one need.

Each variant comes with a key: the task it asks for without its frame (how-to lead, app name)
and without articles ('insert table'). Variants with the same key merge; keys that differ by a
typo merge when rapidfuzz's ratio is at least ``threshold`` (both keys at least ``min_len``
characters, compared only within blocks of keys sharing their first or last three characters,
so the cost stays near linear). Word order
is kept in the key: 'sort a to z' and 'sort z to a' stay apart. Each cluster is named by its
preferred variant (the caller orders variants by preference: most searched first).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist


def variant_key(core: str, drop: Iterable[str]) -> str:
    """The words of a task core that carry the task (``drop``: articles and the like)."""
    dropped = set(drop)
    return " ".join(w for w in core.split() if w not in dropped)


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # the preferred (earlier) root wins


def _join_bare(union: _Union, keys: Sequence[str], objects: Sequence[str | None]) -> None:
    verbed: dict[str, set[int]] = defaultdict(set)
    for i, obj in enumerate(objects):
        if obj:
            verbed[obj].add(union.find(i))
    for i, key in enumerate(keys):
        roots = verbed.get(key, set()) if objects[i] is None else set()
        if len(roots) == 1:
            union.join(roots.pop(), i)


def _blocks(keys: Sequence[str]) -> list[list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        groups["^" + key[:3]].append(i)
        groups["$" + key[-3:]].append(i)
    return [ids for ids in groups.values() if len(ids) > 1]


def cluster_variants(
    variants: Sequence[str],
    keys: Sequence[str],
    *,
    objects: Sequence[str | None] | None = None,
    threshold: float = 90.0,
    min_len: int = 6,
) -> dict[str, str]:
    """Map each variant to its cluster's preferred variant (``variants`` in preference order,
    ``keys`` the parallel list of their keys). ``objects`` gives, for a key that starts with a
    verb, the key without it ('add page numbers' → 'page numbers'), else None: a verb-less
    variant ('word page numbers') joins the one verb cluster whose object it is, if only one."""
    keys = [k or v for k, v in zip(keys, variants, strict=True)]
    union = _Union(len(variants))
    first_of: dict[str, int] = {}
    for i, key in enumerate(keys):
        union.join(first_of.setdefault(key, i), i)
    if objects is not None:
        _join_bare(union, keys, objects)
    for a, b in _similar_pairs(keys, threshold, min_len):
        union.join(a, b)
    return {v: variants[union.find(i)] for i, v in enumerate(variants)}


#: up to this many keys, one score matrix (masked to pairs sharing a block) beats a call per
#: block; beyond, the matrix grows as the square of the keys
FULL_MATRIX_MAX = 1500


def _similar_pairs(keys: Sequence[str], threshold: float, min_len: int) -> list[tuple[int, int]]:
    """Pairs (i < j) of keys at least ``min_len`` long, sharing their first or last three
    characters, whose ratio is at least ``threshold``."""
    if len(keys) > FULL_MATRIX_MAX:
        pairs = []
        for block in _blocks(keys):
            block = [i for i in block if len(keys[i]) >= min_len]
            if len(block) < 2:
                continue
            words = [keys[i] for i in block]
            scores = cdist(words, words, scorer=fuzz.ratio, workers=1)
            pairs += [(block[a], block[b]) for a, b in np.argwhere(np.triu(scores >= threshold, 1))]
        return pairs
    ids = [i for i, key in enumerate(keys) if len(key) >= min_len]
    if len(ids) < 2:
        return []
    words = [keys[i] for i in ids]
    scores = cdist(words, words, scorer=fuzz.ratio, score_cutoff=threshold, workers=1)
    heads, tails = _codes([w[:3] for w in words]), _codes([w[-3:] for w in words])
    block = (heads[:, None] == heads[None, :]) | (tails[:, None] == tails[None, :])
    close = np.triu((scores >= threshold) & block, 1)
    return [(ids[a], ids[b]) for a, b in np.argwhere(close)]


def _codes(values: list[str]) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Equal values, equal integers (comparing them is faster than comparing strings)."""
    seen: dict[str, int] = {}
    return np.array([seen.setdefault(v, len(seen)) for v in values], dtype=np.int64)
