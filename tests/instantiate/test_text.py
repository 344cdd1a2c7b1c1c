from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lamdata.instantiate.args import near
from lamdata.instantiate.text import (
    cell_refs,
    content_words,
    find_option,
    formulas,
    key_chords,
    numbers,
    quoted,
)


def test_quoted_values_but_not_apostrophes() -> None:
    text = "Type \"Q3 results\" in the box, don't press 'Enter' — Word's “smart” quotes too."
    assert quoted(text) == ["Q3 results", "Enter", "smart"]


def test_numbers_skip_cell_refs_and_quoted_values() -> None:
    assert numbers("Set columns to 3, rows to 4 and spacing 1.5 in B2 'x 9'") == ["3", "4", "1.5"]


def test_cell_refs_formulas_and_keys() -> None:
    assert cell_refs("Select B2, then A1:C10") == ["B2", "A1:C10"]
    assert formulas("Type =SUM(B2:B6) and press Enter.") == ["=SUM(B2:B6)"]
    assert key_chords("Press Ctrl + B or Ctrl+Shift+L") == ["ctrl+b", "ctrl+shift+l"]


def test_find_option_prefers_longest_and_numbers_exactly() -> None:
    sizes = ["8", "10", "12", "14"]
    assert find_option("Set the size to 12 points", sizes) == "12"
    assert find_option("Set the size to 1", sizes) is None
    assert find_option("choose Times New Roman", ["Times", "Times New Roman"]) == "Times New Roman"
    assert find_option("pick a colour", ["Red", "Blue"]) is None


def test_content_words_drop_ui_stop_words_and_fold_plurals() -> None:
    assert content_words("Click the Insert tab and add tables to the boxes") == [
        "insert",
        "add",
        "table",
        "box",
    ]


def test_near_splits_a_step_into_the_clauses_of_each_control() -> None:
    step = "In Number of columns type 3 and in Number of rows type 5."
    assert near(step, "Number of columns")[0].strip() == "type 3"
    assert "5" in near(step, "Number of rows")[0]
    assert near("Type 7 in Rows", "Rows") == ("", "Type 7 in ")


@given(st.text(alphabet="abcdefg ", min_size=1, max_size=20))
def test_quoted_round_trip(value: str) -> None:
    value = value.strip()
    if value:
        assert quoted(f'Type "{value}" now') == [value]
