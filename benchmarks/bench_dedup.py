"""Near-duplicate detection on generated task-plans with planted near-duplicates.

    python -m benchmarks dedup [--n 200000] [--baseline-sample 20000] [--end-to-end]

Generates ``n`` task-plan texts (a task and 6-9 steps, 60-110 words, from a 30k-word synthetic
vocabulary); 20% of the base plans get 1-3 planted variants (case/spacing only, or one word
substituted, inserted or deleted). Ground truth: planted pairs whose exact word-shingle Jaccard
(pure Python sets) reaches the threshold, closed transitively. Reports pair-level precision and
recall of lamdata's clusters, its time from raw texts to cluster labels, peak RSS, and the time of
datasketch's ``MinHashLSH`` with the same threshold, permutations and shingles, measured in the
same run (on a fixed subsample, extrapolated linearly, when the sample is smaller than ``n``).
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time

import numpy as np
import numpy.typing as npt

from benchmarks.common import peak_rss_mib, report, timer
from lamdata.curate.deduplication import Params, near_duplicate_pairs
from lamdata.curate.lsh import connected_components, sorted_unique
from lamdata.curate.minhash import TOKEN_PATTERN, normalize_key
from lamdata.hashing import normalize_text

_TOKEN = re.compile(TOKEN_PATTERN)
_SYLLABLES = [c + v for c in "bcdfglmnrst" for v in "aeiou"]
_VERBS = ["click", "select", "open", "choose", "type", "press", "drag", "enable", "set"]


def _vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _base(rng: random.Random, vocab: list[str]) -> list[str]:
    words = ["how", "to", *rng.choices(vocab, k=rng.randint(5, 9))]
    for _ in range(rng.randint(6, 9)):
        words += [rng.choice(_VERBS), "the", *rng.choices(vocab, k=rng.randint(5, 10))]
    return words


def _variant(rng: random.Random, words: list[str], vocab: list[str]) -> str:
    edit = rng.choice(["case", "sub", "sub", "ins", "del"])
    out = list(words)
    where = rng.randrange(2, len(out) - 2)
    if edit == "case":
        return "  ".join(w.upper() if rng.random() < 0.2 else w for w in out)
    if edit == "sub":
        out[where] = rng.choice(vocab)
    elif edit == "ins":
        out.insert(where, rng.choice(vocab))
    else:
        del out[where]
    return " ".join(out)


def generate(n: int, seed: int) -> tuple[list[str], npt.NDArray[np.int64]]:
    """``n`` texts (shuffled) and each text's planted group (its base's index)."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    texts: list[str] = []
    groups: list[int] = []
    while len(texts) < n:
        words, group = _base(rng, vocab), len(texts)
        texts.append(" ".join(words).capitalize())
        groups.append(group)
        if rng.random() < 0.2:
            for _ in range(rng.randint(1, 3)):
                texts.append(_variant(rng, words, vocab))
                groups.append(group)
    order = list(range(n))
    rng.shuffle(order)
    return [texts[i] for i in order], np.array([groups[i] for i in order], dtype=np.int64)


def _shingle_set(text: str, k: int) -> set[str]:
    tokens = _TOKEN.findall(normalize_text(text))
    if len(tokens) <= k:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + k]) for i in range(len(tokens) - k + 1)}


def truth_labels(
    texts: list[str], groups: npt.NDArray[np.int64], params: Params
) -> npt.NDArray[np.int64]:
    """Components of the planted pairs whose exact Jaccard reaches the threshold."""
    members: dict[int, list[int]] = {}
    for index, group in enumerate(groups.tolist()):
        members.setdefault(group, []).append(index)
    u: list[int] = []
    v: list[int] = []
    for docs in members.values():
        sets = {d: _shingle_set(texts[d], params.shingle) for d in docs}
        for a_pos, a in enumerate(docs):
            for b in docs[a_pos + 1 :]:
                union = len(sets[a] | sets[b])
                if union and len(sets[a] & sets[b]) / union >= params.threshold:
                    u.append(a)
                    v.append(b)
    return connected_components(
        len(texts), np.array(u, dtype=np.int64), np.array(v, dtype=np.int64)
    )


def lamdata_labels(
    texts: list[str], params: Params
) -> tuple[npt.NDArray[np.int64], dict[str, int]]:
    """Raw texts -> cluster label per text: exact keys first, then MinHash-LSH on distinct keys."""
    normalized = [normalize_key(t) for t in texts]
    first: dict[str, int] = {}
    key_of = np.array([first.setdefault(t, len(first)) for t in normalized], dtype=np.int64)
    distinct = list(first)
    i, j, _bands, stats = near_duplicate_pairs(distinct, params)
    key_labels = connected_components(len(distinct), i, j)
    return key_labels[key_of], stats


