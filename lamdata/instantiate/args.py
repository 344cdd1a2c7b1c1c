"""Which function to call on a grounded control, and with which arguments.

Values come from the step's own text, near the control's name ("type 3 in **Number of
columns**"): a quoted value, a number, a cell reference, or an option the control really offers.
An input the plan leaves open gets a concrete value from :func:`prefill.invent_value`. A
ComboBox never gets a value that is not one of its options: that is a grounding failure with a
reason, not a guess.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from lamdata.env import Control
from lamdata.instantiate.prefill import Target, invent_option, invent_value
from lamdata.instantiate.text import cell_refs, find_option, formulas, numbers, quoted

_TYPING = re.compile(r"\b(type|enter|write|input|fill\s+in|set)\b", re.I)
#: An unquoted literal after a typing verb: capitalised words ("Type Quarterly Results.").
_LITERAL = re.compile(
    r"\s+(?!(?:The|A|An|Your|Any|Some)\b)([A-Z0-9][\w&'’-]*(?:\s+[A-Z0-9][\w&'’-]*)*)"
)
_DOUBLE = re.compile(r"\bdouble[- ]?click", re.I)


@dataclass(frozen=True)
class Call:
    """A function with its arguments, or the reason none could be chosen."""

    function: str | None
    args: dict[str, Any]
    problem: str = ""

    @property
    def args_json(self) -> str:
        return json.dumps(self.args, sort_keys=True, ensure_ascii=False)


_BOUNDARY = re.compile(r"[,;.:]\s|[,;]|\.$|\b(and|then|or)\b", re.I)
#: What may sit between a control's name and its value: "**Find what** box, type x".
_LEAD = re.compile(r"^[\s*\"'’,;:]*(?:(?:check\s+)?box|field|list|button|menu|tab)?[\s,;:]*", re.I)
#: A short unquoted value after a typing verb: "type colour", "enter Q3 totals".
_SHORT_LITERAL = re.compile(
    r"\b(?:type|enter|write|input)\s+(?!(?:the|a|an|your|any|some|its|their|this|that)\b)"
    r"([\w@&'’.-]+(?:\s+[\w@&'’.-]+){0,3}?)\s*(?=$|[,;:]|\.\s|\.$|\s+(?:in|into|and|then)\b)",
    re.I,
)


def near(step: str, name: str) -> tuple[str, str]:
    """The clause after the control's name in ``step`` and the clause before it: where a
    value for that control is written ("in **Rows** type 5", "type 5 in **Rows**")."""
    pos = step.casefold().find(name.casefold())
    if pos < 0:
        return step, ""
    after = step[pos + len(name) :]
    after = _LEAD.sub("", after)
    end = _BOUNDARY.search(after)
    before = step[:pos]
    starts = [m.end() for m in _BOUNDARY.finditer(before)]
    return after[: end.start() if end else len(after)], before[starts[-1] if starts else 0 :]


def call_for(control: Control, step: str, target: Target | None) -> Call:
    """The call a plan step makes on ``control``."""
    ctype = control.control_type
    after, before = near(step, control.text)
    if ctype == "ComboBox":
        return _combo(control, (after, before), step, target)
    if ctype == "Edit":
        return _edit(control, (after, before), step, target)
    if ctype == "DataItem" and _TYPING.search(step) and control.accepts("set_text"):
        value = _value_near((after, before))
        if value is not None:
            return Call("set_text", {"text": value})
    if _DOUBLE.search(before + after) and control.accepts("double_click"):
        return Call("double_click", {})
    if control.accepts("click"):
        return Call("click", {})
    return Call(None, {}, f"unsupported: no function of {control.text!r} fits the step")


def _combo(control: Control, parts: tuple[str, str], step: str, target: Target | None) -> Call:
    options = list(control.options)
    option = None
    for text in (*parts, step.replace(control.text, " ")):
        option = option or (find_option(text, options) if options else None)
    option = option or invent_option(control.text, options, target)
    if option is not None:
        return Call("select", {"option": option})
    if not options and control.accepts("set_text"):
        value = _value_near(parts)
        if value is not None:
            return Call("set_text", {"text": value})
    shown = ", ".join(options[:8]) + ("..." if len(options) > 8 else "")
    return Call(None, {}, f"bad_option: the step names no option of {control.text!r} ({shown})")


def _edit(control: Control, parts: tuple[str, str], step: str, target: Target | None) -> Call:
    value = _value_near(parts)
    if value is None and control.accepts("click") and not _TYPING.search(step):
        return Call("click", {})
    if value is None:
        value = invent_value(control.text, target)
    if value is None:
        return Call(None, {}, f"no_value: the step gives no value for {control.text!r}")
    return Call("set_text", {"text": value})


def _value_near(parts: tuple[str, str]) -> str | None:
    for text in parts:
        value = _value_in(text)
        if value is not None:
            return value
    for text in parts:
        literal = _SHORT_LITERAL.search(text)
        if literal:
            return literal.group(1).rstrip(".")
    return None


def typed_value(step: str) -> str | None:
    """The value a typing step writes ("Type 42", "enter =SUM(B2:B6)"), if it says one."""
    match = _TYPING.search(step)
    if not match:
        return None
    for found in (quoted(step), formulas(step), numbers(step)):
        if found:
            return found[0]
    literal = _LITERAL.match(step[match.end() :])
    return literal.group(1).strip() if literal else None


def _value_in(text: str) -> str | None:
    for found in (quoted(text), formulas(text), cell_refs(text), numbers(text)):
        if found:
            return found[0]
    return None
