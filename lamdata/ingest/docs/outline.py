"""The block outline every markup reader produces, and the one extractor that reads it.

HTML, Markdown and plain-text readers differ in syntax only: each turns its document into a flat
sequence of blocks (headings, paragraphs, lists with nested sub-lists, callouts, other matter
such as tables and code) and leaves finding procedures to :func:`extract`, so a rule learned on
one format (intro lines, continued lists, "Step 1" paragraphs, sections that hold no procedure)
works for all of them.

What makes a procedure: an ordered list whose items mostly read like instructions, under a goal
(an intro line such as "To insert a table:", else the nearest heading that reads like a task,
else the page title); an unordered list only when an intro line or a task heading announces
steps and every item is an instruction. Lists of alternatives ("Do one of the following:"),
links, features and anything under "Tips", "See also" and the like are not procedures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lamdata.ingest.docs.base import Procedure, Step
from lamdata.ingest.docs.lexicon import words
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


@dataclass(slots=True)
class Heading:
    level: int
    text: str


@dataclass(slots=True)
class Para:
    text: str
    terms: list[str] = field(default_factory=list)
    callout: bool = False


@dataclass(slots=True)
class Item:
    text: str
    terms: list[str] = field(default_factory=list)
    sublists: list[ListBlock] = field(default_factory=list)
    lead: str = ""
    link_only: bool = False


@dataclass(slots=True)
class ListBlock:
    ordered: bool
    items: list[Item]
    start: int = 1


@dataclass(slots=True)
class Other:
    kind: str


Block = Heading | Para | ListBlock | Other

_NUMBERED_LINE = re.compile(r"^\s*(?:step\s*(\d{1,2})\s*[:.)\-–—]?|(\d{1,2})[.)])\s+\S", re.I)
_STEP_HEADING = re.compile(r"^\s*step\s*(\d{1,2})\b\s*[:.)\-–—]?\s*", re.I)
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
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[A-Z0-9\"“'(])")
_ABBREV = ("e.g.", "i.e.", "etc.", "fig.", "vs.", "no.", "approx.", "mr.", "dr.", "st.")


# -- normalization passes ------------------------------------------------------------------
def coalesce(blocks: list[Block]) -> list[Block]:
    """Turn numbered text that is not marked up as a list into lists."""
    return _step_headings(_numbered_paras(_split_br_lists(blocks)))


def _split_br_lists(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if not (isinstance(block, Para) and "\n" in block.text):
            out.append(block)
            continue
        lines = [ln for ln in block.text.split("\n") if ln.strip()]
        numbered = [i for i, ln in enumerate(lines) if _NUMBERED_LINE.match(ln)]
        if len(numbered) < 2:
            out.append(Para(squash(block.text), block.terms, block.callout))
            continue
        first = numbered[0]
        if first:
            out.append(Para(squash(" ".join(lines[:first])), block.terms))
        items: list[Item] = []
        for ln in lines[first:]:
            if _NUMBERED_LINE.match(ln) or not items:
                items.append(Item(ln, _terms_in(block.terms, ln)))
            else:
                items[-1].text += " " + ln
                items[-1].terms = _terms_in(block.terms, items[-1].text)
        out.append(ListBlock(True, items))
    return out


def _terms_in(terms: list[str], text: str) -> list[str]:
    return [t for t in terms if t in text]


#: A screenshot's caption ("FIGURE: The Export screen", "Figure 3. ...") between numbered steps.
_CAPTION = re.compile(r"^(?:figure|fig\.|image|screenshot|screen ?shot)\s*\d*\s*[:.\-–—]", re.I)


def _is_figure(block: Block) -> bool:
    if isinstance(block, Other):
        return block.kind in ("image", "figure", "picture")
    return isinstance(block, Para) and bool(_CAPTION.match(block.text))


def _numbered_paras(blocks: list[Block]) -> list[Block]:
    """Paragraphs numbered 1, 2, 3 ... are a list, even with screenshots and their captions
    between them (they are dropped from the list, kept when the run is no list)."""
    out: list[Block] = []
    run: list[Para] = []
    figures: list[Block] = []

    def flush() -> None:
        if len(run) >= 2:
            out.append(ListBlock(True, [Item(p.text, p.terms) for p in run]))
        else:
            out.extend(run)
        out.extend(figures)
        run.clear()
        figures.clear()

    for block in blocks:
        if run and _is_figure(block):
            figures.append(block)
            continue
        number = _number_of(block.text) if isinstance(block, Para) and not block.callout else None
        if isinstance(block, Para) and number is not None and number == len(run) + 1:
            run.append(block)
            figures.clear()
            continue
        flush()
        if isinstance(block, Para) and number == 1:
            run.append(block)
        else:
            out.append(block)
    flush()
    return out


def _number_of(text: str) -> int | None:
    match = _NUMBERED_LINE.match(text)
    return int(match.group(1) or match.group(2)) if match else None


def _step_headings(blocks: list[Block]) -> list[Block]:
    """Headings "Step 1: ...", "Step 2: ..." (each with its text) become one ordered list."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if not (isinstance(block, Heading) and _STEP_HEADING.match(block.text)):
            out.append(block)
            i += 1
            continue
        level, items = block.level, []
        while i < len(blocks):
            head = blocks[i]
            if not (isinstance(head, Heading) and head.level == level):
                break
            if not _STEP_HEADING.match(head.text):
                break
            text, terms = _STEP_HEADING.sub("", head.text, count=1), []
            i += 1
            while i < len(blocks) and not isinstance(blocks[i], Heading):
                body = blocks[i]
                if isinstance(body, Para) and not body.callout and len(text) < 400:
                    text, terms = f"{text.rstrip('.')}. {body.text}".strip(". "), body.terms
                i += 1
            items.append(Item(text, terms))
        if len(items) >= 2:
            out.append(ListBlock(True, items))
        else:
            out.append(block)
            out.extend(Para(it.text, it.terms) for it in items)
    return out


