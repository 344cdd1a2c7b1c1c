"""Intro lines and goal sentences: what the paragraph before a list says about it.

An intro line names the goal of the list after it ("To insert a table, follow these steps:",
"Here's how to print a page:", "How do I turn it off?"), announces steps without a goal ("Do
the following:"), offers alternatives ("Do one of the following:") or says nothing ("Note:").
When the line names no goal of its own ("To do so, ..."), the sentence before it often does
("The fix is to turn off the add-in."). All of it is pure string work, used by the outline
extractor and the plain-text reader.
"""

from __future__ import annotations

import re

from lamdata.ingest.docs.lexicon import words
from lamdata.ingest.docs.procedures import imperative, squash

_TAIL = (
    r"(?:(?:simply|just)\s+)?(?:do the following|follow (?:these|the|the following) steps"
    r"(?: below)?|complete (?:these|the following) steps|use (?:these|the following) steps|"
    r"perform (?:these|the following) steps|take (?:these|the following) steps|proceed as "
    r"follows|use (?:this|the following) procedure|follow this procedure)"
)
_INTRO_TO = re.compile(rf"^(?:to|in order to)\s+(.+?)\s*,\s*{_TAIL}\s*[:.]?$", re.I)
_INTRO_TO_COLON = re.compile(r"^(?:to|in order to)\s+([^,:]+?)(?:,[^:]*)?\s*:$", re.I)
_INTRO_TO_SHORT = re.compile(r"^(?:to|in order to)\s+([^,.:;!?]{3,80})[,:]?$", re.I)
_INTRO_FOLLOW = re.compile(
    r"^(?:follow|use|complete|perform|take) (?:these|the following|the|this) "
    r"(?:steps?|procedure|instructions)(?: below)? to (.+?)\s*[:.]?$",
    re.I,
)
_INTRO_HOW = re.compile(
    r"^(?:(?:here'?s|here is|this is|the following (?:steps|procedure|instructions) "
    r"(?:shows?|describes?|explains?)(?: you)?) how(?: (?:to|you can) (.+?))?|how to (.+?)|"
    r"how (?:do|can|should) (?:i|you|we) (.+?)\?)\s*[:.?]?$",
    re.I,
)
_INTRO_STEPS = re.compile(
    r"(?:^(?:do|follow|complete|perform) the following|following steps|these steps|"
    r"as follows|^steps?\s*:|^instructions\s*:|^procedure\s*:|^here'?s how)",
    re.I,
)
_INTRO_CHOICE = re.compile(
    r"(?:\b(?:one|any|some|either|each|all) of the following|\bfollowing (?:ways|options|"
    r"methods)\b|\b(?:two|three|four|several|many|multiple|different|other) (?:ways|options|"
    r"methods)\b|\bways to\b|\binclude\b|\bsuch as\b|\bincludes\b|\bwhat's new\b)",
    re.I,
)
_PRONOUN_GOAL = re.compile(
    r"^(?:\S+)(?: (?:it|this|that|them|these|those|so|the following))?$|"
    r"^\S+ (?:it|this|that|them|these|those|so)\b",
    re.I,
)
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[A-Z0-9\"“'(])")


def parse_intro(text: str) -> tuple[str | None, str | None]:
    """(goal, kind) of a paragraph before a list: kind is goal, steps, problem, choice, colon
    or None ("problem": "To solve this problem, ...", the goal is the phrase itself).

    "To do so, follow these steps:" names no goal itself; the sentence before it often does
    ("The fix is to turn off the add-in. To do so, ..."), and is used when it reads as one."""
    parts = SENTENCE_END.split(squash(text))
    sentence = parts[-1] if parts else ""
    for pattern in (_INTRO_TO, _INTRO_TO_COLON, _INTRO_TO_SHORT, _INTRO_FOLLOW, _INTRO_HOW):
        match = pattern.match(sentence)
        if match:
            if _CHOICE_TAIL.search(sentence):
                return None, "choice"
            goal = next((g for g in match.groups() if g), None)
            if goal and _PRONOUN_GOAL.match(goal):
                named = _previous_goal(parts[-2]) if len(parts) > 1 else None
                if named is None and PROBLEM.match(goal):
                    return goal, "problem"
                goal = named
            return (goal, "goal") if goal else (None, "steps")
    if _INTRO_STEPS.search(sentence) and not _INTRO_CHOICE.search(sentence):
        return None, "steps"
    if sentence.endswith(":"):
        return None, "choice" if _INTRO_CHOICE.search(sentence) else "colon"
    return None, None


#: "To solve this problem": the goal is fixing what the section heading describes.
PROBLEM = re.compile(
    r"^(solve|fix|resolve|correct|troubleshoot|repair|work around|address|avoid|prevent)\s+"
    r"(?:this|that|the)\s+(problem|issue|error|behaviou?r|message|symptom|situation)s?$",
    re.I,
)
_CHOICE_TAIL = re.compile(r"\b(?:one|any|either) of (?:the following|these|those)\b", re.I)
_PREVIOUS_GOAL = re.compile(
    r"^(?:(?:the|a|an|one|another|an alternative)\s+(?:\w+\s+){0,3}?(?:is|was) to|"
    r"(?:you|users?) (?:can|may|might|will|should|must|need to|have to|want to)(?: also)?|"
    r"(?:it is|it's) (?:possible|best|easiest|recommended) to|to fix this,? |"
    r"(?:the|a) (?:\w+\s+){0,3}?(?:approach|way|option|solution|workaround|fix) (?:\w+\s+){0,4}?"
    r"is to)\s+(.+?)[.!]?$",
    re.I,
)


def _previous_goal(sentence: str) -> str | None:
    """The goal a sentence names ("... is to disable the add-in", "You can filter tasks by
    date") when it is an infinitive or imperative clause; else None."""
    match = _PREVIOUS_GOAL.match(sentence.strip())
    if match is None:
        return None
    goal = re.split(r",\s*(?:which|so that|because|since|as)\b", match.group(1))[0].strip()
    return goal if goal and imperative(goal)[1] and len(goal) <= 120 else None


#: "If you're not already viewing it, follow these steps:": steps that only get somewhere.
WHERE_PREAMBLE = re.compile(
    r"^if (?:you(?:'re|’re| are) not|you aren'?t|you are not) (?:already|yet|currently)\b"
    r"|^if (?:the|this|that) (?:\w+ ){0,3}(?:is not|isn'?t) (?:already )?(?:open|opened|"
    r"displayed|visible|shown|showing)\b",
    re.I,
)
_NAV_VERBS = frozenset(
    words(
        "open go navigate click choose select double-click tap switch expand display view show "
        "launch start press"
    )
)
_WHERE = frozenset(words("on under in from at within"))


def navigates(text: str) -> bool:
    """Does a step only get somewhere ("Open the Edit menu", "Under Privacy, click Cookies")?"""
    first = text.split(None, 1)[0].lower().strip(",") if text.strip() else ""
    if first in _WHERE and "," in text:
        first = (text.split(",", 1)[1].split(None, 1) or [""])[0].lower()
    return first in _NAV_VERBS


_NOT_GOALS = frozenset(words("see find read learn notice look get"))


def lead_goal(text: str) -> str | None:
    """The goal of a one-sentence paragraph right before a list that names one ("You can also
    turn tabs on and off."), not counting what one merely sees ("You can see the list.")."""
    text = squash(text)
    if text[-1:] not in ".!" or len(SENTENCE_END.split(text)) > 1:
        return None
    goal = _previous_goal(text)
    if goal is None or goal.split(None, 1)[0].lower() in _NOT_GOALS:
        return None
    return goal
