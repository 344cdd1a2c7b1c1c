from __future__ import annotations

from lamdata.env import AppModel
from lamdata.instantiate import AppContext
from lamdata.instantiate.llm_path import relevant_controls

from .conftest import plan


def ids(text: str) -> set[str]:
    return {line.split(" | ")[0] for line in text.splitlines()}


def test_the_list_is_the_part_of_the_app_the_plan_uses(sample_models: dict[str, AppModel]) -> None:
    ctx = AppContext.build(sample_models["word"])
    shown = ids(
        relevant_controls(
            plan(
                "word",
                "Landscape",
                ["On the Layout tab, click Orientation.", "Click Landscape."],
                [["Layout", "Orientation"], ["Landscape"]],
            ),
            ctx,
        )
    )
    assert {"btn_orientation", "mi_orientation_landscape", "btn_margins", "tab_home"} <= shown
    assert "document" in shown  # always visible
    assert "btn_bold" not in shown and "ed_find_what" not in shown
    everything = ids(relevant_controls(plan("word", "Do it", ["Just do it."]), ctx))
    assert shown < everything and "btn_bold" in everything


def test_cells_are_folded_into_one_line(sample_models: dict[str, AppModel]) -> None:
    text = relevant_controls(plan("excel", "x", ["y"]), AppContext.build(sample_models["excel"]))
    assert "DataItem (one per cell)" in text
    assert sum("DataItem" in line for line in text.splitlines()) == 1
    assert "ed_name_box | Name Box | Edit" in text


def test_document_views_show_what_a_reader_sees(sample_models: dict[str, AppModel]) -> None:
    from lamdata.instantiate.views import document_view

    word = sample_models["word"]
    text = document_view("document", word.templates["word-quarterly-report"])
    assert "paragraph 1 [Title]: Quarterly Sales Report" in text
    excel = sample_models["excel"]
    cells = document_view("spreadsheet", excel.templates["excel-sales-by-region"])
    assert cells.splitlines()[0].startswith("A1: Region | B1: Q1")
    assert "F2: =SUM(B2:E2)" in cells
    assert document_view("spreadsheet", excel.templates["excel-blank"]) == "(empty)"
