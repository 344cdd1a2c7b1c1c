"""Shingles, signatures, bands, candidate pairs, exact Jaccard and components."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch.lsh import _optimal_param
from hypothesis import given, settings
from hypothesis import strategies as st

from lamdata.curate.lsh import candidate_pairs, connected_components, jaccard
from lamdata.curate.minhash import (
    band_hashes,
    normalize_key,
    optimal_bands,
    shingle,
    signatures,
    tokenize,
)
from lamdata.hashing import normalize_text

LONG = " ".join(f"word{k}" for k in range(60))


def test_tokenize_keeps_action_tokens() -> None:
    assert tokenize("click@bold_btn then type hello") == ["click@bold_btn", "then", "type", "hello"]


def test_short_text_is_one_shingle_and_empty_text_none() -> None:
    sh = shingle(["a b", "", "a b c d", "x x x x x"], k=3)
    assert sh.lengths.tolist() == [1, 0, 2, 1]


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.8, 128), (0.5, 128), (0.9, 64)])
def test_bands_match_datasketch(threshold: float, num_perm: int) -> None:
    assert optimal_bands(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5)


def test_signature_agreement_estimates_jaccard() -> None:
    words = LONG.split()
    variant = " ".join(words[:50] + [f"other{k}" for k in range(10)])
    sh = shingle([LONG, variant, "unrelated text entirely here"], k=3)
    sig = signatures(sh, num_perm=256)
    exact = jaccard(sh, np.array([0]), np.array([1]))[0]
    estimate = float((sig[0] == sig[1]).mean())
    assert abs(estimate - exact) < 0.12
    assert float((sig[0] == sig[2]).mean()) < 0.1


def test_identical_texts_share_every_band() -> None:
    sh = shingle([LONG, LONG.upper().lower(), "something else"], k=3)
    bands = band_hashes(signatures(sh), 9, 13)
    assert (bands[0] == bands[1]).all()
    assert not (bands[0] == bands[2]).any()
    i, j = candidate_pairs(bands)
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == [(0, 1)]


def test_incremental_candidates_touch_a_new_row() -> None:
    bands = np.array([[1, 2], [1, 3], [4, 3], [9, 9]], dtype=np.uint64)
    i, j = candidate_pairs(bands)
    assert sorted(zip(i.tolist(), j.tolist(), strict=True)) == [(0, 1), (1, 2)]
    new = np.array([False, False, True, False])
    i, j = candidate_pairs(bands, new)
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == [(1, 2)]


word_sets = st.lists(st.text(alphabet="abcdef", min_size=1, max_size=2), max_size=8)


@settings(max_examples=40, deadline=None)
@given(st.lists(word_sets, min_size=2, max_size=8), st.data())
def test_jaccard_equals_python_sets(docs: list[list[str]], data: st.DataObject) -> None:
    texts = [" ".join(d) for d in docs]
    sh = shingle(texts, k=1)
    n = len(texts)
    i = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=10)))
    j = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=i.size, max_size=i.size)))
    got = jaccard(sh, i, j)
    assert jaccard(shingle(texts, k=1, unique=False), i, j) == pytest.approx(got)
    for k in range(i.size):
        a, b = set(docs[i[k]]), set(docs[j[k]])
        want = len(a & b) / len(a | b) if a | b else 0.0
        assert got[k] == pytest.approx(want)


def _reference_components(n: int, edges: list[tuple[int, int]]) -> list[int]:
    labels = list(range(n))
    changed = True
    while changed:
        changed = False
        for u, v in edges:
            low = min(labels[u], labels[v])
            for node in (u, v):
                if labels[node] != low:
                    labels[node], changed = low, True
    return labels


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 30), st.data())
def test_components_match_reference(n: int, data: st.DataObject) -> None:
    edges = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))))
    u = np.array([e[0] for e in edges], dtype=np.int64)
    v = np.array([e[1] for e in edges], dtype=np.int64)
    assert connected_components(n, u, v).tolist() == _reference_components(n, edges)


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("aB ß\t\n\u00a0\u2003\u3000\x1c\x85ﬁＡ. ")), max_size=30)
)
def test_normalize_key_equals_normalize_text(text: str) -> None:
    assert normalize_key(text) == normalize_text(text)


def test_signatures_of_the_used_permutations_are_a_prefix() -> None:
    sh = shingle([LONG, "short text here"], k=3, unique=False)
    full = signatures(sh, num_perm=64)
    assert (signatures(sh, num_perm=64, used=40) == full[:, :40]).all()


def test_signature_estimates_are_unbiased_over_many_pairs() -> None:
    rng = np.random.default_rng(3)
    texts = []
    for _ in range(150):
        words = [f"w{v}" for v in rng.integers(0, 10**6, size=80)]
        cut = int(rng.integers(0, 30))
        texts += [" ".join(words), " ".join(words[cut:] + [f"x{v}" for v in range(cut)])]
    sh = shingle(texts, k=1)
    i, j = np.arange(0, len(texts), 2), np.arange(1, len(texts), 2)
    exact = jaccard(sh, i, j)
    sig = signatures(sh, num_perm=128)
    estimate = (sig[i] == sig[j]).mean(axis=1)
    binomial = np.sqrt(exact * (1 - exact) / 128)
    assert abs(float((estimate - exact).mean())) < 0.01
    assert float(np.sqrt(((estimate - exact) ** 2).mean())) < 1.3 * float(
        np.sqrt((binomial**2).mean())
    )