def pair_scores(pred: npt.NDArray[np.int64], true: npt.NDArray[np.int64]) -> tuple[float, float]:
    """Pair-level precision and recall of the clustering ``pred`` against ``true``."""

    def pairs(labels: npt.NDArray[np.int64]) -> int:
        counts = np.bincount(np.searchsorted(sorted_unique(labels), labels)).astype(np.int64)
        return int((counts * (counts - 1) // 2).sum())

    both = pairs(pred * (int(true.max()) + 1) + true)
    predicted, actual = pairs(pred), pairs(true)
    return (both / predicted if predicted else 1.0), (both / actual if actual else 1.0)


def datasketch_seconds(texts: list[str], params: Params) -> tuple[float, float, int]:
    """Wall and CPU time of datasketch MinHash + MinHashLSH insert + query over ``texts``, and
    the candidate pairs it found."""
    from datasketch import MinHash, MinHashLSH

    start, cpu = time.perf_counter(), time.process_time()
    lsh = MinHashLSH(threshold=params.threshold, num_perm=params.num_perm)
    hashes = []
    for index, text in enumerate(texts):
        m = MinHash(num_perm=params.num_perm)
        m.update_batch([s.encode("utf-8") for s in _shingle_set(text, params.shingle)])
        lsh.insert(index, m)
        hashes.append(m)
    found = sum(len(lsh.query(m)) - 1 for m in hashes) // 2
    return time.perf_counter() - start, time.process_time() - cpu, found


def end_to_end(texts: list[str], params: Params) -> float:
    """Seconds of ``lamdata.curate.dedup`` on a store holding the texts as task-plans."""
    from lamdata.curate import dedup
    from lamdata.records import Source, TaskPlan
    from lamdata.store import Store

    plans = [
        TaskPlan.create(app="bench", task=t, steps=[], source=Source(kind="import", uri=str(k)))
        for k, t in enumerate(texts)
    ]
    with tempfile.TemporaryDirectory() as folder:
        store = Store(folder)
        store.write("task_plans", plans, part="bench")
        with timer() as box:
            dedup(store, table="task_plans", threshold=params.threshold, num_perm=params.num_perm)
    return box["seconds"]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_dedup")
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--num-perm", type=int, default=128)
    parser.add_argument("--shingle", type=int, default=3)
    parser.add_argument("--baseline-sample", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--end-to-end", action="store_true", help="also time dedup() on a store")
    args = parser.parse_args(argv)
    params = Params(threshold=args.threshold, num_perm=args.num_perm, shingle=args.shingle)
    texts, groups = generate(args.n, args.seed)
    true = truth_labels(texts, groups, params)
    print(f"  {args.n:,} texts, {int((np.bincount(true) > 1).sum()):,} true near-dup clusters, "
          f"bands x rows = {params.bands[0]} x {params.bands[1]}", flush=True)  # fmt: skip
    cpu = time.process_time()
    with timer() as ours:
        pred, stats = lamdata_labels(texts, params)
    cpu = time.process_time() - cpu
    rss = peak_rss_mib()
    precision, recall = pair_scores(pred, true)
    report("lamdata near-dup: seconds", ours["seconds"], "s")
    report("lamdata near-dup: CPU seconds (all threads)", cpu, "s")
    report(
        "lamdata candidate pairs (verified)",
        stats["candidate_pairs"],
        f"({stats['verified_pairs']:,})",
    )
    report("precision (pairs)", precision, goal=">= 0.98")
    report("recall (pairs)", recall, goal=">= 0.95")
    report("peak RSS after lamdata run", rss, "MiB")
    sample = min(args.baseline_sample, args.n)
    seconds, ds_cpu, found = datasketch_seconds(texts[:sample], params)
    scale = args.n / sample
    note = "" if sample == args.n else f" (measured on the first {sample:,}, x{scale:.1f} linear)"
    report(
        "datasketch MinHashLSH: seconds" + ("" if sample == args.n else ", extrapolated"),
        seconds * scale,
        "s",
    )
    print(f"  datasketch: {seconds:.2f}s for {sample:,} texts, {found:,} candidate pairs{note}")
    report("speed-up vs datasketch (wall)", seconds * scale / ours["seconds"], "x", goal=">= 5x")
    report("speed-up vs datasketch (CPU)", ds_cpu * scale / cpu, "x")
    if args.end_to_end:
        report("dedup() on a store, end to end", end_to_end(texts, params), "s")
    report("peak RSS (whole benchmark)", peak_rss_mib(), "MiB")
