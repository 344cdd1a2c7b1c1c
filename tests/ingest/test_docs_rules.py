"""The pure rules under every reader: imperative tasks, step cleaning, UI terms, app, language,
decoding, and the content-defined grouping of files into parts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lamdata.ingest.docs.base import DocError
from lamdata.ingest.docs.decode import decode
from lamdata.ingest.docs.outline import first_sentence, parse_intro
from lamdata.ingest.docs.procedures import (
    cap_lines,
    clean_step,
    detect_app,
    detect_lang,
    imperative,
    is_instruction,
    normalize_app,
    strip_inline_markup,
    text_terms,
)
from lamdata.ingest.docs.stage import chunks


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("To insert a table", "Insert a table"),
        ("Inserting a table", "Insert a table"),
        ("How to insert a table", "Insert a table"),
        ("How do I insert a table?", "Insert a table"),
        ("How to Add Page Numbers in Word", "Add Page Numbers in Word"),
        ("Setting up a printer", "Set up a printer"),
        ("Creating a chart:", "Create a chart"),
        ("Changing the page orientation", "Change the page orientation"),
        ("Method 2: Using AutoSum", "Use AutoSum"),
        ("Steps to remove duplicates", "Remove duplicates"),
        ("Insert a table.", "Insert a table"),
    ],
)
def test_imperative(text: str, task: str) -> None:
    assert imperative(text) == (task, True)


@pytest.mark.parametrize("text", ["Tables", "Page numbers", "Windows", "What's new"])
def test_not_a_task(text: str) -> None:
    assert imperative(text)[1] is False


def test_intro_lines() -> None:
    assert parse_intro("To add a border, do the following:") == ("add a border", "goal")
    assert parse_intro("Tables are useful. To add a row:") == ("add a row", "goal")
    assert parse_intro("Follow these steps to print a page:") == ("print a page", "goal")
    assert parse_intro("To do this, follow these steps:") == (None, "steps")
    assert parse_intro("Do one of the following:") == (None, "choice")
    assert parse_intro("The dialog box has three options:") == (None, "choice")
    assert parse_intro("Tables organize data.") == (None, None)


def test_clean_step_and_markup() -> None:
    assert clean_step("  1.  Click   the\n  button ") == "Click the button"
    assert clean_step("Step 3: Press Enter.") == "Press Enter."
    assert clean_step("• Click OK") == "Click OK"
    assert clean_step("1.5 line spacing is the default") == "1.5 line spacing is the default"
    assert strip_inline_markup("Click **Insert** > *Table* and `=SUM(A1:A3)`") == (
        "Click Insert > Table and =SUM(A1:A3)",
        ["Insert", "Table"],
    )
    assert strip_inline_markup("Type =A1*B1*C1 in the cell") == ("Type =A1*B1*C1 in the cell", [])


def test_terms_from_plain_text() -> None:
    assert text_terms('Click "Insert", then the Home tab.') == ["Insert", "Home"]
    assert text_terms('Type "Quarterly report" in the box.') == []
    assert text_terms("Click Sort A to Z.") == ["Sort A to Z"]


def test_instructions() -> None:
    assert is_instruction("On the Home tab, click Bold.")
    assert is_instruction("Then press Enter.")
    assert is_instruction("If the ruler is hidden, select View > Ruler.")
    assert not is_instruction("Faster start-up for large files.")
    assert not is_instruction("The dialog box opens.")
    assert is_instruction("在插入选项卡上，单击表格。", "zh")


def test_first_sentence() -> None:
    assert (
        first_sentence("Open the file. Double-click it, e.g. on the desktop.") == "Open the file."
    )
    assert first_sentence("Click e.g. Save. Then wait.") == "Click e.g. Save."


def test_app_detection_is_conservative() -> None:
    assert detect_app("How to insert a table in Word") == "word"
    assert detect_app("Microsoft Excel: sort data") == "excel"
    assert detect_app("Powerpoint transitions") == "powerpoint"
    assert detect_app("Check the word count", "excel at your job") is None
    assert detect_app("Copy from Word to Excel") is None
    assert normalize_app("Microsoft Word") == "word" and normalize_app("Notepad++") == "notepad"


def test_language_detection() -> None:
    assert detect_lang("Click the Insert tab and select the table.") == "en"
    assert (
        detect_lang("Klicken Sie auf die Registerkarte und wählen Sie die Tabelle mit der Maus.")
        == "de"
    )
    assert detect_lang("在插入选项卡上单击表格") == "zh"


def test_decoding_order() -> None:
    assert decode("naïve".encode()).encoding == "utf-8"
    assert decode(b"\xef\xbb\xbfhi").text == "hi"
    assert decode("hi".encode("utf-16")).text == "hi"
    latin = decode(b"caf\xe9 au lait\n")
    assert (latin.text, latin.encoding) == ("café au lait\n", "cp1252")
    assert latin.warnings[0].line == 1
    declared = decode('<meta charset="shift_jis"><p>表</p>'.encode("shift_jis"))
    assert declared.encoding == "shift_jis" and not declared.warnings
    with pytest.raises(DocError) as caught:
        decode(b"%PDF-1.7\n...")
    assert caught.value.code == "binary_file"


@given(st.lists(st.text(alphabet="abcdefgh", min_size=1, max_size=6), unique=True, max_size=300))
def test_chunks_cover_every_file_once_and_are_stable(names: list[str]) -> None:
    paths = [Path(f"/nonexistent/{n}.html") for n in names]
    grouped = list(chunks(paths))
    assert [p for chunk in grouped for p, _ in chunk] == paths
    assert [[k for _, k in c] for c in chunks(paths)] == [[k for _, k in c] for c in grouped]
    if len(paths) > 2:  # dropping one file changes at most the part it was in (and the next)
        rest = [[k for _, k in c] for c in chunks(paths[1:])]
        before = [[k for _, k in c] for c in grouped]
        assert len([c for c in rest if c not in before]) <= 2


def test_which_files_share_a_part_does_not_depend_on_modification_times(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    paths = [folder / f"page{i:03d}.md" for i in range(200)]
    for path in paths:
        path.write_text("# Page\n", encoding="utf-8")
    first = list(chunks(paths))
    for i, path in enumerate(paths):  # another checkout: every file has another mtime
        os.utime(path, ns=(10**18 + i * 7_919, 10**18 + i * 7_919))
    again = list(chunks(paths))
    assert [[p for p, _ in c] for c in again] == [[p for p, _ in c] for c in first]
    assert len(first) > 1  # (boundaries were found: the grouping was really tested)
    keys = [k for c in first for _, k in c]
    assert all(a != b for a, b in zip(keys, [k for c in again for _, k in c], strict=True))


def test_long_lines_are_capped_with_a_warning() -> None:
    text, issue = cap_lines("short\n" + "x" * 50 + "\nend", limit=10)
    assert text == "short\n" + "x" * 10 + "\nend"
    assert issue is not None and issue.warning and issue.line == 2 and issue.code == "long_line"
    assert cap_lines("fine\nlines", limit=10) == ("fine\nlines", None)


def test_a_trailing_note_is_not_part_of_the_step() -> None:
    assert clean_step("Click OK. Note: the dialog closes.") == "Click OK."
    assert clean_step("Type Note: in the box.") == "Type Note: in the box."
