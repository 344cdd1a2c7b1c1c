"""The HTML reader on small inline pages, one variety of real support pages per test."""

from __future__ import annotations

from lamdata.ingest.docs import plans_of, read_document
from lamdata.records import TaskPlan


def plans(html: str, app: str | None = None) -> list[TaskPlan]:
    doc, _ = read_document(html.encode("utf-8"), name="page.html")
    return plans_of(doc, uri="page.html", app=app)


def summary(html: str) -> list[tuple[str, list[str]]]:
    return [(p.task, p.steps) for p in plans(html)]


def test_headings_lists_and_terms() -> None:
    found = plans(
        """<h1>Charts</h1><h2>Create a chart</h2>
        <ol><li>Select <strong>A1:B5</strong>.</li>
        <li>On the <span class="ui">Insert</span> tab, click <em>Column Chart</em>.</li></ol>"""
    )
    assert [(p.task, p.source.locator) for p in found] == [
        ("Create a chart", "Charts > Create a chart")
    ]
    assert found[0].ui_terms == [["A1:B5"], ["Insert", "Column Chart"]]


def test_intro_lines_give_the_goal_in_imperative_form() -> None:
    page = """<h1>Tables</h1>
    <p>To insert a table, do the following:</p>
    <ol><li>Click <b>Insert</b>.</li><li>Click <b>Table</b>.</li></ol>
    <h2>Inserting a row</h2><ol><li>Click a cell.</li><li>Click <b>Insert Above</b>.</li></ol>
    <h2>How to delete a table</h2><ol><li>Click the table.</li><li>Press Delete.</li></ol>
    <h2>Columns</h2><p>Follow these steps to add a column:</p>
    <ol><li>Click a cell.</li><li>Click <b>Insert Left</b>.</li></ol>
    <h2>Borders</h2><p>To do this, follow these steps:</p>
    <ol><li>Select the table.</li><li>Click <b>Borders</b>.</li></ol>"""
    assert [t for t, _ in summary(page)] == [
        "Insert a table",
        "Insert a row",
        "Delete a table",
        "Add a column",
        "Borders",
    ]


def test_nested_sub_steps_stay_with_their_parent() -> None:
    (found,) = summary(
        """<h2>Print a document</h2><ol>
        <li>Click <b>File</b>.</li>
        <li>Choose the pages:<ol><li>Click <b>Pages</b>.</li><li>Type 1-3.</li></ol></li>
        <li>Click <b>Print</b>.</li></ol>"""
    )
    assert found[1] == ["Click File.", "Choose the pages: Click Pages. Type 1-3.", "Click Print."]


def test_callouts_images_and_tables_are_not_steps() -> None:
    (found,) = summary(
        """<h2>Save a file</h2><ol>
        <li>Click <b>File</b>.<p class="note">Note: the backstage view opens.</p>
            <img src="a.png" alt="Backstage view"></li>
        <li><p>Click <b>Save As</b>.</p><div class="alert">Tip: press F12.</div>
            <table><tr><td>1</td><td>x</td></tr></table></li></ol>
        <div class="note"><ol><li>Click nothing.</li><li>Click more.</li></ol></div>
        <p><b>Important:</b> Click <b>Save</b> often.</p>"""
    )
    assert found == ("Save a file", ["Click File.", "Click Save As."])


def test_inline_image_alt_text_stands_for_a_button() -> None:
    (found,) = plans(
        """<h2>Undo a change</h2><ol><li>Select the text.</li>
        <li>Click <img src="undo.png" alt="Undo"> on the toolbar.</li></ol>"""
    )
    assert found.steps[1] == "Click Undo on the toolbar."


