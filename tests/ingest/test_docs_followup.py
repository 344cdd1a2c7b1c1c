"""Regressions left by the two checks on real help pages (docs/ingest.md, "What is still
wrong"), fixed in a follow-up; each document here is written for the test, with the structure
that failed."""

from __future__ import annotations

from lamdata.ingest.docs.html import resolve_entities
from lamdata.ingest.docs.outline import parse_intro
from lamdata.ingest.docs.procedures import is_definition, is_reference_list
from lamdata.ingest.docs.readers import read_html, read_markdown, read_text


def tasks(doc_procedures: list[object]) -> list[str]:
    return [p.task for p in doc_procedures]  # type: ignore[attr-defined]


def test_a_list_of_shortcuts_or_terms_is_a_reference_list() -> None:
    assert is_definition("Ctrl + Alt + T: This opens a terminal window.")
    assert is_definition("Page Down (PgDn): Pressing it scrolls one screen down.")
    assert is_definition("Clipboard — a place where copied items wait.")
    assert not is_definition("Type the address: example.com")
    assert not is_definition("Click OK.")
    assert not is_reference_list(["Open the page.", "Type the address: example.com"])
    text = (
        "How to Zoom a Page\n\nZooming works the same in most browsers.\n\nOn a PC:\n\n"
        "  1. Ctrl + Plus: Makes the text larger.\n  2. Ctrl + Minus: Makes it smaller.\n"
        "  3. Ctrl + 0: This restores the normal size.\n\nFrom the menu:\n\n"
        "  1. Open the View menu.\n  2. Type the zoom level: 150%.\n  3. Click Apply.\n"
    )
    doc = read_text(text, name="x.txt")
    assert [len(p.steps) for p in doc.procedures] == [3]
    assert doc.procedures[0].steps[0].text == "Open the View menu."
    html = (
        "<h1>Glossary</h1><ol><li><b>Pane</b>: a part of the window that shows one thing.</li>"
        "<li><b>Ribbon</b>: the strip of tabs at the top of the window.</li>"
        "<li><b>Zoom</b>: how large the page shows.</li></ol>"
    )
    assert read_html(html, name="x.html").procedures == []


def test_steps_that_only_open_a_reference_panel_are_no_procedure() -> None:
    html = (
        "<h1>Working with notes</h1><h2>Font Preferences</h2><p>This panel sets the"
        " fonts notes are shown in. If you're not already viewing it, follow these steps:</p>"
        "<ol><li>Open the Edit menu and choose Preferences.</li><li>Under the Display group,"
        " click Fonts.</li></ol><p>The panel has these settings:</p><ul><li><b>Size</b>: the"
        " size of the text.</li></ul>"
        "<h2>Change the note font</h2><p>If you're not already viewing the panel, follow"
        " these steps:</p><ol><li>Open the Edit menu and choose Preferences.</li>"
        "<li>Under the Display group, click Fonts.</li></ol>"
        "<h2>Sharing Options</h2><p>If the Share panel is not open, follow these steps:</p>"
        "<ol><li>Open the File menu.</li><li>Type a name for the share.</li></ol>"
    )
    doc = read_html(html, name="x.html")
    assert tasks(doc.procedures) == ["Change the note font", "Share Options"]


def test_a_fix_under_a_symptom_heading_is_named_after_the_symptom() -> None:
    assert parse_intro("To fix this error, follow these steps:") == ("fix this error", "problem")
    html = (
        "<h1>Printing problems</h1><h2>Printer offline after sleep</h2><p>The queue shows"
        " this message:</p><pre>offline</pre><p>To solve this problem, follow these steps:</p>"
        "<ol><li>Open the print queue.</li><li>Click <b>Use Printer Online</b>.</li></ol>"
        "<h2>Reset the print queue</h2><p>To resolve this issue, do the following:</p>"
        "<ol><li>Open the print queue.</li><li>Click <b>Cancel All</b>.</li></ol>"
    )
    doc = read_html(html, name="x.html")
    assert tasks(doc.procedures) == [
        'Solve the "Printer offline after sleep" problem',
        "Reset the print queue",
    ]
    assert doc.procedures[0].locator == "Printing problems > Printer offline after sleep"


