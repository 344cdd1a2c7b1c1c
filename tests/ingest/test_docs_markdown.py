"""The Markdown reader: CommonMark plus front matter, admonitions, shortcodes and raw HTML."""

from __future__ import annotations

from lamdata.ingest.docs import plans_of, read_document
from lamdata.records import TaskPlan


def plans(text: str, name: str = "page.md") -> list[TaskPlan]:
    doc, _ = read_document(text.encode("utf-8"), name=name)
    return plans_of(doc, uri=name)


def summary(text: str) -> list[tuple[str, list[str]]]:
    return [(p.task, p.steps) for p in plans(text)]


def test_atx_and_setext_headings_lazy_numbering_and_terms() -> None:
    found = plans(
        "Charts in Excel\n===============\n\nMaking a chart\n--------------\n\n"
        "1. Select **A1:B5**.\n1. On the **Insert** tab, click *Column Chart*.\n"
        "1. Click __OK__.\n\n## Delete a chart ##\n\n3) Click the chart.\n4) Press Delete.\n"
    )
    assert [(p.task, p.source.locator, p.app) for p in found] == [
        ("Make a chart", "Charts in Excel > Making a chart", "excel"),
        ("Delete a chart", "Charts in Excel > Delete a chart", "excel"),
    ]
    assert found[0].steps[1] == "On the Insert tab, click Column Chart."
    assert found[0].ui_terms == [["A1:B5"], ["Insert", "Column Chart"], ["OK"]]


def test_yaml_and_toml_front_matter() -> None:
    yaml_page = (
        "---\ntitle: Slides\napp: Microsoft PowerPoint\nlang: en-US\n---\n\n"
        "## Add a slide\n\n1. Click **New Slide**.\n2. Click **Blank**.\n"
    )
    (found,) = plans(yaml_page)
    assert (found.app, found.lang, found.source.title, found.source.locator) == (
        "powerpoint",
        "en",
        "Slides",
        "Slides > Add a slide",
    )
    toml_page = (
        '+++\ntitle = "Cells"\napp = "excel"\n+++\n'
        "## Wrap text\n\n1. Click a cell.\n2. Click **Wrap Text**.\n"
    )
    assert [(p.app, p.task) for p in plans(toml_page)] == [("excel", "Wrap text")]


def test_nested_lists_and_code_fences_inside_items() -> None:
    page = """## Add a formula

1. Click a cell:
   - Type `B6` in the **Name Box**.
   - Press Enter.
2. Type the formula:

   ```
   =SUM(B2:B5)
   ```

3. Press Enter.
"""
    assert summary(page) == [
        (
            "Add a formula",
            [
                "Click a cell: Type B6 in the Name Box. Press Enter.",
                "Type the formula: =SUM(B2:B5)",
                "Press Enter.",
            ],
        )
    ]


def test_admonitions_and_shortcodes_are_not_steps() -> None:
    page = """# Save a file

## Save a copy

{{< note >}}
1. Click nowhere.
2. Click elsewhere.
{{< /note >}}

1. On the {{< ui "File" >}} tab, click **Save As**.
2. Type report.docx in **File name**.

> [!NOTE]
> 1. Click this and that.
> 2. Click more.

:::warning
1. Click a warning.
2. Click another.
:::

!!! tip "Faster"
    1. Click a tip.
    2. Click one more.

{% include footer.html %}
"""
    (found,) = plans(page)
    assert found.steps == ["On the File tab, click Save As.", "Type report.docx in File name."]
    assert found.ui_terms[0] == ["File", "Save As"]


def test_raw_html_is_read_like_html() -> None:
    page = (
        "# Hide gridlines in Excel\n\n"
        "<ol>\n<li>Click <b>View</b>.</li>\n<li>Clear <b>Gridlines</b>.</li>\n</ol>\n"
    )
    assert summary(page) == [("Hide gridlines in Excel", ["Click View.", "Clear Gridlines."])]
    inline = (
        "## Bold text\n\n1. Select the text.\n2. Click <b>Bold</b> or press <kbd>Ctrl+B</kbd>.\n"
    )
    (found,) = plans(inline)
    assert found.steps[1] == "Click Bold or press Ctrl+B." and found.ui_terms[1] == ["Bold"]


def test_reference_markdown_gives_nothing() -> None:
    page = """# What's new

- **Faster** start-up.
- New **Design** ideas.

## Top improvements

1. Faster saving.
2. A new dark theme.

| Shortcut | Action |
| --- | --- |
| Ctrl+B | Bold |
"""
    assert summary(page) == []


def test_one_line_directives_do_not_hide_the_rest_of_the_page() -> None:
    # DocFX writes images as ":::image ... :::" on one line, inside list items too; a line
    # like that opens nothing. Wrappers (":::zone") keep their content; an unclosed ":::tip"
    # is left as text rather than eating the page.
    page = (
        "# Share a folder\n\n"
        ':::image type="content" source="a.png" alt-text="The sharing pane.":::\n\n'
        "1. Right-click the folder.\n"
        "1. Select **Share**.\n\n"
        '    :::image type="content" source="b.png" alt-text="The share dialog.":::\n\n'
        "1. Type a name and select **Send**.\n\n"
        '::: zone target="docs"\n\n## Stop sharing\n\n1. Open **Shared**.\n2. Select **Stop**.\n\n'
        "::: zone-end\n\n"
        ":::tip\nThis tip is never closed.\n\n## Rename a folder\n\n"
        "1. Select the folder.\n2. Press **F2**.\n"
    )
    assert summary(page) == [
        (
            "Share a folder",
            ["Right-click the folder.", "Select Share.", "Type a name and select Send."],
        ),
        ("Stop sharing", ["Open Shared.", "Select Stop."]),
        ("Rename a folder", ["Select the folder.", "Press F2."]),
    ]


def test_more_information_holds_procedures_under_task_headings() -> None:
    # Knowledge-base articles put whole procedures under "More information"; a list right
    # under it needs an intro line, one under a task sub-heading is a procedure.
    page = (
        "# Repeating reminders\n\n## More information\n\nThe work has these parts:\n\n"
        "1. Build a form.\n2. Use the form.\n\n"
        "### Build a reminder form\n\n1. Open the **Tasks** folder.\n2. Click **New Form**.\n\n"
        "## See also\n\n### Print a form\n\n1. Click **Print**.\n2. Click **OK**.\n"
    )
    assert summary(page) == [
        ("Build a reminder form", ["Open the Tasks folder.", "Click New Form."]),
    ]


def test_bold_that_commonmark_leaves_as_text_is_still_a_label() -> None:
    # "**File **" (space before the closing stars) is not bold in CommonMark, but the writer
    # meant a label: the stars go, the label is kept as a UI term.
    (found,) = plans(
        "## Save a copy\n\n1. On the **File **menu, click **Save As**.\n"
        "2. In the box, on the** Tools** menu, click **Options**.\n"
    )
    assert found.steps == [
        "On the File menu, click Save As.",
        "In the box, on the Tools menu, click Options.",
    ]
    assert [sorted(t) for t in found.ui_terms] == [["File", "Save As"], ["Options", "Tools"]]
