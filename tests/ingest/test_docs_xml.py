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
