"""Query normalization and intent classification, as polars expressions over distinct queries.

Only distinct queries are classified (a log repeats its queries a lot), and every test is a
regular expression built from the lexicon, so a batch of a million lines costs a few vectorized
passes; only the actionable queries ever reach Python.

Reasons, in order: ``empty``; ``actionable`` (an app is named, or given with ``--app``, and a
task verb or app feature is present, and nothing marks it as a download/price/job query);
``navigational`` (a URL, a domain or a site name); ``other_app`` (``--app`` given, another app
named); ``not_actionable`` (an app named but no task); ``no_app`` (a how-to about an app
feature naming no known app); ``non_software`` (a how-to about anything else);
``informational`` (the rest).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import polars as pl

from lamdata.ingest.logs.lexicon import AppTerms, Lexicon

REASONS = (
    "actionable",
    "empty",
    "navigational",
    "other_app",
    "not_actionable",
    "no_app",
    "non_software",
    "informational",
)
#: the reasons as a polars Enum (one byte per query, fast to group by)
REASON = pl.Enum(REASONS)
_PREPOSITIONS = "in|on|into|onto|using|with|from|to|for|use"
#: a version written right after an app's name ('word2016', 'excel 2010', 'word 97'): the
#: name then means the app even where it alone is ambiguous
VERSION = r" ?((19|20)\d\d|97|2k|xp|365)"
_DOUBLED = {"put", "set", "cut", "get", "run", "stop", "wrap", "strip", "swap", "drop", "crop"}
MULTI = "\x00multi"
NEVER = r"\b\B"  # a regex that matches nothing (Rust regex has no look-around)


def alternation(terms: Iterable[str]) -> str:
    """A regex alternation of literal terms, longest first (so 'ms word' beats 'word')."""
    unique = sorted({t for t in terms if t}, key=lambda t: (-len(t), t))
    return "|".join(re.escape(t) for t in unique) or NEVER


def gerund(verb: str) -> str:
    """'insert' → 'inserting', 'make' → 'making', 'put' → 'putting', 'turn off' → 'turning off'."""
    head, _, tail = verb.partition(" ")
    if head in _DOUBLED:
        form = head + head[-1] + "ing"
    elif head.endswith("e") and not head.endswith("ee") and len(head) > 2:
        form = head[:-1] + "ing"
    else:
        form = head + "ing"
    return f"{form} {tail}" if tail else form


def norm_expr(lower: pl.Expr) -> pl.Expr:
    """``lower`` without punctuation: apostrophes vanish, other punctuation becomes a space."""
    return lower.str.replace_all(r"['’`]", "").str.replace_all(r"[\W_]+", " ").str.strip_chars()


def normalize_query(text: str) -> str:
    """The normalized form of one query (the same expressions as the vectorized path)."""
    return str(normalized(pl.Series([text], dtype=pl.String))["norm"].item() or "")


@cache
def app_patterns(app: AppTerms) -> tuple[str, str, str]:
    """(strong, ambiguous-in-context, exclude) regexes for one app over normalized text.

    Strong: a name, or an ambiguous name with a version ('word 2010', 'word2016')."""
    amb = alternation(app.ambiguous_names)
    forms = [rf"\b({alternation(app.names)})({VERSION})?\b"] if app.names else []
    forms += [rf"\b({amb}){VERSION}\b"] if app.ambiguous_names else []
    strong = "|".join(forms) or NEVER
    ambiguous = (
        rf"^({amb})( |$)|\b({amb})( \d+)?$|\b({_PREPOSITIONS}) ({amb})\b"
        if app.ambiguous_names
        else NEVER
    )
    exclude = rf"\b({alternation(app.exclude)})\b" if app.exclude else NEVER
    return strong, ambiguous, exclude


def _app_hit(norm: pl.Expr, app: AppTerms) -> pl.Expr:
    strong, ambiguous, exclude = app_patterns(app)
    return norm.str.contains(strong) | (norm.str.contains(ambiguous) & ~norm.str.contains(exclude))


def _with_app(frame: pl.DataFrame, lexicon: Lexicon, default_app: str | None) -> pl.DataFrame:
    """Add ``app`` (the app a query names: its id, MULTI when several, else ``default_app``
    or null) and ``named`` (whether it names one at all)."""
    apps = lexicon.apps
    hits = [f"\x00hit{i}" for i in range(len(apps))]
    norm = pl.col("norm")
    frame = frame.with_columns(
        _app_hit(norm, app).cast(pl.Int8).alias(h) for app, h in zip(apps, hits, strict=True)
    )
    count = pl.sum_horizontal(hits) if hits else pl.lit(0)
    chosen: pl.Expr = pl.lit(default_app, dtype=pl.String)
    for app, hit in zip(apps, hits, strict=True):
        chosen = pl.when(pl.col(hit) == 1).then(pl.lit(app.id)).otherwise(chosen)
    app_expr = pl.when(count > 1).then(pl.lit(MULTI)).otherwise(chosen)
    return frame.with_columns(app=app_expr, named=count > 0).drop(hits)


def _word_re(terms: Iterable[str]) -> str:
    return rf"\b({alternation(terms)})\b"


def _spaced(pattern: str) -> str:
    """An escaped alternation whose spaces match any run of whitespace or punctuation."""
    return pattern.replace(r"\ ", r"[\W_]+")


def _nav_re(lexicon: Lexicon) -> str:
    """One regex for navigational queries, over lowercase text with punctuation kept (and
    whitespace around it allowed)."""
    tlds = alternation(lexicon.terms("tlds"))
    sites = _spaced(alternation(lexicon.terms("navigational_sites")))
    return (
        r"^\s*(https?://|www\.)|^\s*www( |\s*$)"
        rf"|(^|[^\w.])[\w-]+(\.[\w-]+)*\.({tlds})($|[/\s:])"
        rf"|^\s*(www[\W_]+)?({sites})([\W_]+(com|net|org|login|mail|sign[\W_]+in))?\s*$"
    )


def normalized(queries: pl.Series | pl.DataFrame) -> pl.DataFrame:
    """Columns ``query``, ``lower`` and ``norm`` (and those of a frame given); NFKC runs only
    on non-ASCII queries."""
    frame = queries if isinstance(queries, pl.DataFrame) else pl.DataFrame({"query": queries})
    wide = frame["query"].str.contains(r"[^\x00-\x7f]")
    if wide.any():
        frame = pl.concat(
            [
                frame.filter(~wide).with_columns(text=pl.col("query")),
                frame.filter(wide).with_columns(text=pl.col("query").str.normalize("NFKC")),
            ]
        )
    else:
        frame = frame.with_columns(text=pl.col("query"))
    frame = frame.with_columns(lower=_lower(pl.col("text")))
    return frame.with_columns(norm=norm_expr(pl.col("lower"))).drop("text")


def _lower(text: pl.Expr) -> pl.Expr:
    return text.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()


@cache
def _patterns(lexicon: Lexicon) -> dict[str, str]:
    verbs = list(lexicon.terms("verbs"))
    verb_alt = alternation([*verbs, *(gerund(v) for v in verbs)])
    return {
        "task": rf"\b({verb_alt}|{alternation(lexicon.terms('features'))})\b",
        "feature": _word_re(lexicon.terms("features")),
        "howto": rf"^\s*({_spaced(alternation(lexicon.terms('howto')))}|{verb_alt})\b",
        "nav": _nav_re(lexicon),
        "empty": r"^[\W_]*$",
    }


def _facts(frame: pl.DataFrame, lexicon: Lexicon) -> pl.DataFrame:
    """The app-independent tests: empty, task words, how-to lead, navigational."""
    # (the case-blind forms of the bulk path's patterns: the same on lowercase text, and each
    # pattern is compiled once per process, not twice)
    pats = {k: f"(?i){v}" for k, v in _patterns(lexicon).items()}
    norm = pl.col("norm")
    return frame.with_columns(
        empty=norm.str.contains(pats["empty"]),
        task=norm.str.contains(pats["task"]),
        feature=norm.str.contains(pats["feature"]),
        howto=norm.str.contains(pats["howto"]),
        nav=pl.col("lower").str.contains(pats["nav"]),
    )


def may_name_app(lexicon: Lexicon) -> pl.Expr:
    """Whether a raw ``query`` may name an app: it holds a word of an app's names in any
    case, or is not ASCII. The others are the bulk of a log and can only be dropped."""
    query = pl.col("query")
    return query.str.contains_any(_needles(lexicon), ascii_case_insensitive=True) | (
        query.str.len_bytes() != query.str.len_chars()
    )


def unnamed_reasons(queries: pl.DataFrame, lexicon: Lexicon) -> pl.DataFrame:
    """:func:`classify` for queries that cannot name an app (see :func:`may_name_app`).

    Only why they drop matters, so the tests are cheaper than :func:`_facts`: no
    normalization (the tests ignore case, the same on ASCII text, and allow whitespace around
    the query; ``norm`` is null); they run side by side in one pass (polars spreads them over
    the cores); and app features are looked for only in how-to queries (the only ones whose
    reason they change)."""
    pats = {k: f"(?i){v}" for k, v in _patterns(lexicon).items()}
    query = pl.col("query")
    tests = queries.lazy().with_columns(
        empty=query.str.contains(pats["empty"]),
        nav=query.str.contains(pats["nav"]),
        howto=query.str.contains(pats["howto"]),
    )
    howto = pl.col("howto") & ~pl.col("empty") & ~pl.col("nav")
    feature = pl.when(howto).then(query).str.contains(pats["feature"])  # null: not tested
    return tests.select(
        "query",
        *(c for c in queries.columns if c != "query"),
        norm=pl.lit(None, dtype=pl.String),
        app=pl.lit(None, dtype=pl.String),
        reason=pl.when(pl.col("empty"))
        .then(_reason("empty"))
        .when(pl.col("nav"))
        .then(_reason("navigational"))
        .when(howto & feature)
        .then(_reason("no_app"))
        .when(howto)
        .then(_reason("non_software"))
        .otherwise(_reason("informational")),
    ).collect()


def _reason(name: str) -> pl.Expr:
    return pl.lit(name, dtype=REASON)


@cache
def _needles(lexicon: Lexicon) -> list[str]:
    """Substrings one of which any query naming an app holds (before normalization): the
    words of 3 or more letters of each name, or, for a name with none ('vi'), its longest."""
    needles = set()
    for words in (name.split() for name in _all_names(lexicon)):
        if words:
            needles.update([w for w in words if len(w) >= 3] or [max(words, key=len)])
    return sorted(needles)


def classify(
    queries: pl.Series | pl.DataFrame, lexicon: Lexicon, default_app: str | None = None
) -> pl.DataFrame:
    """Classify distinct raw queries: columns ``query``, ``norm``, ``app``, ``reason``, and
    the other columns of a frame given (its ``query`` column is classified), in any order.

    With no ``default_app``, queries that cannot name an app skip normalization and the app
    tests (:func:`unnamed_reasons`; their ``norm`` is null).
    """
    raw = queries if isinstance(queries, pl.DataFrame) else pl.DataFrame({"query": queries})
    if default_app is not None:
        return classify_named(raw, lexicon, default_app)
    maybe = raw.select(may_name_app(lexicon)).to_series()
    named = classify_named(raw.filter(maybe), lexicon)
    return pl.concat([named, unnamed_reasons(raw.filter(~maybe), lexicon)])


def classify_named(
    raw: pl.DataFrame, lexicon: Lexicon, default_app: str | None = None
) -> pl.DataFrame:
    """:func:`classify` with every test: normalization, the app tests, the task tests."""
    carried = [c for c in raw.columns if c != "query"]
    frame = _facts(normalized(raw), lexicon)
    norm = pl.col("norm")
    blocked = norm.str.contains(_word_re(lexicon.terms("not_actionable"))) | (
        norm.str.contains(_word_re(lexicon.terms("maintenance")))
        & norm.str.contains(_maintenance_only(lexicon))
    )
    frame = _with_app(frame.with_columns(blocked=blocked), lexicon, default_app)
    return frame.select("query", *carried, "norm", "app", reason=_reason_expr(default_app))


#: words that may stand beside a maintenance verb in a query about the software itself
_MAINTENANCE_FILLER = (
    "to", "the", "a", "an", "my", "your", "latest", "new", "newest", "version", "versions",
    "microsoft", "ms", "office", "free", "for", "on", "of", "in", "from", "with", "and", "or",
    "mac", "windows", "pc", "computer", "laptop", "program", "software", "app", "application",
    "vista", "xp", "2k", "365", "sp1", "sp2", "sp3", "do", "i", "can", "you", "where", "what",
)  # fmt: skip


@cache
def _maintenance_only(lexicon: Lexicon) -> str:
    """A normalized query made only of maintenance verbs, app names, versions, how-to leads
    and filler: a query about updating or installing the app, not about a task in it."""
    vocab = alternation(
        [
            *lexicon.terms("maintenance"),
            *_all_names(lexicon),
            *lexicon.terms("howto"),
            *lexicon.terms("trailing"),
            *_MAINTENANCE_FILLER,
        ]
    )
    return rf"^(({vocab}|\d+)( |$))+$"


def _all_names(lexicon: Lexicon) -> list[str]:
    return [n for app in lexicon.apps for n in (*app.names, *app.ambiguous_names)]


def _reason_expr(default_app: str | None) -> pl.Expr:
    app, named = pl.col("app"), pl.col("named")
    other = named & (app != pl.lit(default_app)) if default_app else pl.lit(False)
    return (
        pl.when(pl.col("empty"))
        .then(_reason("empty"))
        .when(app.is_not_null() & ~other & pl.col("task") & ~pl.col("blocked"))
        .then(_reason("actionable"))
        .when(pl.col("nav"))
        .then(_reason("navigational"))
        .when(other)
        .then(_reason("other_app"))
        .when(named)
        .then(_reason("not_actionable"))
        .when(pl.col("howto") & pl.col("feature"))
        .then(_reason("no_app"))
        .when(pl.col("howto"))
        .then(_reason("non_software"))
        .otherwise(_reason("informational"))
    )


def resolve_multi(norm: str, lexicon: Lexicon, default_app: str | None = None) -> str | None:
    """For a query naming several apps: the one named last ('excel table in word' → word),
    or ``default_app`` when that is among them."""
    best: tuple[int, str] | None = None
    for app in lexicon.apps:
        strong, ambiguous, exclude = app_patterns(app)
        spots = [m.end() for m in re.finditer(strong, norm)]
        if not re.search(exclude, norm):
            spots += [m.end() for m in re.finditer(ambiguous, norm)]
        if spots and default_app == app.id:
            return app.id
        if spots and (best is None or max(spots) > best[0]):
            best = (max(spots), app.id)
    return best[1] if best else None
