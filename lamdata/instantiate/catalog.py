"""The control list a model is shown: compact, and limited to the part of the app a plan uses.

One line per actionable control — ``id | text | type | functions | how to reach it | options``
— with the grid of cells folded into one line. For a plan whose UI terms name controls, only
the *relevant app state* is listed: every tab, the controls that are always visible, the
named controls and everything reached through the same tabs, menus and dialogs. A plan that
names nothing the app knows gets the whole list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lamdata.env import AppModel
from lamdata.env.matching import ControlIndex
from lamdata.instantiate.resolve import candidates, is_container


@dataclass(frozen=True)
class ControlCatalog:
    lines: dict[str, str]
    reach: dict[str, frozenset[str]]
    tabs: frozenset[str]
    cells: str

    @classmethod
    def build(cls, model: AppModel) -> ControlCatalog:
        lines: dict[str, str] = {}
        reach: dict[str, frozenset[str]] = {}
        for control in model.controls.values():
            if is_container(control) or control.control_type == "DataItem":
                continue
            if not control.functions:
                continue
            path = model.path_to(control.id)
            reach[control.id] = frozenset(path)
            lines[control.id] = (
                f"{control.id} | {control.text} | {control.control_type} | "
                f"{','.join(control.functions)} | "
                f"{' > '.join(model.controls[c].text for c in path)} | "
                f"{', '.join(control.options)}"
            )
        tabs = frozenset(c.id for c in model.controls.values() if c.control_type == "TabItem")
        return cls(lines, reach, tabs, _cells_line(model))

    def text(self, anchors: Iterable[str] = ()) -> str:
        """The list, limited to what ``anchors`` (control ids a plan names) reach."""
        scope = set(anchors)
        for anchor in list(scope):
            scope |= self.reach.get(anchor, frozenset())
        keep = [
            line
            for cid, line in self.lines.items()
            if not scope
            or cid in scope
            or cid in self.tabs
            or not self.reach[cid]
            or self.reach[cid] & scope
        ]
        return "\n".join([*keep, self.cells] if self.cells else keep)

    def anchors(self, index: ControlIndex, terms: Iterable[str]) -> set[str]:
        """Control ids the plan's UI terms name (tabs excluded: they do not narrow)."""
        found: set[str] = set()
        for term in terms:
            ids, _ = candidates(index, term)
            found.update(i for i in ids if i in self.lines and i not in self.tabs)
        return found


def _cells_line(model: AppModel) -> str:
    cells = [c for c in model.controls.values() if c.control_type == "DataItem"]
    if not cells:
        return ""
    first, last = cells[0], cells[-1]
    return (
        f"{first.id} … {last.id} | {first.text} … {last.text} | DataItem (one per cell) | "
        f"{','.join(first.functions)} | |"
    )
