"""The filter's rules: is a task-plan something one app can do on one document, offline?

The paper's third phase keeps an instance only when its task can be carried out inside the
application on the chosen template. Rules here recognise the three common reasons why not,
each as its own verdict kind so a reader can count and audit them:

- ``non_task``: the text asks for information or explanation, not for an action;
- ``external_app``: the plan needs another program (a mail client, a browser, the file
  manager, another of the sample apps);
- ``env_change``: the plan changes the machine or the account (install, sign in, system
  settings, files outside the document).

Rules are whole-word, case-insensitive patterns over the task and its steps, written in one
table so adding a rule is one line; the pattern that fired is part of the reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lamdata.records import Verdict

_NON_TASK_START = re.compile(
    r"^\s*(what|why|who|when|where|which|is|are|does|do|can|should)\b[^.]*\?\s*$"
    r"|^\s*(what\s+is|what\s+are|why|overview|introduction|about|learn\s+about|"
    r"understand(ing)?|tips\s+for|faq|frequently\s+asked|history\s+of|glossary|"
    r"system\s+requirements|keyboard\s+shortcuts\s+(in|for)|difference\s+between)\b",
    re.I,
)

_EXTERNAL = (
    r"outlook|gmail|thunderbird|e-?mail\s+(it|the|this|a)|send\s+(it\s+)?(as|by|via)\s+e-?mail",
    r"web\s+browser|chrome|firefox|safari|microsoft\s+edge|internet\s+explorer",
    r"file\s+explorer|windows\s+explorer|finder|notepad|ms\s+paint|photoshop|acrobat\s+reader|"
    r"onedrive|sharepoint|dropbox|google\s+drive|google\s+docs|microsoft\s+teams|skype",
)
_APP_NAMES = {
    "word": r"microsoft\s+word|(open|start|launch|in|switch\s+to)\s+word\b|word\s+document",
    "excel": r"excel|spreadsheet\s+program|workbook",
    "powerpoint": r"powerpoint|presentation\s+program",
}
_ENV_CHANGE = (
    r"install(ing|ed)?|uninstall|download(ing)?|add-?ins?|plug-?ins?",
    r"sign(ing)?\s+(in|out|into)|log(ging)?\s+(in|out|into)|subscription|licen[cs]e|"
    r"activate\s+(office|the\s+product)|product\s+key|account\s+settings",
    r"control\s+panel|windows\s+settings|system\s+settings|registry|restart\s+(your|the)\s+"
    r"(computer|pc)|reboot|update\s+(office|windows)|printer\s+driver|add\s+a\s+printer",
    r"(delete|remove|rename|move)\s+(the\s+)?(unwanted\s+)?(recovered\s+)?files?\b|"
    r"recycle\s+bin|temp(orary)?\s+folder|unsaved\s+files?\s+folder",
    r"language\s+pack|default\s+program|file\s+association",
)


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]

    def first_hit(self, text: str) -> str | None:
        match = self.pattern.search(text)
        return match.group(0) if match else None


def _rule(kind: str, alternatives: Sequence[str]) -> Rule:
    body = "|".join(f"(?:{a})" for a in alternatives)
    return Rule(kind, re.compile(rf"\b(?:{body})\b", re.I))


_EXTERNAL_RULE = _rule("external_app", _EXTERNAL)
_ENV_RULE = _rule("env_change", _ENV_CHANGE)


def _other_app_rule(app: str | None) -> Rule | None:
    others = [pattern for name, pattern in _APP_NAMES.items() if name != app]
    return _rule("external_app", others) if app in _APP_NAMES and others else None


def classify(task: str, steps: Sequence[str], app: str | None) -> Verdict | None:
    """A rejecting verdict when a rule recognises the task-plan as infeasible, else None."""
    if _NON_TASK_START.search(task):
        return Verdict(keep=False, kind="non_task", reason=f"non_task: {task!r} asks, not acts")
    text = "\n".join([task, *steps])
    for rule in (_ENV_RULE, _EXTERNAL_RULE, _other_app_rule(app)):
        hit = rule.first_hit(text) if rule else None
        if rule and hit:
            what = "another application" if rule.kind == "external_app" else "the environment"
            return Verdict(
                keep=False, kind=rule.kind, reason=f"{rule.kind}: needs {what} ({hit!r})"
            )
    return None


def not_actionable(steps: Sequence[str], grounded: int) -> Verdict | None:
    """A plan none of whose steps acts on the app is informational (``non_task``)."""
    if steps and grounded == 0:
        return Verdict(
            keep=False, kind="non_task", reason="non_task: no step names an action on the app"
        )
    return None
