"""Near-duplicate detection of evolved tasks."""

from __future__ import annotations

from evolve_samples import make_plan
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz

from lamdata.evolve.dedup import TaskIndex, drop_near_duplicates, sorted_tokens
from lamdata.hashing import normalize_text


def test_reordered_and_recased_tasks_are_duplicates_within_one_app() -> None:
    index = TaskIndex([make_plan("word", "Insert a table, then make text bold", ["Click Table"])])
    same = make_plan("word", "make TEXT bold then insert a table", ["Click Bold"])
    other_app = make_plan("excel", "make text bold then insert a table", ["Click Bold"])
    different = make_plan("word", "Add page numbers to the footer", ["Click Footer"])
    kept, dropped = drop_near_duplicates([same, other_app, different], index, "evolve")
    assert kept == [other_app, different]
    assert len(dropped) == 1 and dropped[0].reason.startswith("near_duplicate: ")
    assert dropped[0].locator == same.id


def test_accepted_candidates_join_the_index() -> None:
    first = make_plan("word", "Center the title and make it bold", ["Click Center"])
    again = make_plan("word", "Center the title and make it bold!", ["Click Bold"])
    kept, dropped = drop_near_duplicates([first, again], TaskIndex([]), "evolve")
    assert kept == [first] and len(dropped) == 1


words = st.sampled_from(
    ["insert", "table", "bold", "font", "page", "header", "margins", "chart", "slide"]
)


@given(st.lists(words, min_size=1, max_size=8), st.lists(words, min_size=1, max_size=8))
def test_presorted_ratio_equals_token_sort_ratio(a: list[str], b: list[str]) -> None:
    left, right = " ".join(a), " ".join(b)
    expected = fuzz.token_sort_ratio(normalize_text(left), normalize_text(right))
    assert fuzz.ratio(sorted_tokens(left), sorted_tokens(right)) == expected


@given(
    st.lists(st.lists(words, min_size=1, max_size=6), min_size=1, max_size=12),
    st.lists(words, min_size=1, max_size=6),
    st.sampled_from([60.0, 80.0, 92.0]),
)
def test_length_window_never_misses_a_duplicate(
    indexed: list[list[str]], query: list[str], threshold: float
) -> None:
    plans = [make_plan("word", " ".join(t), ["Click Bold"]) for t in indexed]
    index = TaskIndex(plans, threshold=threshold)
    candidate = make_plan("word", " ".join(query), ["Click Bold"])
    best = max(fuzz.token_sort_ratio(" ".join(query), " ".join(t)) for t in indexed)
    found = index.nearest(candidate)
    assert (found is not None) == (best >= threshold)
    if found is not None:
        assert found[2] == best