def test_entities_old_doctype_and_wrapped_lines() -> None:
    page = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
    <HTML><BODY BGCOLOR=white><FONT FACE=Arial><H2>Add a border &amp; shading</H2>
    <OL><LI>Select the
        paragraph&nbsp;you want.
    <LI>Click <B>Borders&nbsp;&amp; Shading</B>.
    </OL></FONT></BODY></HTML>"""
    assert summary(page) == [
        ("Add a border & shading", ["Select the paragraph you want.", "Click Borders & Shading."])
    ]


def test_br_separated_numbers_and_step_paragraphs_and_step_tables() -> None:
    page = """<h2>Rename a sheet</h2><p>1. Double-click the sheet tab.<br>2. Type Sales.<br>
    3. Press Enter.</p>
    <h2>Hide a column</h2><p>Step 1: Select the column.</p><p>Step 2: Click <b>Hide</b>.</p>
    <h2>Show a column</h2><table><tr><td>1</td><td>Select the columns.</td></tr>
    <tr><td>2</td><td>Click <b>Unhide</b>.</td></tr></table>"""
    assert summary(page) == [
        ("Rename a sheet", ["Double-click the sheet tab.", "Type Sales.", "Press Enter."]),
        ("Hide a column", ["Select the column.", "Click Hide."]),
        ("Show a column", ["Select the columns.", "Click Unhide."]),
    ]


def test_a_list_continued_after_a_screenshot_is_one_procedure() -> None:
    (found,) = summary(
        """<h2>Add a chart title</h2>
        <ol><li>Click the chart.</li><li>Click <b>Chart Title</b>.</li></ol>
        <p><img src="x.png" alt="screenshot"></p><ol start="3"><li>Type Sales.</li></ol>"""
    )
    assert found[1] == ["Click the chart.", "Click Chart Title.", "Type Sales."]


def test_reference_content_gives_nothing() -> None:
    page = """<html><head><title>Shortcuts</title></head><body>
    <nav><ol><li><a href="/">Home</a></li><li><a href="/w">Word</a></li></ol></nav>
    <h1>Keyboard shortcuts</h1><table><tr><td>Ctrl+B</td><td>Bold</td></tr></table>
    <h2>Good to know</h2><ul><li>Press Alt to see key tips.</li><li>Press F1 for help.</li></ul>
    <h2>New features</h2><ol><li>Faster saving.</li><li>Dark mode for the ribbon.</li></ol>
    <h2>In this article</h2>
    <ol><li><a href="#a">Insert a table</a></li><li><a href="#b">Click here</a></li></ol>
    <h2>See also</h2><ol><li>Click <b>Help</b> to learn more.</li><li>Click Insert.</li></ol>
    <h2>Tips</h2><ol><li>Click twice to select a word.</li><li>Click thrice.</li></ol>
    <footer><ol><li>Click <b>Yes</b></li><li>Click <b>No</b></li></ol></footer></body></html>"""
    assert summary(page) == []


def test_alternatives_and_unannounced_bullets_are_not_procedures() -> None:
    page = """<h2>Change the view</h2><p>Do one of the following:</p>
    <ul><li>Click <b>Read Mode</b>.</li><li>Click <b>Web Layout</b>.</li></ul>
    <h2>Zoom in</h2><ul><li>Click <b>Zoom</b>.</li><li>Press Ctrl and scroll.</li></ul>
    <h2>Print</h2><p>To print a page:</p>
    <ul><li>Click <b>File</b>.</li><li>Click <b>Print</b>.</li></ul>"""
    assert summary(page) == [("Print a page", ["Click File.", "Click Print."])]


def test_title_main_content_meta_app_and_platform_headings() -> None:
    page = """<html lang="en-GB"><head><title>Add a header - Sample Support</title>
    <meta name="ms.prod" content="excel"></head><body><header>Site</header>
    <main><h2>Windows</h2><ol><li>Click <b>Insert</b>.</li><li>Click <b>Header</b>.</li></ol>
    <h2>macOS</h2><ol><li>Click <b>Layout</b>.</li><li>Click <b>Header</b>.</li></ol></main>
    <aside><ol><li>Click ads.</li><li>Click more ads.</li></ol></aside></body></html>"""
    found = plans(page)
    assert [(p.task, p.app, p.lang, p.source.locator) for p in found] == [
        ("Add a header", "excel", "en", "Add a header > Windows"),
        ("Add a header", "excel", "en", "Add a header > macOS"),
    ]
    assert found[0].id != found[1].id


def test_app_from_the_text_or_the_flag_and_unknown_otherwise() -> None:
    page = (
        "<h1>Insert a picture in PowerPoint</h1>"
        "<ol><li>Click <b>Insert</b>.</li><li>Click <b>Pictures</b>.</li></ol>"
    )
    assert [p.app for p in plans(page)] == ["powerpoint"]
    assert [p.app for p in plans(page, app="word")] == ["word"]
    plain = (
        "<h1>Insert a picture</h1><ol><li>Click <b>Insert</b>.</li><li>Click Word count.</li></ol>"
    )
    assert [p.app for p in plans(plain)] == [None]


def test_layout_tables_details_sections_and_buttons() -> None:
    page = """<html><body><table width="100%"><tr><td class="nav"><a href="/">Home</a></td><td>
    <h1>Set margins in Word</h1><h2>Change margins</h2>
    <details><summary>Windows</summary>
    <ol><li>Click <button>Layout</button>.</li><li>Click <b>Margins</b>.</li></ol></details>
    <details><summary>Mac</summary>
    <ol><li>Click <b>Format</b>.</li><li>Click <b>Document</b>.</li></ol></details>
    </td></tr></table></body></html>"""
    assert [(p.task, p.steps, p.source.locator) for p in plans(page)] == [
        (
            "Change margins",
            ["Click Layout.", "Click Margins."],
            "Set margins in Word > Change margins > Windows",
        ),
        (
            "Change margins",
            ["Click Format.", "Click Document."],
            "Set margins in Word > Change margins > Mac",
        ),
    ]
