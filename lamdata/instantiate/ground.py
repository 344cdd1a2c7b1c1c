"""Phase 2b: ground each plan step on the app model, as actions the executor will accept.

The grounder walks the plan with a private ``uitree`` environment reset on the chosen template
(a dry run of the UI, as UFO's prefill reads the live control list): for each step it resolves
the step's UI terms to controls (:mod:`resolve`), inserts the navigation the app model requires
before a control that is not visible yet (select its tab, open its menu or dialog — only what is
not already selected or open), selects the task's target when the step says "select" or when an
action needs a selection and there is none, and picks the function and arguments
(:mod:`args`). Every action it emits ran in the dry run; one that the environment refuses is a
*problem* with the environment's status and reason, and the plan is filtered out (``other``)
instead of being executed blindly.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from lamdata.env import AppModel, Control
from lamdata.env.appmodel import shortcut_key
from lamdata.env.uitree import UITreeEnv
from lamdata.hashing import normalize_text
from lamdata.instantiate import resolve, traits
from lamdata.instantiate.args import Call, call_for, typed_value
from lamdata.instantiate.prefill import Target, invent_value
from lamdata.instantiate.text import key_chords
from lamdata.records import Action

_SELECT = re.compile(
    r"\b(select|highlight|place\s+(the|your)\s+cursor|click\s+(in|into|inside)\s+the)\b", re.I
)
_DELETE = re.compile(r"\bpress\s+(?:the\s+)?(?:delete|del|backspace)\b", re.I)
_TITLE_WORDS = re.compile(r"\b[A-Z][\w&]*(?:\s+(?:[A-Z][\w&]*|&|and|to|of)\b)*")


@dataclass
class Event:
    """One non-navigation action that ran, with the UI it ran in (for the checks)."""

    action: Action
    control: Control
    effects: tuple[dict[str, Any], ...]
    selection: Any
    fields: dict[str, Any]


@dataclass
class Grounding:
    actions: list[Action] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    acting_steps: int = 0
    dropped: int = 0
    used_target: bool = False
    selected: bool = False
    #: Actions dropped because what they set is already so on this template.
    noops: list[str] = field(default_factory=list)
    #: The values typed or chosen, for the concrete request ("Find what = 'revenue'").
    values: list[str] = field(default_factory=list)


class Grounder:
    """Grounds plans on one app model; reuse it for every plan of that app."""

    def __init__(self, model: AppModel) -> None:
        self.model = model
        self.env = UITreeEnv(model)
        self._options: set[str] | None = None

    def ground(
        self, steps: list[str], ui_terms: list[list[str]], template: str, target: Target | None
    ) -> Grounding:
        self.env.reset(template)
        self.out = Grounding()
        self.target = target
        self.doc_text = traits.all_text(self.env.state()["doc"])
        for i, step in enumerate(steps):
            terms = ui_terms[i] if i < len(ui_terms) and ui_terms[i] else self._title_terms(step)
            before = len(self.out.events)
            self._step(i, step, terms)
            self.out.acting_steps += len(self.out.events) > before
        return self.out

    def replay(self, template: str, actions: list[Action]) -> Grounding:
        """Run actions someone else grounded (a model's answer) through the dry run, adding
        the navigation they forgot; what the environment refuses becomes a problem."""
        self.env.reset(template)
        self.out = Grounding()
        self.target = None
        for i, given in enumerate(actions):
            control = self.model.controls.get(given.control_id or "")
            if control is None:
                self._problem(i, f"unknown_control: {given.control_id!r}")
                continue
            call = Call(given.function, given.args)
            effects = traits.effects_of(control, given.function)
            before = len(self.out.events)
            self._emit(i, given.subtask, control, call, effects)
            self.out.acting_steps += len(self.out.events) > before
        return self.out

    # -- one step -----------------------------------------------------------------------------
    def _step(self, i: int, step: str, terms: list[str]) -> None:
        controls = self._resolve_terms(i, step, terms)
        if controls is None:
            return
        actionable = [c for c in controls if not resolve.is_container(c)]
        if _SELECT.search(step) and not actionable:
            self._select_target(i, step)
        for control in actionable:
            self._act(i, step, control)
        value = typed_value(step)
        if value is not None and not any(c.accepts("set_text") for c in actionable):
            self._type_into(i, step, value)
        elif _DELETE.search(step) and not actionable:
            self._delete_selection(i, step)
        elif key_chords(step) and not actionable:
            self._shortcut(i, step, key_chords(step)[0])

    def _shortcut(self, i: int, step: str, chord: str) -> None:
        """ "Press Ctrl+B": the app model's shortcut, typed into the document, performs the
        click of the control it names (checks are written from that control's effects)."""
        key = "^" + chord.split("+")[-1] if chord.startswith("ctrl+") else chord
        key = "^{ENTER}" if key == "^enter" else key
        target_id = self.model.shortcuts.get(shortcut_key(key))
        surface = self._typing_surface()
        if target_id is None or surface is None:
            self._problem(i, f"unknown_shortcut: {self.model.app} has no shortcut {chord!r}")
            return
        target = self.model.controls[target_id]
        effects = traits.effects_of(target, "click")
        if traits.needs_selection(effects) and not self.out.selected:
            self._select_target(i, step)
        call = Call("type_keys", {"keys": key})
        self._emit(i, step, surface, call, effects, performs=target)

    def _delete_selection(self, i: int, step: str) -> None:
        """ "Press Delete" on selected text: replace the selection with nothing."""
        surface = self._typing_surface()
        selection = self.env.state()["ui"].get("selection")
        if surface is None or not isinstance(selection, dict) or selection.get("kind") != "text":
            self._problem(i, "no_selection: nothing selected to delete")
            return
        effects = traits.effects_of(surface, "set_text")
        self._emit(i, step, surface, Call("set_text", {"text": ""}), effects)

    def _resolve_terms(self, i: int, step: str, terms: list[str]) -> list[Control] | None:
        found: list[Control] = []
        for term in terms:
            if traits.pressed_key(step, term) or traits.CELLS.match(term.strip()):
                continue  # a key after typing (the value is committed) or a range to select
            ids, score = resolve.candidates(self.env.index, term)
            if not ids:
                if (
                    traits.is_ui_term(term, step)
                    and not self._is_option(term)
                    and not traits.is_place(step, term)
                ):
                    self._problem(i, f"unknown_control: no control named {term!r} (best {score})")
                    return None
                continue
            related = [e.control.id for e in self.out.events[-1:]] + [c.id for c in found]
            control = resolve.pick(
                self.model,
                ids,
                hint=resolve.type_hint(step, term),
                related=related,
                visible=self.env.visible(),
                usable=self._usable_now(ids),
            )
            found.append(control)
        return found

    def _is_option(self, term: str) -> bool:
        """A term that names a value of a list ("choose **Currency**"), not a control."""
        if self._options is None:
            self._options = {
                normalize_text(o) for c in self.model.controls.values() for o in c.options
            }
        return normalize_text(term) in self._options

    def _title_terms(self, step: str) -> list[str]:
        """UI names in a step without marked terms: the longest runs of capitalised words
        that are exactly a control's text ("Click Two." → "Two")."""
        found = []
        for match in _TITLE_WORDS.finditer(step):
            words = match.group(0).split()
            start = 0
            while start < len(words):
                end = next(
                    (
                        e
                        for e in range(len(words), start, -1)
                        if normalize_text(" ".join(words[start:e])) in self.env.index.by_text
                    ),
                    None,
                )
                if end is None:
                    start += 1
                    continue
                found.append(" ".join(words[start:end]))
                start = end
        return found

    # -- acting -------------------------------------------------------------------------------
    def _act(self, i: int, step: str, control: Control) -> None:
        if self._already_there(control):
            return
        call = self._on_template(control, call_for(control, step, self.target))
        if call.function is None:
            self._problem(i, call.problem)
            return
        effects = traits.effects_of(control, call.function)
        wants = traits.needs_selection(effects) or "selection" in str(control.enabled_when or "")
        if wants and not self.out.selected:
            self._select_target(i, step)
        self._emit(i, step, control, call, effects, nav=control.control_type == "TabItem")

    def _on_template(self, control: Control, call: Call) -> Call:
        """Prefill: a search term the page gives as an example ("type budget") that this
        template does not contain becomes a word the template does contain."""
        text = call.args.get("text") if call.function == "set_text" else None
        searching = control.control_type == "Edit" and traits.SEARCH.search(control.text)
        if isinstance(text, str) and searching and text not in self.doc_text:
            found = invent_value(control.text, self.target)
            if found:
                call = Call("set_text", {"text": found})
        value = call.args.get("text", call.args.get("option"))
        if value is not None and control.control_type in ("Edit", "ComboBox", "DataItem"):
            self.out.values.append(f"{control.text} = {value!r}")
        return call

    def _already_there(self, control: Control) -> bool:
        """A tab already selected, or an opener whose popup is already open."""
        ui = self.env.state()["ui"]
        if control.control_type == "TabItem":
            return bool(ui.get("tab") == control.id)
        opened = [e["target"] for e in control.on.get("click", ()) if e["op"] == "open"]
        return bool(opened) and all(t in ui.get("open", ()) for t in opened)

    def _emit(
        self,
        i: int,
        step: str,
        control: Control,
        call: Call,
        effects: tuple[dict[str, Any], ...],
        *,
        nav: bool = False,
        performs: Control | None = None,
    ) -> bool:
        """Run one action in the dry run and keep it; ``performs``: the control whose click a
        keyboard shortcut typed into ``control`` performs (its effects are ``effects``)."""
        if not self._reach(i, step, control):
            return False
        ui = self.env.state()["ui"]
        selection, fields = copy.deepcopy(ui.get("selection")), dict(ui.get("fields", {}))
        action = _action(len(self.out.actions), step, control, call)
        _, result = self.env.step(action)
        if result.status == "no_effect" and not traits.changes_content(effects):
            self.out.dropped += 1
            if not nav and any(str(e.get("path", "")).startswith("doc.") for e in effects):
                self.out.noops.append(f"{control.text!r} is already in effect (step {i + 1})")
            return True
        if not result.ok:
            self._problem(
                i, f"{result.status}: {call.function} on {control.text!r}: {result.error}"
            )
            return False
        self.out.actions.append(action)
        self.out.selected = self.out.selected or traits.selects(effects)
        if not nav or traits.selects(effects):
            acting = performs or control
            self.out.events.append(Event(action, acting, effects, selection, fields))
        return True

    def _reach(self, i: int, step: str, control: Control) -> bool:
        """Emit the navigation that makes ``control`` visible (and usable) now."""
        if control.id in self.env.visible() and self._usable(control):
            return True
        self._close_blocking_dialog(i, step, control)
        for nav_id in self.model.path_to(control.id):
            nav = self.model.controls[nav_id]
            if self._already_there(nav):
                continue
            call = Call("click", {})
            if not self._emit(i, step, nav, call, traits.effects_of(nav, "click"), nav=True):
                return False
        return True

    def _usable_now(self, ids: list[str]) -> list[str]:
        """Those of ``ids`` a click could reach now: inside the open dialog, if one is open."""
        if not any(
            self.model.controls[p].popup == "dialog" for p in self.env.state()["ui"]["open"]
        ):
            return []
        visible = self.env.visible()
        return [c for c in ids if c in visible and self._usable(self.model.controls[c])]

    def _usable(self, control: Control) -> bool:
        dialogs = [
            p
            for p in self.env.state()["ui"].get("open", ())
            if self.model.controls[p].popup == "dialog"
        ]
        return not dialogs or dialogs[-1] in self.model.ancestors(control.id)

    def _close_blocking_dialog(self, i: int, step: str, control: Control) -> None:
        for popup in reversed(self.env.state()["ui"].get("open", [])):
            if self.model.controls[popup].popup != "dialog":
                continue
            if popup in self.model.ancestors(control.id):
                return
            closer = next(
                (
                    c
                    for c in self.model.controls.values()
                    if popup in self.model.ancestors(c.id)
                    and [e["op"] for e in c.on.get("click", ())] == ["close"]
                ),
                None,
            )
            if closer is None or not self._emit(
                i, step, closer, Call("click", {}), closer.on["click"], nav=True
            ):
                return

    def _type_into(self, i: int, step: str, value: str) -> None:
        """Typing with no control named: into the control last acted on, if it takes text,
        else into the app's typing surface (a formula bar, the document body)."""
        last = self.out.events[-1].control if self.out.events else None
        control = last if last is not None and traits.takes_typing(last) else self._typing_surface()
        if control is None:
            self._problem(i, f"no_input: nothing to type {value!r} into")
            return
        effects = traits.effects_of(control, "set_text")
        self._emit(i, step, control, Call("set_text", {"text": value}), effects)

    def _typing_surface(self) -> Control | None:
        for control in self.model.controls.values():
            ops = {e["op"] for e in traits.effects_of(control, "set_text")}
            surface = control.control_type != "DataItem" and control.accepts("set_text")
            if surface and ops & {"set_cell", "insert_text"}:
                return control
        return None

    # -- the target ---------------------------------------------------------------------------
    def _select_target(self, i: int, step: str) -> None:
        if self.target is None:
            self._problem(i, "no_target: the template has nothing to select")
            return
        for control, call in self._selectors(self.target):
            effects = traits.effects_of(control, call.function or "click")
            if not self._emit(i, step, control, call, effects, nav=True):
                return
        self.out.used_target = True

    def _selectors(self, target: Target) -> list[tuple[Control, Call]]:
        from lamdata.instantiate.selectors import selectors_for

        found = selectors_for(self.model, target)
        if not found:
            self.out.problems.append(f"no_selector: {self.model.app} cannot select {target.kind}")
        return found

    def _problem(self, i: int, reason: str) -> None:
        self.out.problems.append(f"{reason} (step {i + 1})")


def _action(index: int, step: str, control: Control, call: Call) -> Action:
    return Action(
        step=index,
        function=call.function or "click",
        subtask=step,
        control_id=control.id,
        control_text=control.text,
        control_type=control.control_type,
        args_json=call.args_json,
    )
