"""The built-in app lexicon: the three sample apps and the vocabulary of software how-to queries.

Users extend it with a TOML or JSON file of the same shape (``--lexicon FILE``); lists are
merged (union), apps are added or extended, scalars are replaced. See :mod:`.lexicon`.
"""

from __future__ import annotations

from typing import Any

# fmt: off
DEFAULT_LEXICON: dict[str, Any] = {
    "apps": {
        "word": {
            "display": "Word",
            "names": [
                "microsoft word", "ms word", "msword", "winword", "micosoft word", "office word",
                "microsoft office word", "word document", "word documents", "word doc",
                "word docs", "word file", "word files",
            ],
            "ambiguous_names": [
                "word", "wrod",
            ],
            "exclude": [
                "the word", "a word", "another word", "this word", "that word", "what word",
                "one word", "swear word", "magic word", "secret word", "same word", "long word",
                "word for", "word of", "word meaning", "word means", "word that", "word search",
                "word games", "word game", "word puzzle", "word puzzles", "word finder",
                "word scramble", "word unscramble", "word jumble", "word origin",
                "word definition", "word ladder", "word list", "word perfect", "wordperfect",
                "word pad", "wordpad",
            ],
        },
        "excel": {
            "display": "Excel",
            "names": [
                "microsoft excel", "ms excel", "office excel", "microsoft office excel", "excell",
                "exel", "exsel", "xls", "xlsx", "excel spreadsheet", "excel spreadsheets",
                "excel sheet", "excel file", "excel workbook", "excel worksheet",
                "excel sheets", "excel files", "excel workbooks", "excel worksheets",
                "excel document", "excel documents",
            ],
            "ambiguous_names": [
                "excel",
            ],
            "exclude": [
                "excel in", "excel at", "excel energy", "excel academy", "excel school",
                "excel high", "excel charter", "excel ministries", "excel fitness",
                "excel communications", "excel vehicle", "excel boat", "excel boats",
            ],
        },
        "powerpoint": {
            "display": "PowerPoint",
            "names": [
                "microsoft powerpoint", "ms powerpoint", "office powerpoint", "powerpoint",
                "power point", "powerpiont", "power piont", "ppt", "pptx", "powerpoints",
            ],
            "ambiguous_names": [],
            "exclude": [],
        },
    },
    "howto": [
        "how to", "how do i", "how do you", "how can i", "how can you", "how do we", "how would i",
        "how should i", "howto", "how 2", "how too", "steps to", "ways to", "way to", "i want to",
        "i need to", "trying to", "need to", "can you", "can i", "help with", "help me", "help",
        "teach me how to", "show me how to", "teach me to",
    ],
    "trailing": [
        "tutorial", "tutorials", "help", "instructions", "step by step", "tips", "guide", "how",
        "howto", "please",
    ],
    "verbs": [
        "add", "see", "insert", "remove", "delete", "make", "create", "change", "format", "merge",
        "split", "sort", "filter", "freeze", "unfreeze", "print", "save", "convert", "put", "set",
        "turn", "turn off", "turn on", "show", "hide", "unhide", "center", "align", "rotate",
        "resize", "wrap", "bold", "underline", "italicize", "highlight", "copy", "paste", "move",
        "number", "count", "calculate", "sum", "find", "replace", "select", "enable", "disable",
        "track", "double space", "indent", "justify", "draw", "group", "link", "embed", "protect",
        "lock", "unlock", "rename", "undo", "transpose", "subtract", "multiply", "divide",
        "average", "round", "fix", "zoom", "duplicate", "reorder", "animate", "narrate", "record",
        "export", "import", "attach", "label", "define", "validate", "clear", "reset", "strike",
        "shade", "fill", "color", "colour", "increase", "decrease", "shrink", "expand", "collapse",
        "compare", "combine", "separate", "extract", "erase", "cut", "crop", "flip", "stretch",
        "lengthen", "shorten", "swap", "switch", "set up", "get rid of",
        "alphabetize", "unmerge", "ungroup", "autofill", "concatenate", "recover", "restore",
        "password protect", "encrypt", "autofit", "keep", "choose", "bookmark", "update", "open",
    ],
    "features": [
        "table", "tables", "chart", "charts", "graph", "graphs", "page number", "page numbers",
        "page break", "header", "headers", "footer", "footers", "margin", "margins", "font",
        "fonts", "font size", "bullet", "bullets", "bullet points", "numbering", "slide", "slides",
        "slide number", "slide numbers", "transition", "transitions", "animation", "animations",
        "theme", "background", "cell", "cells", "column", "columns", "row", "rows", "pivot table",
        "pivot tables", "pivottable", "duplicates", "gridlines", "freeze panes", "autosum",
        "vlookup", "drop down list", "dropdown", "text box", "textbox", "shapes", "picture",
        "pictures", "image", "images", "clip art", "watermark", "landscape", "portrait",
        "orientation", "line spacing", "double spacing", "spacing", "indent", "tab", "tabs",
        "table of contents", "footnote", "footnotes", "endnote", "comment", "comments",
        "track changes", "spell check", "spelling", "word count", "mail merge", "envelope",
        "labels", "paragraph", "heading", "headings", "ruler", "zoom", "borders", "border",
        "shading", "highlight", "conditional formatting", "data validation", "text to columns",
        "name box", "formula bar", "decimal", "decimals", "percentage", "currency", "date format",
        "speaker notes", "slide show", "slideshow", "sections", "section break", "hyperlink",
        "hyperlinks", "symbol", "symbols", "equation", "wordart", "smartart", "columns of text",
        "blank page", "legend", "axis", "filter", "sort", "themes", "macro", "macros", "autosave",
        "countif", "countifs", "sumif", "sumifs", "counta", "bookmark", "bookmarks", "signature",
        "developer tab",
    ],
    "feature_verbs": {
        "table": "insert", "chart": "create", "graph": "create", "pivot table": "create",
        "page numbers": "add", "page number": "add", "header": "add", "footer": "add",
        "watermark": "add", "table of contents": "insert", "footnote": "insert",
        "drop down list": "create", "macro": "create", "mail merge": "do", "word count": "check",
        "spell check": "run", "transition": "add", "transitions": "add", "animation": "add",
        "animations": "add", "slide numbers": "add", "gridlines": "show", "freeze panes": "use",
        "conditional formatting": "use", "vlookup": "use", "borders": "add",
    },
    "fallback_verb": "use",
    "not_actionable": [
        "download", "downloads", "free", "crack", "cracked", "keygen", "serial", "price", "prices",
        "buy", "cheap", "job", "jobs", "torrent", "trial", "viewer", "certification", "course",
        "courses", "class", "classes", "training", "test", "exam", "book", "books", "for dummies",
        "salary", "open office", "openoffice", "libreoffice", "product key", "activation",
        "for mac", "vs", "versus", "wiki", "wikipedia",
    ],
    # verbs about the software itself: they block a query only when nothing but the app,
    # its version and filler stand beside them ('update word 2007', 'open excel'), not
    # 'update a table of contents' or 'open a backup file in word'
    "maintenance": [
        "update", "updates", "updating", "upgrade", "upgrading", "install", "installing",
        "reinstall", "uninstall", "uninstalling", "patch", "service pack", "open", "opening",
    ],
    "navigational_sites": [
        "google", "yahoo", "facebook", "myspace", "ebay", "youtube", "mapquest", "aol", "msn",
        "hotmail", "amazon", "craigslist", "bank of america", "wikipedia", "paypal", "weather com",
        "espn", "cnn", "walmart", "target", "bestbuy", "best buy", "netflix", "myspace com",
        "yahoo mail", "aol mail", "hotmail com", "gmail", "bing", "ask jeeves", "microsoft",
        "microsoft com", "office com",
    ],
    "tlds": [
        "com", "net", "org", "gov", "edu", "info", "biz", "us", "uk", "ca", "de", "tv", "cc",
        "mil", "co", "io",
    ],
}
# fmt: on
