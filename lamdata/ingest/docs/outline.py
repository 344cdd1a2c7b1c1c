"""The one extractor that reads the block outline every markup reader produces.

HTML, Markdown and plain-text readers differ in syntax only: each turns its document into a flat
sequence of blocks (``blocks.py``) and leaves finding procedures to :func:`extract`, so a rule
learned on one format (intro lines, continued lists, "Step 1" paragraphs, sections that hold no
procedure) works for all of them.

What makes a procedure: an ordered list whose items mostly read like instructions, under a goal
(an intro line such as "To insert a table:", read by ``intro.py``; else the nearest heading
that reads like a task, else the page title); an unordered list only when an intro line or a
task heading announces steps and every item is an instruction. Lists of alternatives ("Do one
of the following:"), links, features and anything under "Tips", "See also" and the like are not
procedures.
"""

from __future__ import annotations

import re

from lamdata.ingest.docs.base import Procedure, Step
from lamdata.ingest.docs.blocks import Block, Heading, Item, ListBlock, Para, coalesce
from lamdata.ingest.docs.intro import (
    PROBLEM,
    SENTENCE_END,
    WHERE_PREAMBLE,
    lead_goal,
    navigates,
)
from lamdata.ingest.docs.intro import parse_intro as parse_intro  # re-exported
from lamdata.ingest.docs.procedures import (
    imperative,
    is_instruction,
    is_means,
    is_non_procedure_section,
    is_reference_list,
    is_soft_section,
    make_step,
    method_task,
    squash,
    strip_numbering,
)

_ABBREV = ("e.g.", "i.e.", "etc.", "fig.", "vs.", "no.", "approx.", "mr.", "dr.", "st.")


# -- steps -----------------------------------------------------------------------------------
def first_sentence(text: str) -> str:
    """The first sentence of a step (the WikiHow rule: the rest is detail)."""
    for match in SENTENCE_END.finditer(text):
        before = text[: match.start()].rsplit(" ", 1)[-1].lower()
        if before not in _ABBREV and not re.fullmatch(r"[a-z]\.", before):
            return text[: match.start()].strip()
    return text.strip()


def item_step(item: Item, *, lead_only: bool = False) -> Step | None:
    """The step an item stands for; sub-steps are appended to it, in order."""
    if lead_only:
        text = item.lead or first_sentence(strip_numbering(squash(item.text)))
        return make_step(text, item.terms)
    text, terms = item.text, list(item.terms)
    for sub in item.sublists:
        subs = [s for s in (_flat(i) for i in sub.items if not i.link_only) if s[0]]
        if not subs:
            continue
        short = all(len(s[0].split()) <= 4 and not is_instruction(s[0]) for s in subs)
        joined = ", ".join(s[0] for s in subs) if short else " ".join(_end(s[0]) for s in subs)
        text = f"{text}{'' if not text or text[-1] in '.!?:;' else ':'} {joined}".strip()
        terms.extend(t for s in subs for t in s[1])
    return make_step(text, terms)


def _flat(item: Item) -> tuple[str, list[str]]:
    step = item_step(item)
    return (step.text, step.ui_terms) if step else ("", [])


def _end(text: str) -> str:
    return text if text[-1:] in ".!?:;" else text + "."


# -- procedures ------------------------------------------------------------------------------
#: A heading that only numbers an alternative ("Method 2", "Option A", "Part 1 of 3"): it names
#: no goal, so the task comes from the intro line or the enclosing section.
_BARE_LABEL = re.compile(
    r"^\s*(?:method|option|part|way|approach|solution|alternative|variant)\s*"
    r"(?:\d{1,2}|[A-Z]|[IVX]{1,4})(?:\s*of\s*\d{1,2})?\s*[:.)\-–—]?\s*$",
    re.I,
)