# -- steps -----------------------------------------------------------------------------------
def first_sentence(text: str) -> str:
    """The first sentence of a step (the WikiHow rule: the rest is detail)."""
    for match in _SENTENCE_END.finditer(text):
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
def parse_intro(text: str) -> tuple[str | None, str | None]:
    """(goal, kind) of a paragraph before a list: kind is goal, steps, problem, choice, colon
    or None ("problem": "To solve this problem, ...", the goal is the phrase itself).

    "To do so, follow these steps:" names no goal itself; the sentence before it often does
    ("The fix is to turn off the add-in. To do so, ..."), and is used when it reads as one."""
    parts = _SENTENCE_END.split(squash(text))
    sentence = parts[-1] if parts else ""
    for pattern in (_INTRO_TO, _INTRO_TO_COLON, _INTRO_TO_SHORT, _INTRO_FOLLOW, _INTRO_HOW):
        match = pattern.match(sentence)
        if match:
            if _CHOICE_TAIL.search(sentence):
                return None, "choice"
            goal = next((g for g in match.groups() if g), None)
            if goal and _PRONOUN_GOAL.match(goal):
                named = _previous_goal(parts[-2]) if len(parts) > 1 else None
                if named is None and _PROBLEM.match(goal):
                    return goal, "problem"
                goal = named
            return (goal, "goal") if goal else (None, "steps")
    if _INTRO_STEPS.search(sentence) and not _INTRO_CHOICE.search(sentence):
        return None, "steps"
    if sentence.endswith(":"):
        return None, "choice" if _INTRO_CHOICE.search(sentence) else "colon"
    return None, None


#: A heading that only numbers an alternative ("Method 2", "Option A", "Part 1 of 3"): it names
#: no goal, so the task comes from the intro line or the enclosing section.
_BARE_LABEL = re.compile(
    r"^\s*(?:method|option|part|way|approach|solution|alternative|variant)\s*"
    r"(?:\d{1,2}|[A-Z]|[IVX]{1,4})(?:\s*of\s*\d{1,2})?\s*[:.)\-–—]?\s*$",
    re.I,
)
#: "To solve this problem": the goal is fixing what the section heading describes.
_PROBLEM = re.compile(
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
_WHERE_PREAMBLE = re.compile(
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


def _navigates(text: str) -> bool:
    """Does a step only get somewhere ("Open the Edit menu", "Under Privacy, click Cookies")?"""
    first = text.split(None, 1)[0].lower().strip(",") if text.strip() else ""
    if first in _WHERE and "," in text:
        first = (text.split(",", 1)[1].split(None, 1) or [""])[0].lower()
    return first in _NAV_VERBS


_NOT_GOALS = frozenset(words("see find read learn notice look get"))


def _lead_goal(text: str) -> str | None:
    """The goal of a one-sentence paragraph right before a list that names one ("You can also
    turn tabs on and off."), not counting what one merely sees ("You can see the list.")."""
    text = squash(text)
    if text[-1:] not in ".!" or len(_SENTENCE_END.split(text)) > 1:
        return None
    goal = _previous_goal(text)
    if goal is None or goal.split(None, 1)[0].lower() in _NOT_GOALS:
        return None
    return goal


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
                goal = _lead_goal(para.text)
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
            path.append(_SENTENCE_END.split(squash(intro.text))[-1].rstrip(":").strip())
        locator = " > ".join(p for p in [self.title, *path] if p)
        self.last = Procedure(task=task, steps=steps, locator=locator)
        self.out.append(self.last)

    def _asked(self, lead: Para) -> tuple[str, Para] | None:
        """A "How to X?" / "How do I X?" question line before the lead-in line of a list
        ("It's easy:") is the list's goal."""
        before = self.intros[: self.intros.index(lead)]
        for para in reversed(before):
            text = squash(para.text)
            if text.endswith("?") and len(_SENTENCE_END.split(text)) == 1:
                asked, kind = parse_intro(text)
                if kind == "goal" and asked:
                    return asked, para
        return None

    def _only_gets_there(self, intro: Para | None, steps: list[Step]) -> bool:
        """ "If you're not already viewing it, follow these steps" in a reference section
        (its heading names no task): steps that only open the panel it describes."""
        if intro is None or len(steps) > 4:
            return False
        sentence = _SENTENCE_END.split(squash(intro.text))[-1]
        if not _WHERE_PREAMBLE.match(sentence) or not all(_navigates(s.text) for s in steps):
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
        match = _PROBLEM.match(phrase)
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


def outline_text(blocks: list[Block], limit: int = 20000) -> str:
    """Plain text of an outline (headings, paragraphs, list items), for app and language guesses."""
    parts: list[str] = []
    size = 0
    for block in blocks:
        if isinstance(block, Heading | Para):
            texts = [block.text]
        elif isinstance(block, ListBlock):
            texts = [i.text for i in block.items]
        else:
            continue
        for text in texts:
            parts.append(text)
            size += len(text)
        if size > limit:
            break
    return "\n".join(parts)[:limit]
