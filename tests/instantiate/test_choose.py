from __future__ import annotations

import pytest

from lamdata.instantiate import AppContext
from lamdata.instantiate.choose import TemplateCard, choose_template, created_terms


def test_created_nouns_are_not_needed() -> None:
    assert "table" in created_terms("Insert a table into the letter")
    assert "letter" not in created_terms("Insert a table into the letter")


@pytest.mark.parametrize(
    ("app", "task", "template"),
    [
        ("word", "Format the heading", "word-quarterly-report"),
        ("word", "Make the selected text bold", None),
        ("excel", "Remove duplicate rows", "excel-contact-list"),
        ("excel", "Format numbers as currency", None),
        ("powerpoint", "Change the slide layout", None),
    ],
)
def test_choice_covers_what_the_task_acts_on(
    sample_contexts: dict[str, AppContext], app: str, task: str, template: str | None
) -> None:
    ctx = sample_contexts[app]
    choice = ctx.choose(task, 0.5)
    assert choice.template is not None and choice.score >= 0.5
    if template is not None:
        assert choice.template.id == template
    chosen = ctx.model.templates[choice.template.id]
    assert (
        chosen.document != ctx.model.templates[f"{app.replace('powerpoint', 'ppt')}-blank"].document
    )


def test_content_no_template_has_is_a_template_miss(sample_contexts: dict[str, AppContext]) -> None:
    choice = sample_contexts["word"].choose("Reply to the reviewer's comment", 0.5)
    assert choice.template is None
    assert choice.reason.startswith("template_miss:") and "comment" in choice.reason


def test_choice_is_by_description_not_by_id() -> None:
    cards = [
        TemplateCard("table.docx", "word", "A letter with three paragraphs", "h1", frozenset()),
        TemplateCard("zz", "word", "A report with a table of sales", "h2", frozenset({"table"})),
    ]
    choice = choose_template("Add a row to the table", cards, 0.5, frozenset({"table"}))
    assert choice.template is not None and choice.template.id == "zz"


def test_no_templates_is_a_miss() -> None:
    assert choose_template("Make text bold", [], 0.5).template is None
