"""Small word lists the rule-based extractor relies on: action verbs, app names, languages.

They are data, kept apart from the rules in ``procedures.py`` so they can grow without touching
logic. The verb list decides two things: whether a list item reads like an instruction, and how a
gerund heading turns into an imperative ("Inserting" → "Insert").
"""

from __future__ import annotations

import re


def words(text: str) -> list[str]:
    """The whitespace-separated words of a text block (how the lists below are written)."""
    return text.split()


#: Verbs that start instructions in help pages (lower case, base form).
VERBS = frozenset(
    words(
        "accept access activate add adjust align allow animate answer apply archive arrange "
        "assign attach autofit back backup block bold bookmark boot browse build calculate "
        "cancel capitalize center change check choose clean clear click close collapse color "
        "combine compare compress configure confirm connect continue convert copy correct "
        "create crop customize cut decrease define delete deselect designate disable disconnect "
        "dismiss display distribute do double-click double-tap download drag draw drop "
        "duplicate edit embed empty enable enlarge ensure enter erase exit expand export extend "
        "fill filter find finish fit fix flip follow format freeze get give go group hide "
        "highlight hit hold hover import include increase indent insert install invite "
        "italicize join justify keep label launch leave link list load locate lock log look "
        "lower make manage mark maximize merge minimize modify move mute name navigate note "
        "number open organize outline paste pause pick pin place play point position press "
        "preview print proceed protect publish pull put quit raise read reapply reboot record "
        "redo refresh reject release remove rename reopen reorder repeat replace reset resize "
        "restart restore resume return reveal review right-click rotate run save scale scan "
        "schedule scroll search see select send set shade share shift show shrink sign skip "
        "slide sort specify split start stop strike submit sum swap switch sync tab take tap "
        "tell tick toggle track transfer try turn type uncheck underline undo unfreeze ungroup "
        "unhide uninstall unlock unmerge unpin update upgrade upload use verify view visit wait "
        "watch widen wrap write zoom work multiply divide subtract count email rehearse "
        "present summarize transpose recover comment proofread translate"
    )
)

#: Verbs that signal an instruction wherever they sit in the first words of a sentence.
STRONG_VERBS = frozenset(
    words("click select type press choose tap double-click right-click drag enter")
)

#: Words that may precede the verb of an instruction ("Then click ...").
FILLERS = frozenset(
    words(
        "first then next finally now afterwards afterward also optionally lastly second third "
        "please again and"
    )
)

#: Instruction cues for languages the verb list does not cover.
FOREIGN_CUES = (
    "单击",
    "点击",
    "选择",
    "输入",
    "打开",
    "键入",
    "拖动",
    "按",
    "クリック",
    "選択",
    "입력",
    "클릭",
    "klicken",
    "wählen",
    "öffnen",
    "geben sie",
    "cliquez",
    "sélectionnez",
    "ouvrez",
    "tapez",
    "haga clic",
    "seleccione",
    "abra",
    "escriba",
    "clique",
    "selecione",
    "fare clic",
    "selezionare",
    "klik",
    "selecteer",
)

#: Canonical app id → regexes that name it in prose (compiled below). Case matters for "Word"
#: and "Excel": "word count" or "excel at" are not the apps.
_APP_PATTERNS: dict[str, list[tuple[str, int]]] = {
    "word": [
        (r"\b(?:Microsoft|MS)[ -]Word\b", 0),
        (r"\bWord(?='s|’s| (?:documents?|docs?|files?|for|20\d\d|Online|app|desktop|window))\b", 0),
        (
            r"\b(?:in|into|from|with|using|of|on|to|open|opens|In|From|Using|With) Word\b"
            r"(?! ?(?:[Cc]ount|[Aa]rt|[Ww]rap))",
            0,
        ),
        (r"^Word(?::| - | – )", 0),
        (r"(?<=[\u3400-\u9fff] )Word\b|\bWord(?= [\u3400-\u9fff])", 0),
        (r"(?: - | – | \| |: )Word$", 0),
    ],
    "excel": [(r"\b(?:Microsoft |MS[ -])?Excel\b", 0), (r"\bEXCEL\b", 0)],
    "powerpoint": [(r"\bPower ?Point\b", re.I)],
    "outlook": [(r"\b(?:Microsoft )?Outlook\b", 0)],
    "onenote": [(r"\bOneNote\b", re.I)],
    "google_docs": [(r"\bGoogle Docs\b", re.I)],
    "google_sheets": [(r"\bGoogle Sheets\b", re.I)],
    "google_slides": [(r"\bGoogle Slides\b", re.I)],
    "libreoffice_writer": [(r"\bLibreOffice Writer\b", re.I)],
    "libreoffice_calc": [(r"\bLibreOffice Calc\b", re.I)],
    "libreoffice_impress": [(r"\bLibreOffice Impress\b", re.I)],
}

