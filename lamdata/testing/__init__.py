"""Test helpers shipped with the package so tests and benchmarks share them."""

from __future__ import annotations

from lamdata.testing.openai_server import (
    NONEXISTENT_CONTROL,
    ChatCall,
    OpenAIServer,
    Reply,
    echo,
    fail_first,
    unknown_control_action,
)

__all__ = [
    "NONEXISTENT_CONTROL",
    "ChatCall",
    "OpenAIServer",
    "Reply",
    "echo",
    "fail_first",
    "unknown_control_action",
]
