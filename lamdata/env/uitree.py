"""``uitree``: the deterministic simulator of an app model behind the Environment protocol.

Every action is validated before it runs (function, arguments, control, visibility, enabled
state, accepted function, ComboBox options) and after (the state must change, else
``no_effect``). A failed effect leaves the state exactly as it was. Visibility is cached per
UI situation (tab, open popups, selection, and the values the rules read), which keeps a step
in the tens of microseconds.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from lamdata.env.appmodel import AppModel, Control, shortcut_key
from lamdata.env.base import StepResult
from lamdata.env.controls import CONTROL_FREE, default_effects
from lamdata.env.documents import EffectError
from lamdata.env.effects import Context, apply_effects, enclosing_popup, touches_doc
from lamdata.env.matching import FUZZY_THRESHOLD, ControlIndex
from lamdata.env.paths import MISSING, compare, get_path
from lamdata.env.rules import holds, state_leaves
from lamdata.hashing import canonical_json, content_hash
from lamdata.records import FUNCTIONS, Action, Check
from lamdata.validation import validate_args

VERSION = "1"
_STATELESS = ("scroll", "wait", "finish")
#: Rules on a path that only read its size: the visibility cache keys on the size.
_LEN_OPS = ("len_eq", "len_ge", "len_le", "exists", "not_exists")


def _size(value: Any) -> int | None:
    if isinstance(value, list | dict | str):
        return len(value)
    return None if value is MISSING or value is None else -1


class UITreeEnv:
    """One app model; ``reset(template_id)`` then ``step(action)`` repeatedly."""

    kind = "uitree"

    def __init__(self, model: AppModel, *, threshold: float = FUZZY_THRESHOLD) -> None:
        self.model = model
        self.version = f"{VERSION}:{model.app}@{model.version}"
        self.index = ControlIndex(model, threshold)
        leaves = [leaf for c in model.controls.values() for leaf in state_leaves(c.visible_when)]
        self._path_leaves = [
            (leaf["path"], leaf.get("op", "exists"), leaf.get("value"))
            for leaf in leaves
            if set(leaf) <= {"path", "op", "value"}
        ]
        self._leaves = [leaf for leaf in leaves if not set(leaf) <= {"path", "op", "value"}]
        by_len = {p for p, _, _ in self._path_leaves} - {
            p for p, op, _ in self._path_leaves if op not in _LEN_OPS
        }
        self._len_paths = sorted(by_len)
        self._path_leaves = [leaf for leaf in self._path_leaves if leaf[0] not in by_len]
        self._paths = sorted({p for p, _, _ in self._path_leaves})
        self._visible_cache: dict[str, frozenset[str]] = {}
        self._visible_memo: tuple[str, frozenset[str]] = ("", frozenset())
        self._templates = {
            t: (canonical_json(m.ui), canonical_json(m.document))
            for t, m in model.templates.items()
        }
        self._args_memo: dict[tuple[str, str], Any] = {}
        self._obs_cache: dict[frozenset[str], str] = {}
        self._state: dict[str, Any] = {}
        self._json = self._ui_json = self._doc_json = ""

    # -- protocol ---------------------------------------------------------------------------
    def reset(self, template: str) -> str:
        self._ui_json, self._doc_json = self._templates[template]
        self._state = {"ui": json.loads(self._ui_json), "doc": json.loads(self._doc_json)}
        self._json = _join(self._ui_json, self._doc_json)
        return self.observe()

    def state(self) -> dict[str, Any]:
        return self._state

    def state_json(self) -> str:
        """The canonical JSON of :meth:`state` (kept up to date; do not mutate the state)."""
        return self._json

    def state_hash(self) -> str:
        return content_hash(self._json)

    def observe(self) -> str:
        visible = self.visible()
        cached = self._obs_cache.get(visible)
        if cached is None:
            cached = self._render(visible)
            self._obs_cache[visible] = cached
        return cached

    def check(self, check: Check) -> tuple[bool, str]:
        return evaluate_check(self._state, check)

    def step(self, action: Action) -> tuple[str, StepResult]:
        result = self._step(action)
        return result.observation, result

    # -- validation -------------------------------------------------------------------------
    def _step(self, action: Action) -> StepResult:
        fn = action.function
        if fn not in FUNCTIONS:
            return self._result("unsupported_action", f"unknown function {fn!r}")
        args = self._args(fn, action.args_json or "{}")
        if isinstance(args, str):
            return self._result("bad_args", args)
        if fn in CONTROL_FREE:
            return self._result("ok")
        visible = self.visible()
        cid, score = self.index.resolve(
            action.control_id,
            action.control_text,
            action.control_type,
            lambda c: (c in visible, c in visible and self._enabled(c)),
        )
        if cid is None:
            name = action.control_id or action.control_text
            return self._result("unknown_control", f"no control {name!r}", score=score)
        return self._run(self.model.controls[cid], fn, args, visible, score)

    def _run(
        self,
        control: Control,
        fn: str,
        args: dict[str, Any],
        visible: frozenset[str],
        score: float | None,
    ) -> StepResult:
        def fail(status: str, error: str) -> StepResult:
            return self._result(status, error, control.id, score)

        if control.id not in visible:
            path = [self.model.controls[c].text for c in self.model.path_to(control.id)]
            return fail("not_visible", f"{control.text!r} is not visible; open first: {path}")
        if not control.accepts(fn):
            return fail("unsupported_action", f"a {control.control_type} does not accept {fn}")
        if not self._enabled(control.id):
            return fail("disabled", f"{control.text!r} is disabled now")
        choice = args.get("option", args.get("text")) if fn in ("select", "set_text") else None
        if control.options and choice is not None and choice not in control.options:
            return fail("bad_args", f"{choice!r} is not an option of {control.text!r}")
        acting = self._shortcut(fn, args) or control
        if acting is not control and not self._enabled(acting.id):
            return fail("disabled", f"the shortcut's {acting.text!r} is disabled now")
        effects = self._effects(acting, "click" if acting is not control else fn)
        if fn in _STATELESS and not effects:
            return self._result("ok", "", control.id, score)
        try:
            touched = self._apply(acting, effects, args)
        except EffectError as exc:
            self._state["ui"] = json.loads(self._ui_json)
            if touches_doc(effects):
                self._state["doc"] = json.loads(self._doc_json)
            return fail(exc.status, str(exc))
        ui_json = canonical_json(self._state["ui"])
        doc_json = canonical_json(self._state["doc"]) if touched else self._doc_json
        if ui_json == self._ui_json and doc_json == self._doc_json:
            return fail("no_effect", f"{fn} on {control.text!r} changed nothing")
        self._ui_json, self._doc_json = ui_json, doc_json
        self._json = _join(ui_json, doc_json)
        return self._result("ok", "", control.id, score)

    def _shortcut(self, fn: str, args: dict[str, Any]) -> Control | None:
        """The control a keyboard shortcut typed with ``type_keys`` stands for, if any."""
        if fn != "type_keys" or not self.model.shortcuts:
            return None
        target = self.model.shortcuts.get(shortcut_key(str(args.get("keys", ""))))
        return self.model.controls[target] if target else None

    def _effects(self, control: Control, fn: str) -> tuple[dict[str, Any], ...]:
        return control.on.get(fn) or default_effects(control.id, control.control_type, fn)

    def _apply(
        self, control: Control, effects: tuple[dict[str, Any], ...], args: dict[str, Any]
    ) -> bool:
        ui = self._state["ui"]
        popup = enclosing_popup(self.model, control.id)
        in_menu = popup is not None and self.model.controls[popup].popup == "menu"
        opens_menu = any(
            e["op"] == "open" and self.model.controls[e["target"]].popup == "menu" for e in effects
        )
        if not in_menu and not opens_menu:
            ui["open"] = [p for p in ui["open"] if self.model.controls[p].popup != "menu"]
        touched = apply_effects(Context(self.model, self._state, control, args), effects)
        if in_menu and not opens_menu:
            ui["open"] = [p for p in ui["open"] if self.model.controls[p].popup != "menu"]
        if control.control_type in ("Edit", "ComboBox", "Document", "DataItem") and effects:
            ui["focus"] = control.id
        return touched

    def _args(self, fn: str, args_json: str) -> dict[str, Any] | str:
        """The parsed arguments, or the error text (memoized: plans repeat arguments)."""
        key = (fn, args_json)
        found = self._args_memo.get(key)
        if found is None:
            found = _check_args(fn, args_json)
            if len(self._args_memo) > 50_000:
                self._args_memo.clear()
            self._args_memo[key] = found
        return copy.deepcopy(found) if isinstance(found, dict) else found

    # -- visibility -------------------------------------------------------------------------
    def _situation(self) -> str:
        ui = self._state["ui"]
        sel = ui.get("selection")
        kind = sel.get("kind") if isinstance(sel, dict) else None
        sizes = [_size(get_path(self._state, p)) for p in self._len_paths]
        values = {p: get_path(self._state, p) for p in self._paths}
        bits = [compare(op, values[p], v) for p, op, v in self._path_leaves]
        bits += [holds(leaf, self._state) for leaf in self._leaves]
        leaves = "".join("1" if b else "0" for b in bits)
        head = f"{ui.get('tab')}|{','.join(ui.get('open', ()))}|{sel is not None}|{kind}"
        return f"{head}|{sizes}|{leaves}"

    def visible(self) -> frozenset[str]:
        """Ids of the controls visible in the current state."""
        memo_json, memo = self._visible_memo
        if memo_json is self._json:
            return memo
        key = self._situation()
        found = self._visible_cache.get(key)
        if found is None:
            found = frozenset(self._compute_visible())
            self._visible_cache[key] = found
        self._visible_memo = (self._json, found)
        return found

    def _compute_visible(self) -> list[str]:
        shown: dict[str, bool] = {}
        open_ = set(self._state["ui"].get("open", ()))
        for cid, control in self.model.controls.items():  # parents precede children or recurse
            shown[cid] = self._is_visible(control, shown, open_)
        return [c for c, v in shown.items() if v]

    def _is_visible(self, control: Control, shown: dict[str, bool], open_: set[str]) -> bool:
        if control.id in shown:
            return shown[control.id]
        if control.parent is not None:
            parent = self.model.controls[control.parent]
            if not self._is_visible(parent, shown, open_):
                shown[control.id] = False
                return False
        ok = (not control.popup or control.id in open_) and holds(control.visible_when, self._state)
        shown[control.id] = ok
        return ok

    def _enabled(self, cid: str) -> bool:
        dialogs = [
            p for p in self._state["ui"].get("open", ()) if self.model.controls[p].popup == "dialog"
        ]
        chain = [*self.model.ancestors(cid), cid]
        if dialogs and dialogs[-1] not in chain:
            return False
        return all(holds(self.model.controls[c].enabled_when, self._state) for c in chain)

    def _render(self, visible: frozenset[str]) -> str:
        ui = self._state["ui"]
        names = [
            f"{c.text}[{c.control_type}]"
            for cid, c in self.model.controls.items()
            if cid in visible and c.control_type != "DataItem" and c.text
        ]
        cells = sum(1 for cid in visible if self.model.controls[cid].control_type == "DataItem")
        head = f"tab={ui.get('tab')} open={ui.get('open')} cells={cells}"
        return head + " | " + "; ".join(names)

    def _result(
        self, status: str, error: str = "", matched: str | None = None, score: float | None = None
    ) -> StepResult:
        return StepResult(
            status=status,
            error=error,
            matched_control=matched,
            match_score=score,
            observation=self.observe(),
            state_hash=self.state_hash(),
        )


def _join(ui_json: str, doc_json: str) -> str:
    """The canonical JSON of ``{"ui": ..., "doc": ...}`` from its two halves."""
    return '{"doc":' + doc_json + ',"ui":' + ui_json + "}"


def _check_args(fn: str, args_json: str) -> dict[str, Any] | str:
    try:
        args = json.loads(args_json)
    except json.JSONDecodeError as exc:
        return f"args_json is not JSON: {exc.msg}"
    problems = validate_args(fn, args)
    if problems:
        pointer, message = problems[0]
        return f"{fn} args at {pointer or '/'}: {message}"
    return args if isinstance(args, dict) else f"{fn} args must be an object"


def evaluate_check(state: dict[str, Any], check: Check) -> tuple[bool, str]:
    """(passed, detail) of one check against a state."""
    try:
        actual = get_path(state, check.path)
        expected = json.loads(check.value_json or "null")
    except (ValueError, json.JSONDecodeError) as exc:
        return False, f"bad check: {exc}"
    passed = compare(check.op, actual, expected)
    shown = "missing" if actual is MISSING else canonical_json(actual)
    return passed, f"{check.path} = {shown[:200]}; expected {check.op} {check.value_json}"