class _Extractor:
    def __init__(self, title: str, lang: str, lead_only: bool) -> None:
        self.title = squash(title)
        self.lang = lang
        self.lead_only = lead_only
        self.stack: list[Heading] = []
        self.intros: list[Para] = []
        self.last: Procedure | None = None
        self.out: list[Procedure] = []
        self.soft = False
        self.adjacent: Para | None = None

    def run(self, blocks: list[Block]) -> list[Procedure]:
        skip = False
        for block in coalesce(blocks):
            if isinstance(block, Heading):
                skip = self.heading(block)
            elif isinstance(block, Para):
                if not block.callout:
                    self.intros = [*self.intros[-2:], block]
            elif isinstance(block, ListBlock):
                if not skip:
                    self.procedure(block)
                self.intros = []
            self.adjacent = block if isinstance(block, Para) and not block.callout else None
        return self.out

    def heading(self, block: Heading) -> bool:
        text = squash(block.text)
        if not self.stack and block.level == 1 and text == self.title:
            return False
        while self.stack and self.stack[-1].level >= block.level:
            self.stack.pop()
        self.stack.append(Heading(block.level, text))
        self.intros, self.last = [], None
        self.soft = any(is_soft_section(h.text) for h in self.stack)
        return any(is_non_procedure_section(h.text) for h in self.stack)

    def procedure(self, block: ListBlock) -> None:
        goal, kind, intro = None, None, None
        for para in reversed(self.intros):
            goal, kind = parse_intro(para.text)
            if kind is None and para is self.adjacent:
                goal = lead_goal(para.text)
                kind = "goal" if goal else None
            if kind:
                intro = para
                break
        asked = self._asked(intro) if kind in ("colon", "steps") and intro is not None else None
        if asked is not None:
            goal, intro = asked
            kind = "goal"
        if kind == "choice":
            return
        items = [i for i in block.items if not i.link_only]
        steps = [s for s in (item_step(i, lead_only=self.lead_only) for i in items) if s]
        if not steps:
            return
        if self._continues(block, kind, steps):
            return
        if is_reference_list([s.text for s in steps]) or self._only_gets_there(intro, steps):
            return
        instructions = sum(is_instruction(s.text, self.lang) for s in steps)
        if not instructions or instructions * 2 < len(steps):
            return
        task, sure = self.problem(goal) if kind == "problem" and goal else self.goal(goal)
        announced = kind in ("goal", "steps", "problem")
        if not block.ordered and not (announced and instructions == len(steps)):
            return
        if self.soft and not announced and not _sure_task(self.stack[-1].text):
            return
        if not task or (len(steps) == 1 and not (sure and instructions)):
            return
        path = [h.text for h in self.stack]
        if kind == "goal" and intro is not None:
            path.append(SENTENCE_END.split(squash(intro.text))[-1].rstrip(":").strip())
        locator = " > ".join(p for p in [self.title, *path] if p)
        self.last = Procedure(task=task, steps=steps, locator=locator)
        self.out.append(self.last)

    def _asked(self, lead: Para) -> tuple[str, Para] | None:
        """A "How to X?" / "How do I X?" question line before the lead-in line of a list
        ("It's easy:") is the list's goal."""
        before = self.intros[: self.intros.index(lead)]
        for para in reversed(before):
            text = squash(para.text)
            if text.endswith("?") and len(SENTENCE_END.split(text)) == 1:
                asked, kind = parse_intro(text)
                if kind == "goal" and asked:
                    return asked, para
        return None

    def _only_gets_there(self, intro: Para | None, steps: list[Step]) -> bool:
        """ "If you're not already viewing it, follow these steps" in a reference section
        (its heading names no task): steps that only open the panel it describes."""
        if intro is None or len(steps) > 4:
            return False
        sentence = SENTENCE_END.split(squash(intro.text))[-1]
        if not WHERE_PREAMBLE.match(sentence) or not all(navigates(s.text) for s in steps):
            return False
        named = [h.text for h in self.stack if not _BARE_LABEL.match(h.text)]
        return not _sure_task(named[-1] if named else self.title)

    def _continues(self, block: ListBlock, kind: str | None, steps: list[Step]) -> bool:
        last = self.last
        if last is None or not block.ordered or block.start <= 1 or kind == "goal":
            return False
        if len(last.steps) != block.start - 1:
            return False
        last.steps.extend(steps)
        return True

    def problem(self, phrase: str) -> tuple[str, bool]:
        """The task of "To solve this problem, follow these steps" under a symptom heading
        ("Port 80 in use"): the intro's verb and noun around the quoted heading ('Solve the
        "Port 80 in use" problem'); a heading that names a task is the task itself."""
        named = [h.text for h in self.stack if not _BARE_LABEL.match(h.text)]
        match = PROBLEM.match(phrase)
        heading = named[-1].strip(" :.") if named else ""
        if match is None or not heading or self.lang != "en" or _sure_task(heading):
            return self.goal(None)
        verb, noun = match.group(1), match.group(2).lower()
        return f'{verb[:1].upper()}{verb[1:].lower()} the "{heading}" {noun}', True

    def goal(self, intro_goal: str | None) -> tuple[str, bool]:
        named = [h.text for h in self.stack if not _BARE_LABEL.match(h.text)]
        fallback = named[-1] if named else self.title
        if self.lang != "en":
            text = squash(intro_goal or fallback).strip(" :：")
            return text, bool(text)
        if intro_goal:
            task, _ = imperative(intro_goal)
            if task:
                return task, True
        texts = [*reversed(named), self.title]
        for index, text in enumerate(texts):
            task, sure = imperative(text)
            if not sure:
                continue
            if is_means(text):
                upper = next((u for u in texts[index + 1 :] if _sure_task(u)), None)
                if upper is not None:
                    return method_task(imperative(upper)[0], text), True
            return task, True
        return (imperative(fallback)[0], False) if fallback else ("", False)


def _sure_task(text: str) -> bool:
    return bool(text) and imperative(text)[1] and not is_means(text)


def extract(
    blocks: list[Block], *, title: str, lang: str = "en", lead_only: bool = False
) -> list[Procedure]:
    """Every procedure in a block outline, in document order."""
    return _Extractor(title, lang, lead_only).run(blocks)
