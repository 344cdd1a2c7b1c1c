"""The ``openai`` export follows the chat fine-tuning format rules, and the rule checker itself
catches each kind of mistake (so a passing check means something)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lamdata.export import export, select
from lamdata.store import Store
from tests.export.openai_rules import file_problems, line_problems

OPTIONS: list[dict[str, Any]] = [
    {},
    {"task": "action-sft"},
    {"task": "taskplan-sft"},
    {"task": "reward"},
    {"tool_calls": False},
    {"drop_failed": True},
]


@pytest.mark.parametrize(
    "options", OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "default"
)
def test_openai_export_follows_the_rules(
    store: Store, tmp_path: Path, options: dict[str, Any]
) -> None:
    export(store, fmt="openai", out=tmp_path / "ft", **options)
    text = (tmp_path / "ft" / "train.jsonl").read_text(encoding="utf-8")
    assert text.count("\n") >= 2
    assert file_problems(text) == []


def test_failed_steps_carry_weight_zero(store: Store, tmp_path: Path) -> None:
    export(store, fmt="openai", out=tmp_path / "ft")
    lines = [json.loads(x) for x in (tmp_path / "ft" / "train.jsonl").read_text().splitlines()]
    weights = [
        (m["tool_calls"][0]["function"]["name"], m["weight"])
        for line in lines
        for m in line["messages"]
        if m["role"] == "assistant"
    ]
    assert weights.count(("click", 0)) == 1  # the hidden "Sort A to Z" button
    assert sum(w for _, w in weights) == len(weights) - 1


def test_tool_calls_carry_the_control(store: Store, tmp_path: Path) -> None:
    export(store, fmt="openai", out=tmp_path / "ft", task="action-sft")
    lines = [json.loads(x) for x in (tmp_path / "ft" / "train.jsonl").read_text().splitlines()]
    calls = [
        json.loads(line["messages"][-1]["tool_calls"][0]["function"]["arguments"]) for line in lines
    ]
    assert {"control_id": "home.bold", "control_text": "Bold"} in calls
    assert {"keys": "^b"} in calls
    assert lines[1]["messages"][1]["content"].count("Actions so far:") == 1


def _good() -> dict[str, Any]:
    params = {"type": "object", "properties": {"x": {"type": "string"}}, "required": ["x"]}
    return {
        "messages": [
            {"role": "system", "content": "s"},
            {"role": "user", "content": "u"},
            {
                "role": "assistant",
                "tool_calls": [
                    {
                        "id": "c1",
                        "type": "function",
                        "function": {"name": "f", "arguments": '{"x":"a"}'},
                    }
                ],
                "weight": 1,
            },
            {"role": "tool", "tool_call_id": "c1", "content": "ok"},
            {"role": "assistant", "content": "done"},
        ],
        "tools": [{"type": "function", "function": {"name": "f", "parameters": params}}],
    }


def _break(kind: str) -> dict[str, Any]:
    line = _good()
    messages = line["messages"]
    if kind == "role":
        messages[1]["role"] = "human"
    elif kind == "content":
        messages[1]["content"] = ["u"]
    elif kind == "weight":
        messages[1]["weight"] = 0
    elif kind == "weight_value":
        messages[2]["weight"] = 2
    elif kind == "undeclared":
        messages[2]["tool_calls"][0]["function"]["name"] = "g"
    elif kind == "arguments":
        messages[2]["tool_calls"][0]["function"]["arguments"] = '{"x": 1}'
    elif kind == "orphan_tool":
        messages[3]["tool_call_id"] = "c9"
    elif kind == "no_assistant":
        line["messages"] = messages[:2]
    elif kind == "bad_tools":
        line["tools"][0]["function"]["parameters"] = {"type": 5}
    elif kind == "extra_key":
        messages[0]["mood"] = "calm"
    return line


def test_rule_checker_accepts_a_good_line() -> None:
    assert line_problems(json.dumps(_good())) == []


@pytest.mark.parametrize(
    "kind",
    [
        "role",
        "content",
        "weight",
        "weight_value",
        "undeclared",
        "arguments",
        "orphan_tool",
        "no_assistant",
        "bad_tools",
        "extra_key",
    ],
)
def test_rule_checker_catches_each_mistake(kind: str) -> None:
    assert line_problems(json.dumps(_break(kind))) != []


def test_rule_checker_wants_one_object_per_line() -> None:
    two = json.dumps(_good()) + json.dumps(_good()) + "\n"
    assert file_problems(two) != []
    assert file_problems(json.dumps(_good())) != []  # no final newline


def test_line_text_is_the_line_encoded(store: Store, tmp_path: Path) -> None:
    from lamdata.export.base import ExportContext, ExportOptions, dumps
    from lamdata.export.chat import conversations
    from lamdata.export.openai import conversation_line, line_text

    ctx = ExportContext(store, ExportOptions(fmt="openai"), select(store, "trajectories"))
    chats = conversations(ctx, ctx.selection.splits["train"])
    assert chats and all(line_text(c) == dumps(conversation_line(c)) for c in chats)
