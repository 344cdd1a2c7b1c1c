"""Regressions found on real help pages (second check: HTML support articles and how-to
pages); each document here is written for the test, with the structure that failed."""

from __future__ import annotations

from lamdata.ingest.docs.outline import parse_intro
from lamdata.ingest.docs.procedures import imperative, text_terms
from lamdata.ingest.docs.readers import read_html, read_markdown, read_text


def tasks(doc_procedures: list[object]) -> list[str]:
    return [p.task for p in doc_procedures]  # type: ignore[attr-defined]


def test_to_do_so_takes_the_goal_of_the_sentence_before() -> None:
    intro = "Some users see a blank window. The workaround is to turn off the preview pane."
    assert parse_intro(f"{intro} To do so, follow these steps:") == (
        "turn off the preview pane",
        "goal",
    )
    assert parse_intro("You can sort notes by colour. To do this:")[0] == "sort notes by colour"
    assert parse_intro("The window stays blank. To do so, follow these steps:") == (None, "steps")
    html = (
        "<h1>Blank window</h1><h2>Workaround</h2><p>One way around it is to clear the"
        " thumbnail cache. To do so, follow these steps:</p><ol><li>Open <b>Settings</b>.</li>"
        "<li>Click <b>Clear cache</b>.</li></ol>"
    )
    assert tasks(read_html(html, name="x.html").procedures) == ["Clear the thumbnail cache"]


def test_a_bare_method_heading_is_never_the_task() -> None:
    md = (
        "# Ruler\n\n## Method 1\n\n1. Click **View**.\n2. Clear **Ruler**.\n\n"
        "## Option B\n\nTo hide the ruler in one window only:\n\n1. Open the window.\n"
        "2. Press **F4**.\n"
    )
    assert tasks(read_markdown(md, name="x.md").procedures) == [
        "Ruler",
        "Hide the ruler in one window only",
    ]


def test_a_goal_with_a_list_of_alternatives_is_not_a_procedure() -> None:
    html = (
        "<h1>Panels</h1><p>To close the panel, do one of the following:</p><ul>"
        "<li>Press F8</li><li>Click the X in its corner</li></ul>"
        "<p>To reset it, click one of these buttons:</p><ul><li><b>Reset</b>: Clears it.</li>"
        "<li><b>Reset All</b>: Clears all panels.</li></ul>"
    )
    assert read_html(html, name="x.html").procedures == []


def test_indented_numbered_lines_in_plain_text_are_a_list() -> None:
    text = (
        "Sorting cards\n\nUsing the toolbar\n\n  1. Select the cards you want to sort.\n"
        "  2. Click the [Sort] button.\n       The cards are sorted by name.\n"
        "  3. Click OK.\n"
    )
    doc = read_text(text, name="x.txt")
    assert [len(p.steps) for p in doc.procedures] == [3]
    assert doc.procedures[0].steps[1].text.startswith("Click the [Sort] button.")


def test_bullets_at_the_same_indent_are_siblings() -> None:
    text = (
        "Card tricks\n\nTo print a card, follow these steps:\n- Step 1: Open the card.\n"
        "- Step 2: Press Ctrl+P.\n- Step 3: Click Print.\n"
    )
    doc = read_text(text, name="x.txt")
    assert [s.text for s in doc.procedures[0].steps] == [
        "Open the card.",
        "Press Ctrl+P.",
        "Click Print.",
    ]


def test_clicked_labels_end_with_their_word_and_sentence() -> None:
    assert text_terms("Click Save. The file is saved.") == ["Save"]
    assert text_terms("Click Add Files to add the files.") == ["Add Files"]
    assert text_terms("Click Colors. (If hidden, click More.)") == ["Colors", "More"]


def test_numbered_and_ize_headings_and_the_page_h1_over_the_site_h1() -> None:
    assert imperative("2.3 Sort by Date") == ("Sort by Date", True)
    assert imperative("Reorganizing Toolbars") == ("Reorganize Toolbars", True)
    html = (
        "<header><h1>Acme Docs</h1></header><article><h1>Sort cards</h1><ol>"
        "<li>Select the cards.</li><li>Click <b>Sort</b>.</li></ol></article>"
    )
    doc = read_html(html, name="x.html")
    assert doc.title == "Sort cards"
    assert doc.procedures[0].locator == "Sort cards"
