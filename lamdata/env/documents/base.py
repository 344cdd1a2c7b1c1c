"""The base document kind: a free-form document with no document effects."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

State = dict[str, Any]
Command = Callable[[State, dict[str, Any]], None]


class EffectError(Exception):
    """An effect that cannot apply in the current state (the step gets ``status``)."""

    def __init__(self, message: str, status: str = "no_effect") -> None:
        super().__init__(message)
        self.status = status


class DocumentKind:
    """A document kind; subclasses add document effects and commands."""

    name = "generic"

    def normalize(self, doc: dict[str, Any]) -> dict[str, Any]:
        return copy.deepcopy(doc)

    def commands(self) -> dict[str, Command]:
        return {}

    def run(self, state: State, name: str, args: dict[str, Any]) -> None:
        self.commands()[name](state, args)

    def insert_text(self, state: State, text: str) -> None:
        raise EffectError(f"a {self.name} has no text to insert into", "unsupported_action")

    def format(self, state: State, attr: str, value: Any, mode: str) -> None:
        raise EffectError(f"a {self.name} has nothing to format", "unsupported_action")

    def set_cell(self, state: State, ref: str | None, value: str) -> None:
        raise EffectError(f"a {self.name} has no cells", "unsupported_action")

    def select_range(self, state: State, ref: str) -> None:
        raise EffectError(f"a {self.name} has no cells", "unsupported_action")

    def select_text(self, state: State, text: str, occurrence: int) -> None:
        raise EffectError(f"a {self.name} has no text to select", "unsupported_action")

    def select_all(self, state: State) -> None:
        raise EffectError(f"a {self.name} has nothing to select", "unsupported_action")

    def select_item(self, state: State, index: int) -> None:
        raise EffectError(f"a {self.name} has no items", "unsupported_action")

    def after_change(self, state: State) -> None:
        """Derived values to refresh after any document effect (e.g. formulas)."""