def test_a_you_can_line_right_before_a_list_is_its_goal() -> None:
    html = (
        "<h1>Toolbars</h1><h2>Adding toolbar buttons</h2><p>To add a button:</p><ol>"
        "<li>Right-click the toolbar.</li><li>Click <b>Add</b>.</li></ol>"
        "<p>You can also hide toolbar buttons you never use.</p><ol><li>Right-click the"
        " button.</li><li>Click <b>Hide</b>.</li></ol>"
        "<p>You can see the buttons in the list.</p><ol><li>Open <b>Settings</b>.</li>"
        "<li>Click <b>Buttons</b>.</li></ol>"
    )
    assert tasks(read_html(html, name="x.html").procedures) == [
        "Add a button",
        "Hide toolbar buttons you never use",
        "Add toolbar buttons",
    ]


def test_a_how_to_question_line_is_the_goal_of_the_list_after_it() -> None:
    text = (
        "Bookmarks\n\nA bookmark keeps a page for later.\n\nHow to Rename a Bookmark?\n\n"
        "If the name is too long, changing it takes a moment:\n\n"
        "  1. Right-click the bookmark.\n  2. Click Rename.\n  3. Type the new name.\n\n"
        "Why keep bookmarks?\n\nThey save time.\n"
    )
    doc = read_text(text, name="x.txt")
    assert tasks(doc.procedures) == ["Rename a Bookmark"]
    md_like = "Tabs\n\nHow do I pin a tab?\n\n  1. Right-click the tab.\n  2. Click Pin.\n"
    assert tasks(read_text(md_like, name="y.txt").procedures) == ["Pin a tab"]


def test_numbered_paragraphs_without_a_space_split_by_captions_in_html() -> None:
    html = (
        "<h1>Share a folder</h1><p>To share a folder, follow these steps:</p>"
        "<p><span>1.</span>On the main menu, click <b>Folders</b>.</p>"
        "<p><img src='a.png'></p><p>FIGURE: The Folders screen</p>"
        "<p><span>2.</span>Select the folder you want to share.</p>"
        "<p>Figure 2. The folder list</p>"
        "<p><span>3.</span>Click <b>Share</b>.</p>"
    )
    doc = read_html(html, name="x.html")
    assert tasks(doc.procedures) == ["Share a folder"]
    assert [s.text for s in doc.procedures[0].steps] == [
        "On the main menu, click Folders.",
        "Select the folder you want to share.",
        "Click Share.",
    ]
    md = "# Share a folder\n\nTo share a folder:\n\n1.Click **Folders**.\n\n2.Click **Share**.\n"
    assert read_markdown(md, name="x.md").procedures == []


def test_undefined_xml_entities_keep_their_name_and_declared_ones_their_value() -> None:
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML'
        ' 1.1//EN" "xhtml11.dtd" [\n  <!ENTITY % appDTD SYSTEM "chrome://app/app.dtd">\n'
        '  %appDTD;\n  <!ENTITY menuName "Tools">\n]>\n<html xmlns="http://www.w3.org/1999/'
        'xhtml"><body><h1>Setting up &appName;</h1><p>To pick a theme in &appName;:</p><ol>'
        "<li>Open the &menuName; menu &amp; choose Themes.</li><li>Click &quot;Apply&quot;.</li>"
        "</ol></body></html>"
    )
    doc = read_html(page, name="setup.xhtml")
    assert doc.title == "Setting up appName"
    assert tasks(doc.procedures) == ["Pick a theme in appName"]
    assert doc.procedures[0].steps[0].text == "Open the Tools menu & choose Themes."
    assert read_html("<h1>Fish &chips;</h1>", name="x.html").title == "Fish &chips;"


def test_declared_entities_cannot_blow_up_a_page() -> None:
    big = "x" * 1000
    page = f'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY b "{big}">]><t>{"&b;" * 500}</t>'
    assert len(resolve_entities(page)) < 3 * len(page)


def test_a_text_heading_right_above_its_intro_line_is_a_heading() -> None:
    text = (
        "About the Snip Key\nThe snip key copies a part of the screen.\n"
        "How to Snip a Window\nTo snip one window only, follow these steps:\n"
        "- Step 1: Click the window.\n- Step 2: Press Shift + Snip.\n"
        "- Step 3: Paste the picture where you want it.\nSnipping With the Mouse\n"
        "If you prefer the mouse, you can drag a box around any part of the screen.\n"
    )
    doc = read_text(text, name="x.txt")
    assert tasks(doc.procedures) == ["Snip one window only"]
    assert doc.procedures[0].steps[-1].text == "Paste the picture where you want it."
    prose = (
        "Notes\n\nThe snip key copies a part of the screen.\nIt is fast and it\n"
        "works in every app. Press it twice.\n"
    )
    assert [type(b).__name__ for b in read_text(prose, name="y.txt").outline] == ["Para"]
