"""Prompts are versioned text files in ``lamdata/prompts/``: ``<name>.v<N>.txt``.

A prompt's id is its file stem (``evolve.v1``); records keep it, and it is part of every cache
key, so editing a prompt means adding ``v2`` rather than silently changing what ``v1`` meant.
A file holds the system message, a line ``=== user ===``, then the user message; both are
``string.Template`` texts (``$task``, ``${steps}``), which leaves JSON braces alone.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from string import Template

from lamdata.errors import ConfigError
from lamdata.llm.structured import schema_text

USER_MARK = "=== user ==="


@cache
def load_prompt(prompt_id: str) -> tuple[str, str]:
    """(system, user) templates of the prompt ``prompt_id``."""
    path = resources.files("lamdata") / "prompts" / f"{prompt_id}.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"no prompt named {prompt_id!r}", hint="see lamdata/prompts/") from exc
    system, mark, user = text.partition(USER_MARK)
    if not mark:
        raise ConfigError(f"prompt {prompt_id} lacks the line {USER_MARK!r}")
    return system.strip(), user.strip()


def render(template: str, prompt_id: str, values: dict[str, str]) -> str:
    try:
        return Template(template).substitute(values)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"prompt {prompt_id} needs the value {exc}") from exc


def build_messages(prompt_id: str, schema: str, **values: str) -> list[dict[str, str]]:
    """Chat messages for ``prompt_id`` filled with ``values``, the answer schema appended."""
    system, user = load_prompt(prompt_id)
    system = render(system, prompt_id, values)
    system += (
        "\n\nAnswer with only one JSON value (no prose) that matches this JSON Schema:\n"
        + schema_text(schema)
    )
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": render(user, prompt_id, values)},
    ]
