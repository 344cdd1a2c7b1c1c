"""Malformed app models give errors naming the file and the JSON pointer."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from lamdata.env import AppModelError, load_app_model
from lamdata.env.documents.formulas import evaluate
from lamdata.env.importers import controls_to_model
from tests.env.helpers import APPS

BASE: dict[str, Any] = {
    "app": "mini",
    "name": "Mini",
    "document_kind": "document",
    "controls": [
        {"id": "win", "text": "Mini", "type": "Window", "parent": None},
        {"id": "tab_home", "text": "Home", "type": "TabItem", "parent": "win"},
        {
            "id": "grp",
            "text": "Home group",
            "type": "Pane",
            "parent": "win",
            "visible_when": {"tab": "tab_home"},
        },
        {
            "id": "btn",
            "text": "Bold",
            "type": "Button",
            "parent": "grp",
            "on": {"click": [{"op": "format", "attr": "bold", "value": True, "mode": "toggle"}]},
        },
    ],
    "templates": [
        {"id": "mini-one", "description": "One line.", "document": {"paragraphs": ["x"]}}
    ],
}


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "mini.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    change(data)
    return data


CASES = [
    ("dangling parent", lambda d: d["controls"][3].update(parent="nowhere"), "/controls/3/parent"),
    (
        "unknown effect op",
        lambda d: d["controls"][3]["on"]["click"][0].update(op="explode"),
        "/controls/3/on/click/0/op",
    ),
    (
        "unknown command",
        lambda d: d["controls"][3]["on"]["click"].append({"op": "command", "name": "fly"}),
        "/controls/3/on/click/1/name",
    ),
    (
        "rule references a missing control",
        lambda d: d["controls"][2].update(visible_when={"tab": "tab_x"}),
        "/controls/2/visible_when/tab",
    ),
    (
        "effect targets a missing control",
        lambda d: d["controls"][3]["on"]["click"].append({"op": "open", "target": "dlg"}),
        "/controls/3/on/click/1/target",
    ),
    ("wrong type", lambda d: d["controls"][1].update(type="Gizmo"), "/controls/1/type"),
    ("duplicate id", lambda d: d["controls"].append(dict(d["controls"][3])), "/controls/4/id"),
    (
        "function the type does not accept",
        lambda d: d["controls"][3]["on"].update(select=[]),
        "/controls/3/on/select",
    ),
    (
        "unknown rule operator",
        lambda d: d["controls"][2].update(
            visible_when={"path": "doc.paragraphs", "op": "bigger", "value": 1}
        ),
        "/controls/2/visible_when/op",
    ),
    (
        "effect op the document kind lacks",
        lambda d: d["controls"][3]["on"]["click"].append({"op": "set_cell", "value": "1"}),
        "/controls/3/on/click/1/op",
    ),
    (
        "set without a path",
        lambda d: d["controls"][3]["on"]["click"].append({"op": "set", "value": 1}),
        "/controls/3/on/click/1",
    ),
    (
        "path outside the state",
        lambda d: d["controls"][3]["on"]["click"].append({"op": "toggle", "path": "view.ruler"}),
        "/controls/3/on/click/1/path",
    ),
    (
        "shortcut to a missing control",
        lambda d: d.update(shortcuts={"^b": "btn", "^/": "nope"}),
        "/shortcuts/^~1",
    ),
    (
        "bad template document",
        lambda d: d["templates"][0]["document"].update(paragraphs=[{"txt": 1}]),
        "/templates/0/document",
    ),
]


def test_base_model_loads(tmp_path: Path) -> None:
    model = load_app_model(write(tmp_path, BASE))
    assert list(model.controls) == ["win", "tab_home", "grp", "btn"]
    assert model.templates["mini-one"].content_hash


@pytest.mark.parametrize(("why", "change", "pointer"), CASES, ids=[c[0] for c in CASES])
def test_malformed_models_name_file_and_pointer(
    tmp_path: Path, why: str, change: Any, pointer: str
) -> None:
    path = write(tmp_path, broken(change))
    with pytest.raises(AppModelError) as info:
        load_app_model(path)
    assert info.value.pointer == pointer, why
    assert str(path) in info.value.message and pointer in info.value.message


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{nope", encoding="utf-8")
    with pytest.raises(AppModelError, match=r"bad\.json"):
        load_app_model(path)


def test_samples_meet_the_minimums() -> None:
    for path in sorted(APPS.glob("*.json")):
        model = load_app_model(path)
        assert len(model.controls) >= 40 and len(model.templates) >= 5, path
        assert all(t.description for t in model.templates.values())


def test_template_hash_is_stable_and_content_based() -> None:
    a = load_app_model(APPS / "word.json").templates
    b = load_app_model(APPS / "word.json").templates
    assert a["word-essay"].content_hash == b["word-essay"].content_hash
    assert a["word-essay"].content_hash != a["word-recipe"].content_hash


@pytest.mark.parametrize(
    ("formula", "cells", "expected"),
    [
        ("SUM(A1:A3)", {"A1": 1, "A2": 2, "A3": 3}, 6),
        ("AVERAGE(A1:A2)*2", {"A1": 1, "A2": 2}, 3),
        ("MAX(A1:A3)-MIN(A1:A3)", {"A1": 5, "A2": -2, "A3": 3}, 7),
        ("COUNT(A1:A3)", {"A1": 5, "A2": "x", "A3": None}, 1),
        ("A1/A2", {"A1": 1, "A2": 0}, "#DIV/0!"),
        ("FOO(A1)", {"A1": 1}, "#NAME?"),
        ("2^3+-1", {}, 7),
        ('A1&" units"', {"A1": 4}, "4 units"),
        ("__import__('os')", {}, "#VALUE!"),
    ],
)
def test_formulas(formula: str, cells: dict[str, Any], expected: Any) -> None:
    assert evaluate(formula, cells.get) == expected


def test_import_control_list_and_tree() -> None:
    flat = [
        {"label": "1", "control_text": "Save", "control_type": "Button"},
        {"label": "2", "control_text": "Save", "control_type": "Button"},
        {"label": "3", "control_text": "Body", "control_type": "Edit"},
        {"label": "4", "control_text": "Thing", "control_type": "Sprocket"},
    ]
    model = controls_to_model(flat, app="notes")
    ids = [c["id"] for c in model["controls"]]
    assert len(ids) == len(set(ids)) == 5
    assert [c["type"] for c in model["controls"]][1:] == ["Button", "Button", "Edit", "Custom"]
    assert all(c["parent"] == ids[0] for c in model["controls"][1:])
    tree = {
        "name": "App",
        "role": "Window",
        "children": [
            {
                "name": "Menu",
                "role": "MenuBar",
                "children": [{"name": "Open", "role": "MenuItem", "automation_id": "open"}],
            }
        ],
    }
    nested = controls_to_model(tree, app="tree")
    by_text = {c["text"]: c for c in nested["controls"]}
    assert by_text["Open"]["parent"] == by_text["Menu"]["id"]
    assert by_text["Open"]["automation_id"] == "open"
