"""``openai``: chat fine-tuning JSONL, one conversation a line.

Tool-using conversations carry the action space twice, as the system prompt and as ``tools``
definitions; each action is an assistant ``tool_calls`` entry and each application answer a
``tool`` message (or, with ``tool_calls=False``, a JSON object as the assistant's content and the
answer as a user message).
Assistant actions carry ``weight`` 1, failed steps ``weight`` 0.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from lamdata.export.actions import tools
from lamdata.export.base import ExportContext, dumps, write_lines
from lamdata.export.chat import Conversation, Message, conversations


@cache
def _definitions() -> tuple[dict[str, Any], ...]:
    return tuple({"type": "function", "function": tool} for tool in tools())


def tool_definitions() -> list[dict[str, Any]]:
    """The ``tools`` of a line (shared between lines: serialized, never changed)."""
    return list(_definitions())


def _message(message: Message, call_id: str, as_tool_calls: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"role": message.role}
    if message.call is None and message.role == "tool" and not as_tool_calls:
        out = {"role": "user", "content": f"Result:\n{message.content}"}
    elif message.call is None:
        out["content"] = message.content
        if message.role == "tool":
            out["tool_call_id"] = call_id
    elif as_tool_calls:
        function = {"name": message.call.name, "arguments": dumps(message.call.arguments)}
        out["tool_calls"] = [{"id": call_id, "type": "function", "function": function}]
    else:
        out["content"] = dumps({"function": message.call.name, "arguments": message.call.arguments})
    if message.weight is not None:
        out["weight"] = message.weight
    return out


def conversation_line(conversation: Conversation, as_tool_calls: bool = True) -> dict[str, Any]:
    """One fine-tuning example."""
    messages = []
    calls = 0
    for message in conversation.messages:
        if message.call is not None:
            calls += 1
        messages.append(_message(message, f"call_{calls}", as_tool_calls))
    line: dict[str, Any] = {"messages": messages}
    if conversation.uses_tools and as_tool_calls:
        line["tools"] = tool_definitions()
        line["parallel_tool_calls"] = False
    return line


@cache
def _tools_text() -> str:
    return dumps(list(_definitions()))


def line_text(conversation: Conversation, as_tool_calls: bool = True) -> str:
    """``dumps(conversation_line(...))``, with the shared ``tools`` encoded once per export."""
    line = conversation_line(conversation, as_tool_calls)
    if "tools" not in line:
        return dumps(line)
    head = dumps({"messages": line["messages"]})[:-1]
    return f'{head},"tools":{_tools_text()},"parallel_tool_calls":false}}'


def write_openai(ctx: ExportContext, folder: Path) -> dict[str, int]:
    counts = {}
    for name, ids in ctx.selection.splits.items():
        lines = [line_text(c, ctx.options.tool_calls) for c in conversations(ctx, ids)]
        write_lines(folder / f"{name}.jsonl", lines)
        counts[name] = len(lines)
    return counts
