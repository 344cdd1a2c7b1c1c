"""Word shingles, MinHash signatures and LSH band hashes, vectorized with numpy.

Design notes
- Words are hashed once per distinct word (``hashing.hash64``, stable across processes and
  machines); a shingle's hash combines its words' hashes with 64-bit arithmetic, so shingling a
  corpus costs one Python call per *distinct word*, not per shingle.
- The permutations are the multiply-shift family ``(a * x + b) >> 32`` over 64-bit shingle
  hashes (``a`` odd), evaluated for all permutations of a block of shingles at once and reduced
  per document with ``np.minimum.reduceat``: no Python loop per permutation or per shingle.
- Bands and rows follow datasketch's rule: the ``(b, r)`` with ``b * r <= num_perm`` minimizing
  the (equally weighted) false-positive plus false-negative area of ``1 - (1 - s^r)^b``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from lamdata.hashing import hash64

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

#: A word: letters/digits/underscore, possibly joined by ``@`` (action tokens ``click@bold``).
TOKEN_PATTERN = r"\w+(?:@\w+)*"
_TOKEN = re.compile(TOKEN_PATTERN)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_STEP = np.uint64(0x9E3779B97F4A7C15)
_BLOCK_ROWS = 1 << 15


@dataclass(frozen=True)
class Shingles:
    """Each document's distinct shingle hashes, sorted, in CSR form."""

    offsets: I64
    values: U64

    @property
    def lengths(self) -> I64:
        return np.diff(self.offsets)

    def __len__(self) -> int:
        return int(self.offsets.size - 1)


def tokenize(text: str) -> list[str]:
    """The words of an already normalized text (see ``hashing.normalize_text``)."""
    return _TOKEN.findall(text)


def mix64(x: U64) -> U64:
    """The splitmix64 finalizer: a bijective avalanche of 64-bit values."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * _MIX1
        x = x ^ (x >> np.uint64(27))
        x = x * _MIX2
        return x ^ (x >> np.uint64(31))


def _word_hashes(texts: Sequence[str]) -> tuple[U64, I64]:
    """Hash of every word of every text (flattened) and the number of words per text."""
    tokens = pl.Series("t", list(texts), dtype=pl.String).str.extract_all(TOKEN_PATTERN)
    lengths = tokens.list.len().fill_null(0).to_numpy().astype(np.int64)
    words = pl.DataFrame({"w": tokens.explode().drop_nulls()})
    vocab = words.unique("w", maintain_order=True).with_row_index("code")
    codes = words.join(vocab, on="w", how="left", maintain_order="left")["code"].to_numpy()
    table = np.fromiter((hash64(w) for w in vocab["w"]), dtype=np.uint64, count=vocab.height)
    return table[codes.astype(np.int64)], lengths


def shingle(texts: Sequence[str], k: int = 3) -> Shingles:
    """Distinct ``k``-word shingles of each text (a text shorter than ``k`` words is one
    shingle; an empty text has none)."""
    if k < 1:
        raise ValueError("shingle size must be at least 1")
    words, lengths = _word_hashes(texts)
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    doc = np.repeat(np.arange(lengths.size, dtype=np.int64), lengths)
    pos = np.arange(words.size, dtype=np.int64) - starts[:-1][doc]
    length = lengths[doc]
    keep = pos <= np.maximum(length - k, 0)
    hashes = mix64(words)
    with np.errstate(over="ignore"):
        for j in range(1, k):
            present = (pos + j) < length
            nxt = words[np.minimum(np.arange(words.size) + j, max(words.size - 1, 0))]
            hashes = np.where(present, mix64(hashes * _STEP + nxt), hashes)
    return _csr(doc[keep], hashes[keep], lengths.size)


def _csr(doc: I64, values: U64, n: int) -> Shingles:
    order = np.lexsort((values, doc))
    doc, values = doc[order], values[order]
    if values.size:
        first = np.concatenate([[True], (doc[1:] != doc[:-1]) | (values[1:] != values[:-1])])
        doc, values = doc[first], values[first]
    offsets = np.concatenate([[0], np.cumsum(np.bincount(doc, minlength=n))]).astype(np.int64)
    return Shingles(offsets=offsets, values=values)


def permutations(num_perm: int, seed: int = 1) -> tuple[U64, U64]:
    """The ``(a, b)`` coefficients of ``num_perm`` multiply-shift hash functions."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    return a, b


def signatures(
    shingles: Shingles,
    num_perm: int = 128,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> npt.NDArray[np.uint32]:
    """MinHash signatures, shape ``(documents, num_perm)``; an empty document's is all ones."""
    a, b = permutations(num_perm, seed)
    n = len(shingles)
    out = np.full((n, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    for lo, hi in _doc_blocks(shingles.offsets, _BLOCK_ROWS):
        rows = shingles.values[shingles.offsets[lo] : shingles.offsets[hi]]
        local = shingles.offsets[lo:hi] - shingles.offsets[lo]
        nonempty = np.flatnonzero(np.diff(shingles.offsets[lo : hi + 1]) > 0)
        if nonempty.size:
            with np.errstate(over="ignore"):
                hashed = ((rows[:, None] * a[None, :] + b[None, :]) >> np.uint64(32)).astype(
                    np.uint32
                )
            out[lo + nonempty] = np.minimum.reduceat(hashed, local[nonempty], axis=0)
        if progress is not None:
            progress(hi - lo)
    return out


def _doc_blocks(offsets: I64, max_rows: int) -> list[tuple[int, int]]:
    """Consecutive document ranges holding about ``max_rows`` shingles each (at least one doc)."""
    n = offsets.size - 1
    blocks: list[tuple[int, int]] = []
    lo = 0
    while lo < n:
        hi = int(np.searchsorted(offsets, offsets[lo] + max_rows, side="right")) - 1
        hi = min(max(hi, lo + 1), n)
        blocks.append((lo, hi))
        lo = hi
    return blocks


def optimal_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` minimizing false-positive + false-negative area at ``threshold``."""
    if not 0.0 < threshold < 1.0:
        raise ValueError("threshold must be strictly between 0 and 1")
    s = np.linspace(0.0, 1.0, 2001)
    best: tuple[float, int, int] = (float("inf"), 1, 1)
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            p = 1.0 - (1.0 - s**rows) ** bands
            fp = np.trapezoid(np.where(s <= threshold, p, 0.0), s)
            fn = np.trapezoid(np.where(s >= threshold, 1.0 - p, 0.0), s)
            error = 0.5 * fp + 0.5 * fn
            if error < best[0]:
                best = (float(error), bands, rows)
    return best[1], best[2]


def band_hashes(sig: npt.NDArray[np.uint32], bands: int, rows: int) -> U64:
    """One 64-bit hash per band of each signature, shape ``(documents, bands)``."""
    out = np.empty((sig.shape[0], bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            h = np.full(sig.shape[0], np.uint64(band + 1) * _STEP, dtype=np.uint64)
            for col in range(band * rows, (band + 1) * rows):
                h = mix64(h * _STEP + sig[:, col].astype(np.uint64))
            out[:, band] = h
    return out
