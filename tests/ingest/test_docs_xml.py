"""XML help formats: DITA tasks, DocBook procedures, MAML topics."""

from __future__ import annotations

from lamdata.ingest.docs import plans_of, read_document

DITA = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE task PUBLIC "-//OASIS//DTD DITA Task//EN" "task.dtd">
<task id="insert-table" xml:lang="en-us">
  <title>Inserting a table in Word</title>
  <shortdesc>Tables organize data.</shortdesc>
  <taskbody>
    <steps>
      <step><cmd>On the <uicontrol>Insert</uicontrol> tab, click <uicontrol>Table</uicontrol>.</cmd>
        <info>The <wintitle>Insert Table</wintitle> dialog opens.</info></step>
      <step><cmd>Set the size:</cmd>
        <substeps><substep><cmd>In <uicontrol>Number of columns</uicontrol>, type 3.</cmd></substep>
        <substep><cmd>In <uicontrol>Number of rows</uicontrol>, type 4.</cmd></substep></substeps>
      </step>
      <step><cmd>Choose <menucascade><uicontrol>File</uicontrol><uicontrol>Save</uicontrol>
        </menucascade>.</cmd><stepresult>The file is saved.</stepresult></step>
    </steps>
  </taskbody>
</task>"""

DOCBOOK = """<?xml version="1.0"?>
<chapter xmlns="http://docbook.org/ns/docbook"><title>Tables in Writer</title>
<section><title>Working with rows</title>
<procedure><title>Deleting a row</title>
<step><para>Click in the row.</para></step>
<step><para>Choose <menuchoice><guimenu>Table</guimenu><guimenuitem>Delete Rows</guimenuitem>
</menuchoice>.</para><note><para>Click Undo to get it back.</para></note></step>
</procedure></section></chapter>"""

MAML = """<?xml version="1.0" encoding="utf-8"?>
<maml:section xmlns:maml="http://schemas.microsoft.com/maml/2004/10">
<maml:title>Printer help</maml:title>
<maml:procedure><maml:title>To print a test page</maml:title><maml:steps>
<maml:step><maml:para>Click <maml:ui>Start</maml:ui>, then <maml:ui>Printers</maml:ui>.</maml:para>
</maml:step><maml:step><maml:para>Click <maml:ui>Print Test Page</maml:ui>.</maml:para></maml:step>
</maml:steps></maml:procedure></maml:section>"""


def summary(text: str, name: str) -> list[tuple[str, list[str], list[list[str]], str]]:
    doc, _ = read_document(text.encode("utf-8"), name=name)
    return [(p.task, p.steps, p.ui_terms, p.source.locator) for p in plans_of(doc, uri=name)]


def test_dita_task() -> None:
    assert summary(DITA, "t.dita") == [
        (
            "Insert a table in Word",
            [
                "On the Insert tab, click Table.",
                "Set the size: In Number of columns, type 3. In Number of rows, type 4.",
                "Choose File > Save.",
            ],
            [["Insert", "Table"], ["Number of columns", "Number of rows"], ["File", "Save"]],
            "Inserting a table in Word",
        )
    ]


def test_docbook_procedure() -> None:
    assert summary(DOCBOOK, "rows.xml") == [
        (
            "Delete a row",
            ["Click in the row.", "Choose Table > Delete Rows."],
            [[], ["Table", "Delete Rows"]],
            "Tables in Writer > Working with rows > Deleting a row",
        )
    ]


def test_maml_procedure() -> None:
    assert summary(MAML, "help.maml") == [
        (
            "Print a test page",
            ["Click Start, then Printers.", "Click Print Test Page."],
            [["Start", "Printers"], ["Print Test Page"]],
            "Printer help > To print a test page",
        )
    ]


def test_xhtml_in_an_xml_file_is_html() -> None:
    page = '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
    page += "<h1>Zoom in</h1><ol><li>Click <b>View</b>.</li><li>Click <b>Zoom</b>.</li></ol>"
    page += "</body></html>"
    assert [s[:2] for s in summary(page, "zoom.xml")] == [
        ("Zoom in", ["Click View.", "Click Zoom."])
    ]


MALLARD = """<page xmlns="http://projectmallard.org/1.0/" type="topic" id="pin-note">
  <info>
    <credit type="author"><name>Ada Writer</name></credit>
    <desc>Keep a note on top of other windows.</desc>
  </info>
  <title>Pin a note</title>
  <p>Pinned notes stay visible while you work.</p>
  <steps>
    <item><p>Open the <gui>Notes</gui> app.</p></item>
    <item><p>Choose <guiseq><gui>Edit</gui><gui>Pin</gui></guiseq>.</p>
      <list type="numbered">
        <item><p>Pick a corner.</p></item>
      </list>
    </item>
    <item><p>Click <gui style="button">Done</gui>.</p></item>
  </steps>
  <note style="tip"><p>Press <key>Ctrl</key> to unpin.</p></note>
  <comment><p>Writers: add a screenshot here.</p></comment>
  <section id="colors">
    <title>Note colors</title>
    <p>Each note may have one of these colors:</p>
    <list>
      <item><p>Yellow, the default.</p></item>
      <item><p>Blue.</p></item>
    </list>
  </section>
</page>
"""


def test_mallard_page() -> None:
    # GNOME help pages: <steps>/<item>, <gui> labels, <guiseq> menus; a bullet <list> is no
    # procedure, and the <info> credits and editorial <comment> are not text of the page.
    assert summary(MALLARD, "pin-note.page") == [
        (
            "Pin a note",
            ["Open the Notes app.", "Choose Edit > Pin. Pick a corner.", "Click Done."],
            [["Notes"], ["Edit", "Pin"], ["Done"]],
            "Pin a note",
        )
    ]
    doc, _ = read_document(MALLARD.encode("utf-8"), name="pin-note")  # sniffed without suffix
    assert [p.task for p in doc.procedures] == ["Pin a note"]
