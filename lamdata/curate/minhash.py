"""Word shingles, MinHash signatures and LSH band hashes, vectorized with numpy.

Design notes
- Words are hashed once per distinct word (``hashing.hash64``, stable across processes and
  machines); a shingle's hash combines its words' hashes with 64-bit arithmetic, so shingling a
  corpus costs one Python call per *distinct word*, not per shingle.
- The permutations are maps ``a * x`` mod 2**32 (``a`` odd) over the high 32 bits
  of the (well mixed) shingle hashes, evaluated for all permutations of a cache-sized block of
  shingles at once and reduced per document with ``np.minimum.reduceat``: no Python loop per
  permutation or per shingle, and half the memory traffic of 64-bit arithmetic.
- Bands and rows follow datasketch's rule: the ``(b, r)`` with ``b * r <= num_perm`` minimizing
  the (equally weighted) false-positive plus false-negative area of ``1 - (1 - s^r)^b``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import polars as pl

from lamdata.hashing import hash64

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
U32 = npt.NDArray[np.uint32]

#: A word: letters/digits/underscore, possibly joined by ``@`` (action tokens ``click@bold``).
TOKEN_PATTERN = r"\w+(?:@\w+)*"
_TOKEN = re.compile(TOKEN_PATTERN)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_STEP = np.uint64(0x9E3779B97F4A7C15)
_BLOCK_ROWS = 1024


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


def normalize_key(text: str) -> str:
    """``hashing.normalize_text`` computed faster (``str.split`` splits on exactly the Unicode
    whitespace that its regex matches; a test checks they agree)."""
    folded = text if text.isascii() else unicodedata.normalize("NFKC", text)
    return " ".join(folded.casefold().split())


def _word_hashes(texts: Sequence[str], known: dict[str, int] | None = None) -> tuple[U64, I64]:
    """Hash of every word of every text (flattened) and the number of words per text.

    Polars' own string hash (stable only within a Polars version) serves as a transient
    dictionary key to find the distinct words; the values kept are ``hashing.hash64`` of each
    distinct word, stable everywhere (``known`` caches them across calls)."""
    tokens = pl.Series("t", list(texts), dtype=pl.String).str.extract_all(TOKEN_PATTERN)
    lengths = tokens.list.len().fill_null(0).to_numpy().astype(np.int64)
    words = tokens.explode().drop_nulls()
    transient = words.hash(seed=0)
    vocab = pl.DataFrame({"h": transient, "w": words}).group_by("h").agg(pl.col("w").first())
    cache = {} if known is None else known
    stable = np.fromiter(
        (cache[w] if w in cache else cache.setdefault(w, hash64(w)) for w in vocab["w"]),
        dtype=np.uint64,
        count=vocab.height,
    )
    index = transient.replace_strict(vocab["h"], np.arange(vocab.height, dtype=np.int64))
    return stable[index.to_numpy()], lengths


def shingle(
    texts: Sequence[str], k: int = 3, *, unique: bool = True, known: dict[str, int] | None = None
) -> Shingles:
    """``k``-word shingle hashes of each text (a text shorter than ``k`` words is one shingle;
    an empty text has none). ``unique`` sorts and deduplicates each text's shingles (needed for
    exact Jaccard; MinHash does not care, so signatures skip that sort)."""
    if k < 1:
        raise ValueError("shingle size must be at least 1")
    words, lengths = _word_hashes(texts, known)
    ends = np.cumsum(lengths)
    end = np.repeat(ends, lengths)  # where each word's text ends
    here = np.arange(words.size, dtype=np.int64)
    keep = here <= np.maximum(end - k, end - lengths.repeat(lengths))
    hashes = words.copy()
    with np.errstate(over="ignore"):
        for j in range(1, k):
            inside = np.flatnonzero(here + j < end)
            hashes[inside] = hashes[inside] * _STEP + words[inside + j]
    hashes = mix64(hashes)
    doc = np.repeat(np.arange(lengths.size, dtype=np.int64), lengths)
    if unique:
        return _csr(doc[keep], hashes[keep], lengths.size)
    counts = np.bincount(doc[keep], minlength=lengths.size)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return Shingles(offsets=offsets, values=hashes[keep])


def _csr(doc: I64, values: U64, n: int) -> Shingles:
    order = np.lexsort((values, doc))
    doc, values = doc[order], values[order]
    if values.size:
        first = np.concatenate([[True], (doc[1:] != doc[:-1]) | (values[1:] != values[:-1])])
        doc, values = doc[first], values[first]
    offsets = np.concatenate([[0], np.cumsum(np.bincount(doc, minlength=n))]).astype(np.int64)
    return Shingles(offsets=offsets, values=values)


def subset(shingles: Shingles, docs: I64) -> Shingles:
    """The shingles of ``docs``, in that order."""
    starts = shingles.offsets[docs]
    lengths = shingles.offsets[docs + 1] - starts
    first = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    rows = np.repeat(starts - first, lengths) + np.arange(int(lengths.sum()), dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return Shingles(offsets=offsets, values=shingles.values[rows])


def concat(parts: Sequence[Shingles]) -> Shingles:
    """Documents of several shingle sets, one after the other."""
    offsets = [np.zeros(1, dtype=np.int64)]
    total = 0
    for part in parts:
        offsets.append(part.offsets[1:] + total)
        total += int(part.offsets[-1])
    values = np.concatenate([p.values for p in parts]) if parts else np.empty(0, np.uint64)
    return Shingles(offsets=np.concatenate(offsets), values=values)


def permutations(num_perm: int, seed: int = 1) -> U32:
    """The odd multipliers ``a`` of ``num_perm`` maps ``x -> a * x`` mod 2**32: bijections of
    32-bit values whose minima over well-mixed shingle hashes are unbiased MinHash samples
    (a test compares the estimates with exact Jaccard)."""
    rng = np.random.default_rng(seed)
    odd: U32 = rng.integers(0, 2**31, size=num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    return odd


def signatures(
    shingles: Shingles,
    num_perm: int = 128,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
    used: int | None = None,
) -> U32:
    """MinHash signatures, shape ``(documents, used or num_perm)``: the first ``used`` of the
    ``num_perm`` permutations (LSH reads only ``bands * rows`` of them); an empty document's
    signature is all ones.

    Blocks of about ``_BLOCK_ROWS`` shingles keep the ``(rows, num_perm)`` working array in
    the CPU cache; each block is one in-place multiplication and one ``reduceat``."""
    a = permutations(num_perm, seed)[: used or num_perm]
    num_perm = a.size
    x = (shingles.values >> np.uint64(32)).astype(np.uint32)
    n = len(shingles)
    out = np.full((n, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    buffer = np.empty((_BLOCK_ROWS, num_perm), dtype=np.uint32)
    done = 0
    for lo, hi in _doc_blocks(shingles.offsets, _BLOCK_ROWS):
        first, end = shingles.offsets[lo], shingles.offsets[hi]
        if end > first:
            if end - first > buffer.shape[0]:
                buffer = np.empty((end - first, num_perm), dtype=np.uint32)
            work = buffer[: end - first]
            np.multiply(x[first:end, None], a[None, :], out=work)
            counts = np.diff(shingles.offsets[lo : hi + 1])
            nonempty = np.flatnonzero(counts > 0)
            local = shingles.offsets[lo:hi][nonempty] - first
            out[lo + nonempty] = np.minimum.reduceat(work, local, axis=0)
        done += hi - lo
        if progress is not None and (done >= 8192 or hi == n):
            progress(done)
            done = 0
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


@cache
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


def band_hashes(sig: U32, bands: int, rows: int) -> U64:
    """One 64-bit hash per band of each signature, shape ``(documents, bands)``."""
    out = np.empty((sig.shape[0], bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            h = np.full(sig.shape[0], np.uint64(band + 1) * _STEP, dtype=np.uint64)
            for col in range(band * rows, (band + 1) * rows):
                h = mix64(h * _STEP + sig[:, col].astype(np.uint64))
            out[:, band] = h
    return out
