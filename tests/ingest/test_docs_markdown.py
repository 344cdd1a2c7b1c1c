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
