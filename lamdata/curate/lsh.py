"""Candidate pairs from LSH band buckets, exact Jaccard verification, connected components.

All three work on whole arrays: buckets are found by sorting each band's hashes, pairs by
comparing a sorted band with itself shifted by 1, 2, ... (up to ``MAX_BUCKET - 1``); Jaccard
is computed for every pair at once by one sort of the pairs' (pair, shingle) keys; components
by min-label hooking with pointer jumping (a vectorized union-find). No Python loop runs per
pair or per document.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import numpy.typing as npt

from lamdata.curate.minhash import I64, U64, Shingles

#: Pairs are taken within this many neighbours in a bucket (a bucket bigger than this is
#: linked through overlapping windows, which keeps it connected in the components).
MAX_BUCKET = 256
_PAIR_BLOCK = 1 << 17
#: Pair index and shingle hash share one 64-bit sort key: 17 bits of pair, 47 of hash (two
#: distinct shingles of one pair collide with probability ~ n**2 / 2**47: negligible).
_VALUE_BITS = 47


T = TypeVar("T", np.int64, np.uint64)


def sorted_unique(values: npt.NDArray[T]) -> npt.NDArray[T]:
    """Sorted distinct values (``np.sort`` plus a neighbour test: numpy 2's hash-based
    ``np.unique`` is several times slower on large integer arrays)."""
    ordered = np.sort(values)
    if ordered.size < 2:
        return ordered
    first: npt.NDArray[np.bool_] = np.concatenate([[True], ordered[1:] != ordered[:-1]])
    distinct: npt.NDArray[T] = ordered[first]
    return distinct


def candidate_pairs(bands: U64, is_new: npt.NDArray[np.bool_] | None = None) -> tuple[I64, I64]:
    """Distinct pairs ``(i < j)`` of rows sharing at least one band hash.

    With ``is_new``, only pairs touching at least one new row (incremental dedup).
    """
    n = bands.shape[0]
    found: list[I64] = []
    for band in range(bands.shape[1]):
        order = np.argsort(bands[:, band], kind="stable").astype(np.int64)
        values = bands[order, band]
        for shift in range(1, min(MAX_BUCKET, n)):
            same = values[:-shift] == values[shift:]
            if not same.any():
                break
            left, right = order[:-shift][same], order[shift:][same]
            found.append(np.minimum(left, right) * n + np.maximum(left, right))
    if not found:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    keys = sorted_unique(np.concatenate(found))
    i, j = keys // n, keys % n
    if is_new is not None:
        touch = is_new[i] | is_new[j]
        i, j = i[touch], j[touch]
    return i, j


def _gather(shingles: Shingles, docs: I64) -> tuple[I64, U64]:
    """Row index (into ``docs``) and value of every shingle of the given documents."""
    starts = shingles.offsets[docs]
    lengths = shingles.offsets[docs + 1] - starts
    owner = np.repeat(np.arange(docs.size, dtype=np.int64), lengths)
    first = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    positions = np.repeat(starts - first, lengths) + np.arange(int(lengths.sum()), dtype=np.int64)
    return owner, shingles.values[positions]


def jaccard(shingles: Shingles, i: I64, j: I64) -> npt.NDArray[np.float64]:
    """Exact Jaccard similarity of the shingle sets of each pair ``(i[k], j[k])`` (a document
    may list a shingle more than once)."""
    out = np.zeros(i.size, dtype=np.float64)
    for lo in range(0, i.size, _PAIR_BLOCK):
        hi = min(lo + _PAIR_BLOCK, i.size)
        out[lo:hi] = _jaccard_block(shingles, i[lo:hi], j[lo:hi])
    return out


def _jaccard_block(shingles: Shingles, i: I64, j: I64) -> npt.NDArray[np.float64]:
    keys_i, keys_j = _set_keys(shingles, i), _set_keys(shingles, j)
    size_i = np.bincount(_owner(keys_i), minlength=i.size)
    size_j = np.bincount(_owner(keys_j), minlength=i.size)
    both = np.sort(np.concatenate([keys_i, keys_j]))
    shared = both[1:][both[1:] == both[:-1]]
    inter = np.bincount(_owner(shared), minlength=i.size).astype(np.float64)
    union = size_i + size_j - inter
    return np.divide(inter, union, out=np.zeros(i.size, dtype=np.float64), where=union > 0)


def _set_keys(shingles: Shingles, docs: I64) -> U64:
    """Sorted distinct ``(row in docs, shingle)`` keys of the documents: a document's
    repeated shingles count once, as sets require."""
    owner, values = _gather(shingles, docs)
    top = values >> np.uint64(64 - _VALUE_BITS)
    return sorted_unique((owner.astype(np.uint64) << np.uint64(_VALUE_BITS)) | top)


def _owner(keys: U64) -> I64:
    return (keys >> np.uint64(_VALUE_BITS)).astype(np.int64)


def connected_components(n: int, u: I64, v: I64) -> I64:
    """Label of each of ``n`` nodes: the smallest node index of its component."""
    labels = np.arange(n, dtype=np.int64)
    if u.size == 0:
        return labels
    while True:
        lu, lv = labels[u], labels[v]
        pending = lu != lv
        if not pending.any():
            return labels
        lu, lv = lu[pending], lv[pending]
        low = np.minimum(lu, lv)
        np.minimum.at(labels, np.maximum(lu, lv), low)
        labels = _compress(labels)


def _compress(labels: I64) -> I64:
    """Pointer jumping until every node points at its root."""
    while True:
        jumped = labels[labels]
        if np.array_equal(jumped, labels):
            return labels
        labels = jumped