APP_PATTERNS: dict[str, list[re.Pattern[str]]] = {
    app: [re.compile(p, flags | re.M) for p, flags in pats] for app, pats in _APP_PATTERNS.items()
}

#: Declared app names (front matter, meta tags, task files) → canonical id.
APP_ALIASES = {
    "word": "word",
    "msword": "word",
    "ms word": "word",
    "ms-word": "word",
    "microsoft word": "word",
    "winword": "word",
    "excel": "excel",
    "ms excel": "excel",
    "ms-excel": "excel",
    "microsoft excel": "excel",
    "powerpoint": "powerpoint",
    "power point": "powerpoint",
    "powerpnt": "powerpoint",
    "ms powerpoint": "powerpoint",
    "microsoft powerpoint": "powerpoint",
    "ppt": "powerpoint",
    "outlook": "outlook",
    "microsoft outlook": "outlook",
    "onenote": "onenote",
}

#: A few function words per language for a cheap language guess on Latin-script text.
STOPWORDS = {
    "en": frozenset(
        [
            "the",
            "and",
            "to",
            "of",
            "a",
            "in",
            "is",
            "you",
            "your",
            "for",
            "on",
            "with",
            "that",
            "this",
            "click",
            "select",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "zu",
            "ist",
            "sie",
            "mit",
            "auf",
            "für",
            "ein",
            "eine",
            "nicht",
            "klicken",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "et",
            "de",
            "des",
            "un",
            "une",
            "est",
            "vous",
            "pour",
            "dans",
            "sur",
            "avec",
            "cliquez",
        ]
    ),
    "es": frozenset(
        [
            "el",
            "la",
            "los",
            "las",
            "y",
            "de",
            "que",
            "en",
            "un",
            "una",
            "es",
            "para",
            "con",
            "por",
            "haga",
            "clic",
        ]
    ),
    "pt": frozenset(
        [
            "o",
            "a",
            "os",
            "as",
            "e",
            "de",
            "que",
            "em",
            "um",
            "uma",
            "para",
            "com",
            "não",
            "clique",
            "você",
        ]
    ),
    "it": frozenset(
        [
            "il",
            "lo",
            "la",
            "gli",
            "le",
            "e",
            "di",
            "che",
            "un",
            "una",
            "per",
            "con",
            "non",
            "fare",
            "clic",
        ]
    ),
    "nl": frozenset(
        ["de", "het", "een", "en", "van", "is", "op", "te", "in", "met", "voor", "niet", "klik"]
    ),
}

#: Headings of sections that never hold procedures (the normalized heading equals one of these).
NON_PROCEDURE_SECTIONS = frozenset(
    {
        "tip",
        "tips",
        "warning",
        "warnings",
        "note",
        "notes",
        "see also",
        "related",
        "need more help",
        "more help",
        "references",
        "sources",
        "things you'll need",
        "things you will need",
        "things you need",
        "community q&a",
        "questions and answers",
        "expert q&a",
        "video",
        "videos",
        "about this article",
        "in this article",
        "contents",
        "table of contents",
        "on this page",
        "feedback",
        "prerequisites",
        "before you begin",
        "requirements",
        "learn more",
        "additional resources",
        "further reading",
        "next steps",
        "resources",
        "faq",
    }
)

#: Headings of sections that hold background and, in knowledge-base articles, procedures too:
#: a list there counts only when an intro line announces it or a sub-heading names a task.
SOFT_NON_PROCEDURE_SECTIONS = frozenset({"more information", "additional information"})

#: ... or starts with one of these followed by a space.
NON_PROCEDURE_PREFIXES = (
    "related",
    "see also",
    "tips and",
    "was this",
    "need more help",
    "references",
    "sources and",
    "things you",
    "want more",
    "have feedback",
)
