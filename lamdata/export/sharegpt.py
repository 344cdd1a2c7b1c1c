"""``sharegpt``: LLaMA-Factory's ShareGPT format, one ``<split>.json`` a split, plus the
``dataset_info.json`` entries that register them.

Turns alternate as LLaMA-Factory requires: ``human``/``observation`` at odd positions,
``gpt``/``function_call`` at even ones, ending with the model; the action space is the ``system``
prompt and the ``tools`` definitions (a JSON string). ShareGPT has no per-turn weight: use
``drop_failed`` to leave failed steps out of the training targets.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from lamdata.export.actions import action_space_text, tools
from lamdata.export.base import ExportContext, dumps, write_json
from lamdata.export.chat import Conversation, Message, conversations

_FROM = {"user": "human", "tool": "observation", "assistant": "gpt"}
TAGS = {
    "role_tag": "from",
    "content_tag": "value",
    "user_tag": "human",
    "assistant_tag": "gpt",
    "observation_tag": "observation",
    "function_tag": "function_call",
    "system_tag": "system",
}


def _turn(message: Message) -> dict[str, str]:
    if message.call is not None:
        value = dumps({"name": message.call.name, "arguments": message.call.arguments})
        return {"from": "function_call", "value": value}
    return {"from": _FROM[message.role], "value": message.content}


def conversation_item(conversation: Conversation) -> dict[str, Any]:
    """One ShareGPT example."""
    if conversation.uses_tools:  # the functions go in ``tools``; the template shows them
        system = action_space_text(conversation.app, functions=False)
    else:
        system = "\n".join(m.content for m in conversation.messages if m.role == "system")
    item: dict[str, Any] = {
        "id": conversation.id,
        "conversations": [_turn(m) for m in conversation.messages if m.role != "system"],
        "system": system,
    }
    if conversation.uses_tools:
        item["tools"] = tools_json()
    return item


@cache
def tools_json() -> str:
    """The ``tools`` column: the function definitions as one JSON string."""
    return json.dumps(tools(), ensure_ascii=False)


def dataset_name(task: str | None, split: str) -> str:
    return f"lamdata_{(task or 'trajectories').replace('-', '_')}_{split}"


def dataset_info(task: str | None, splits: list[str], uses_tools: bool) -> dict[str, Any]:
    columns = {"messages": "conversations", "system": "system"}
    if uses_tools:
        columns["tools"] = "tools"
    return {
        dataset_name(task, split): {
            "file_name": f"{split}.json",
            "formatting": "sharegpt",
            "columns": columns,
            "tags": TAGS,
        }
        for split in splits
    }


def write_sharegpt(ctx: ExportContext, folder: Path) -> dict[str, int]:
    counts = {}
    failed = 0
    for name, ids in ctx.selection.splits.items():
        chats = conversations(ctx, ids)
        failed += sum(1 for c in chats for m in c.messages if m.weight == 0)
        items = [conversation_item(c) for c in chats]
        write_json(folder / f"{name}.json", items)
        counts[name] = len(items)
    if failed:
        ctx.notes["warning"] = (
            f"ShareGPT has no per-turn weights: {failed} failed steps are training targets; "
            "pass --drop-failed to leave them out"
        )
    uses_tools = ctx.options.task in (None, "action-sft")
    write_json(
        folder / "dataset_info.json", dataset_info(ctx.options.task, list(counts), uses_tools)
    )
    return counts
