"""Turn a normalized how-to query into an imperative task: 'how to insert a table in word' →
'Insert a table in Word'.

Steps: drop the how-to lead ('how do i', 'how to', ...) and trailing filler ('tutorial'); take
out the app's mention where it is a frame ('in word', 'word ...' at the start, '... word' at the
end, with a version such as '2007'); turn a leading gerund into the verb ('inserting' →
'insert'); when the rest starts with no verb, borrow the feature's usual verb ('pivot table' →
'create') or the fallback verb; then capitalize and say the app once ('... in Word').
"""

from __future__ import annotations

import re
from functools import cache

from lamdata.ingest.logs.classify import alternation, gerund
from lamdata.ingest.logs.lexicon import AppTerms, Lexicon

#: verbs too vague to make a query a task, but fine to lead one ('do a mail merge')
_LIGHT_VERBS = ("do", "use", "perform")
#: a version after the app's name, glued or not ('word2016', 'excel 2010'), or its platform
_VERSION = r"( ?\d{2,4}| (xp|vista|mac|365))?"
_PREPOSITIONS = r"(in|on|into|onto|to|using|with|for|from)"
_THINGS = r"(documents?|docs?|files?|spreadsheets?|worksheets?|workbooks?|sheets?|presentations?)"
_THING = rf"( {_THINGS})?"


@cache
def _patterns(lexicon: Lexicon, app: AppTerms) -> dict[str, re.Pattern[str]]:
    names = alternation(_bare_names(app))
    brand = r"((microsoft|ms) )?"
    return {
        "lead": re.compile(rf"^({alternation(lexicon.terms('howto'))})\b ?"),
        "trail": re.compile(rf" ?\b({alternation(lexicon.terms('trailing'))})$"),
        "app_frame": re.compile(
            rf" ?\b{_PREPOSITIONS} (a |an |the |my )?{brand}({names}){_VERSION}{_THING}\b"
        ),
        "app_start": re.compile(rf"^{brand}({names}){_VERSION}\b ?"),
        "app_end": re.compile(rf" ?\b{brand}({names}){_VERSION}$"),
        "app_any": re.compile(rf"\b{brand}({names})(\d{{2,4}})?\b"),
    }


def _bare_names(app: AppTerms) -> list[str]:
    """The app's names without those naming a file ('word document'): in a task, 'a Word
    document' stays, only the app as a frame ('in word') goes."""
    thing = re.compile(rf" {_THINGS}$")
    return [n for n in (*app.names, *app.ambiguous_names) if not thing.search(n)]


@cache
def _verbs(lexicon: Lexicon) -> tuple[dict[str, str], re.Pattern[str]]:
    verbs = lexicon.terms("verbs")
    gerunds = {gerund(v): v for v in verbs}
    first = re.compile(rf"^({alternation([*verbs, *gerunds])})\b")
    return gerunds, first


def strip_frame(norm: str, lexicon: Lexicon, app: AppTerms) -> tuple[str, bool]:
    """The query without its how-to lead, filler and app frame; and whether the app is gone."""
    text, app_gone, _ = _strip(norm, lexicon, app)
    return text, app_gone


def _strip(norm: str, lexicon: Lexicon, app: AppTerms) -> tuple[str, bool, bool]:
    """:func:`strip_frame`, and whether a lead that a verb follows ('how to', not 'help')
    was taken off."""
    pats = _patterns(lexicon, app)
    verb_slot = False
    text = pats["app_frame"].sub("", norm).strip()
    kept = _app_features(lexicon, app)
    for _ in range(3):  # 'excel how to sort' and 'how to sort in excel tutorial' both peel
        before = text
        if not text.startswith(kept):
            text = pats["app_start"].sub("", text, count=1)
        lead = pats["lead"].match(text)
        if lead is not None:
            verb_slot = verb_slot or not lead.group(1).startswith("help")
            text = text[lead.end() :]
        text = pats["trail"].sub("", text, count=1)
        if not text.endswith(kept):
            text = pats["app_end"].sub("", text, count=1)
        if text == before:
            break
    outside = text
    for feature in kept:
        outside = outside.replace(feature, " ")
    return text.strip(), not pats["app_any"].search(outside), verb_slot


@cache
def _app_features(lexicon: Lexicon, app: AppTerms) -> tuple[str, ...]:
    """Features whose name holds the app's name ('word count'): never stripped as a frame."""
    names = re.compile(rf"\b({alternation([*app.names, *app.ambiguous_names])})\b")
    return tuple(f for f in lexicon.terms("features") if names.search(f))


def _ungerund(text: str, lexicon: Lexicon) -> str | None:
    """``text`` with its leading verb in the base form, or None if it starts with no verb."""
    gerunds, first = _verbs(lexicon)
    match = first.match(text)
    if match is None:
        return None
    head = match.group(1)
    return gerunds.get(head, head) + text[match.end() :]


def _lead_verb(text: str, lexicon: Lexicon, verb_slot: bool = False) -> str:
    """``text`` led by a verb: its own, the feature's usual verb, or the fallback verb. After
    'how to' (``verb_slot``) a first word that starts no feature is taken as the verb
    ('how to manage autosave' → 'manage autosave', not 'use manage autosave')."""
    verbal = _ungerund(text, lexicon)
    if verbal is not None:
        return verbal
    if text.split(" ", 1)[0] in {lexicon.fallback_verb, *_LIGHT_VERBS}:
        return text
    if verb_slot and _feature_start(lexicon).match(text) is None:
        return text
    for feature, verb, pattern in _feature_verbs(lexicon):
        if feature in text and pattern.search(text):
            return f"{verb} {text}"
    return f"{lexicon.fallback_verb} {text}"


@cache
def _feature_verbs(lexicon: Lexicon) -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """Each feature with its usual verb and a pattern finding it as words, longest first
    (the longest feature a query names says the verb: 'pivot chart' before 'chart')."""
    verbs = sorted(lexicon.feature_verbs.items(), key=lambda kv: -len(kv[0]))
    return tuple((f, v, re.compile(rf"\b{re.escape(f)}\b")) for f, v in verbs)


@cache
def _feature_start(lexicon: Lexicon) -> re.Pattern[str]:
    return re.compile(rf"^({alternation(lexicon.terms('features'))})\b")


def phrase_task(norm: str, lexicon: Lexicon, app: AppTerms) -> str:
    """The imperative task for a normalized actionable query about ``app``."""
    core, app_gone, verb_slot = _strip(norm, lexicon, app)
    if not core:
        core = norm
    text = _lead_verb(core, lexicon, verb_slot)
    if not app_gone:
        text = _patterns(lexicon, app)["app_any"].sub(app.display, text)
    text = text[:1].upper() + text[1:]
    return f"{text} in {app.display}" if app_gone else text


def task_core(norm: str, lexicon: Lexicon, app: AppTerms) -> str:
    """The task without its app: what plan matching compares with help-doc tasks."""
    core, _, verb_slot = _strip(norm, lexicon, app)
    return _lead_verb(core or norm, lexicon, verb_slot)


def variant_core(norm: str, lexicon: Lexicon, app: AppTerms) -> str:
    """What reformulations share: the task without frame, app, or added verb."""
    core, _ = strip_frame(norm, lexicon, app)
    core = core or norm
    return _ungerund(core, lexicon) or core


def verb_object(core: str, lexicon: Lexicon) -> str | None:
    """What follows the leading verb of a task core ('add page numbers' → 'page numbers'),
    or None when it starts with no verb."""
    match = _verbs(lexicon)[1].match(core)
    return core[match.end() :].strip() if match else None
