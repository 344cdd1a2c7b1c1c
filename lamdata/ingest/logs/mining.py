"""Mining one file: check each batch, count searches, keep the actionable rows, aggregate.

A *search* is a run of consecutive rows with the same user and the same query: in the AOL
layout a query with three clicks is three rows and a next-page request repeats the row, but
either is one search. Without a user column every row is a search. ``frequency`` counts
searches; ``distinct_users`` counts users; dropped queries are counted in rows by reason.

Per batch, rows whose query cannot name an app are screened out first (unless the drop
reasons are asked for: see :class:`FileMiner`); of the rest, only the distinct queries are
classified (:func:`.classify.classify`); the rows of actionable queries are kept (a small share
of a log) and aggregated once per file, after near-duplicate variants are merged
(:mod:`.merge`).
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from lamdata.ingest.logs.aggregate import Facts, variant_facts
from lamdata.ingest.logs.classify import (
    MULTI,
    REASON,
    REASONS,
    classify_named,
    may_name_app,
    resolve_multi,
    unnamed_reasons,
)
from lamdata.ingest.logs.lexicon import Lexicon
from lamdata.ingest.logs.readers import reject
from lamdata.records import Rejection

MAX_QUERY_BYTES = 4096
#: threads for the tests of queries naming no app and the merge facts (see :class:`FileMiner`)
_BACKGROUND = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lamdata-logs")
_REPLACEMENT = "\ufffd"
ROW_COLUMNS = ("line", "user", "query", "norm", "app", "time", "click", "new")


def _tests(encoding: bool) -> list[tuple[str, pl.Expr]]:
    """What makes a row malformed, by reason code, in order (``encoding``: U+FFFD too)."""
    fields = [pl.col(c) for c in ("user", "query", "time", "click")]
    undecoded = pl.any_horizontal(f.str.contains(_REPLACEMENT, literal=True) for f in fields)
    return [
        *([("bad_encoding", undecoded)] if encoding else []),
        ("ragged_row", pl.col("extra") != ""),
        ("line_too_long", pl.col("query").str.len_bytes() > MAX_QUERY_BYTES),
        ("missing_field", pl.col("query") == ""),
    ]


def _problem(encoding: bool) -> pl.Expr:
    """The reason code of a malformed row, or null."""
    expr: pl.Expr = pl.lit(None, dtype=pl.String)
    for code, test in reversed(_tests(encoding)):
        expr = pl.when(test).then(pl.lit(code)).otherwise(expr)
    return expr


_MESSAGES = {
    "bad_encoding": "not valid UTF-8 (undecodable bytes shown as U+FFFD)",
    "ragged_row": "more fields than the header",
    "line_too_long": f"the query is longer than {MAX_QUERY_BYTES:,} bytes",
    "missing_field": "no query",
}


def check_batch(
    frame: pl.DataFrame, path: Path, *, encoding: bool = True
) -> tuple[pl.DataFrame, list[Rejection], int]:
    """Split a batch into good rows, rejections of malformed rows, and the count of blanks
    (``encoding``: reject rows holding U+FFFD, the mark of bytes read lossily)."""
    blank = (
        (pl.col("query") == "")
        & (pl.col("user") == "")
        & (pl.col("time") == "")
        & (pl.col("click") == "")
        & (pl.col("extra") == "")
    )
    skip = frame.select(pl.any_horizontal(test for _, test in _tests(encoding))).to_series()
    if not skip.any():  # (booleans first: most batches have no problem row)
        return frame.drop("extra"), [], 0
    flags = frame.select(problem=_problem(encoding), blank=blank)
    flagged = frame.with_columns(flags)
    bad = flagged.filter(skip & ~flags["blank"])
    rejections = [
        reject(path, row["line"], row["problem"], _MESSAGES[row["problem"]], _shown(row))
        for row in bad.iter_rows(named=True)
    ]
    good = frame.filter(~skip).drop("extra")
    return good, rejections, int(flags["blank"].sum())


def _hash(query: str) -> int:
    """The hash polars gives ``query`` in a column (as :meth:`FileMiner.add` keys rows)."""
    return int(pl.Series([query], dtype=pl.String).hash()[0])


def _shown(row: dict[str, object]) -> dict[str, object]:
    return {k: str(row[k])[:300] for k in ("user", "query", "time", "click", "extra") if row[k]}


def _compact(frame: pl.DataFrame) -> pl.DataFrame:
    """A copy that owns its strings: a filtered frame's strings are views into the whole
    batch's buffers, and keeping it would keep every batch of the file in memory."""
    owned = pl.from_arrow(frame.to_arrow())
    assert isinstance(owned, pl.DataFrame)
    return owned


def _empty_seen() -> pl.DataFrame:
    return pl.DataFrame(schema={"h": pl.UInt64, "reason": REASON})


def _empty_actionable() -> pl.DataFrame:
    return pl.DataFrame(schema={"h": pl.UInt64, "norm": pl.String, "app": pl.String})


@dataclass
class FileMiner:
    """Accumulates one file's batches; :meth:`rows` gives the actionable rows.

    Queries are keyed by a 64-bit hash (grouping and joining on integers is several times
    faster than on strings); each distinct query is classified once per file, in the first
    batch it appears in, and only its reason is remembered (its normalized form and app too
    when it is actionable), so the memory per distinct query is a few bytes.

    With no ``default_app``, rows whose query cannot name an app (:func:`.classify.may_name_app`:
    most of a log, often 95% or more) are dropped first, by a test of each row that runs on
    every core, and only counted, as ``unnamed``; the rest go on as above. With ``reasons``
    they are classified too, to count them by the reason they drop for (navigational,
    informational, ...): their tests run in a background thread while the file's actionable
    rows go on (polars releases the GIL), and :meth:`finish` collects the counts. That
    grouping and testing of every distinct query costs about as much as the rest of the
    mining, hence the option.
    """

    lexicon: Lexicon
    default_app: str | None = None
    reasons: bool = False
    dropped: Counter[str] = field(default_factory=Counter)
    _carry: tuple[str, int] = ("", 0)  # the last row's user and query hash
    _parts: list[pl.DataFrame] = field(default_factory=list)
    _seen: pl.DataFrame = field(default_factory=_empty_seen)
    _actionable: pl.DataFrame = field(default_factory=_empty_actionable)
    _pending: list[Future[pl.DataFrame]] = field(default_factory=list)
    _facts: list[Future[Facts]] = field(default_factory=list)

    @property
    def _screen(self) -> bool:
        """Whether rows that cannot name an app are dropped unclassified."""
        return self.default_app is None and not self.reasons

    def add(self, good: pl.DataFrame, *, last: bool = False) -> None:
        """Take a checked batch (see :func:`check_batch`); ``last``: no batch follows (its
        kept rows need no copies of their own, see :func:`_compact`)."""
        if good.height == 0:
            return
        self._settle()  # (the queries seen so far must all be known)
        good = good.with_row_index("pos")  # (where each row was: see :meth:`_keep`)
        last_row = (good["user"][-1], good["query"][-1])
        if self._screen:
            good = self._named(good)
        good = good.with_columns(h=pl.col("query").hash())
        h = good["h"]
        counts = (
            pl.DataFrame({"h": h, "query": good["query"]})
            .group_by("h")
            .agg(n=pl.len(), query=pl.col("query").first())
        )
        known = counts.join(self._seen, on="h") if self._seen.height else None
        fresh = counts.join(self._seen, on="h", how="anti") if known is not None else counts
        tallies = [self._learn(fresh)] if fresh.height else []
        if known is not None and known.height:
            tallies.append(known.select("n", "reason"))
        for tally in tallies:
            self._tally(tally)
        carry, self._carry = self._carry, (last_row[0], _hash(last_row[1]))
        if self._actionable.height:
            kept = self._keep(good, carry)
            if kept.height:
                self._parts.append(kept if last else _compact(kept))

    def _keep(self, good: pl.DataFrame, carry: tuple[str, int]) -> pl.DataFrame:
        """The rows of actionable queries with their app, normal form, and ``new``: whether
        the row starts a search (not the same user and query as the row before).

        The row before a kept row is either kept too (then it is the kept row before it) or
        asks another query (then the row starts a search), so ``new`` needs the kept rows
        only; the batch's first row follows ``carry``, the last row of the batch before."""
        actionable = pl.col("h").is_in(self._actionable["h"].implode())
        kept = good.lazy().filter(actionable).collect()  # (it tests the chunks side by side)
        pos, user, h = pl.col("pos"), pl.col("user"), pl.col("h")
        same_before = (pos.shift(1) == pos - 1) & (user.shift(1) == user) & (h.shift(1) == h)
        same_carry = (pos == 0) & (user == carry[0]) & (h == carry[1])
        same = (user != "") & (same_before.fill_null(False) | same_carry)
        kept = kept.with_columns(new=~same)
        return kept.join(self._actionable, on="h").select(ROW_COLUMNS)

    def _named(self, good: pl.DataFrame) -> pl.DataFrame:
        """The rows whose query may name an app; the others are counted as ``unnamed``."""
        test = may_name_app(self.lexicon)
        # (the streaming engine runs the test on every core, morsel by morsel, in row order)
        named = good.lazy().filter(test).collect(engine="streaming")
        if not named["pos"].is_sorted():
            named = named.sort("pos")
        if named.height < good.height:
            self.dropped["unnamed"] += good.height - named.height
        return named

    def _tally(self, tally: pl.DataFrame) -> None:
        """Count ``tally``'s rows (``n``) by ``reason``: the Enum's codes weighted by ``n``."""
        codes = tally["reason"].to_physical().to_numpy()
        sums = np.bincount(codes, weights=tally["n"].to_numpy(), minlength=len(REASONS))
        self.dropped.update({r: int(n) for r, n in zip(REASONS, sums, strict=True) if n})

    def _learn(self, fresh: pl.DataFrame) -> pl.DataFrame:
        """Classify queries not seen before in this file (``h``, ``query``, ``n``: their hash,
        text and rows); returns the ``n`` and ``reason`` of those classified here (the others
        are counted by :meth:`_settle`)."""
        # own copies of the strings: scanning views scattered over the batch is slower
        fresh = _compact(fresh)
        if self.default_app is None and self.reasons:  # (else they were screened out)
            maybe = fresh.select(may_name_app(self.lexicon)).to_series()
            unnamed = fresh.filter(~maybe).select("h", "n", "query")
            self._pending.append(_BACKGROUND.submit(unnamed_reasons, unnamed, self.lexicon))
            fresh = fresh.filter(maybe)
        kinds = classify_named(fresh, self.lexicon, self.default_app)
        self._remember(kinds)
        actionable = kinds.filter(pl.col("reason") == "actionable").select("h", "norm", "app")
        self._actionable = pl.concat([self._actionable, actionable], rechunk=False)
        if actionable.height:  # the merge's Python half, while the rows are taken
            self._facts.append(_BACKGROUND.submit(variant_facts, actionable, self.lexicon))
        return kinds.select("n", "reason")

    def variant_facts(self) -> Facts:
        """The merge facts of the actionable queries so far (see :func:`.variant_facts`)."""
        facts: Facts = {}
        for future in self._facts:
            facts.update(future.result())
        return facts

    def _remember(self, kinds: pl.DataFrame) -> None:
        self._seen = pl.concat([self._seen, kinds.select("h", "reason")], rechunk=False)

    def _settle(self) -> None:
        """Wait for the background tests and count their queries."""
        pending, self._pending = self._pending, []
        for future in pending:
            kinds = future.result()
            self._remember(kinds)
            self._tally(kinds)

    def finish(self) -> Counter[str]:
        """The rows dropped (and kept: ``actionable``) by reason, once every test is done."""
        self._settle()
        return self.dropped

    def rows(self) -> pl.DataFrame:
        """The actionable rows, with queries naming several apps resolved to one."""
        if not self._parts:
            schema = {c: pl.Int64 if c == "line" else pl.String for c in ROW_COLUMNS}
            return pl.DataFrame(schema={**schema, "new": pl.Boolean})
        rows = pl.concat(self._parts)
        multi = rows.filter(pl.col("app") == MULTI)["norm"].unique().to_list()
        if multi:
            fix = {n: resolve_multi(n, self.lexicon, self.default_app) for n in multi}
            rows = rows.with_columns(
                app=pl.when(pl.col("app") == MULTI)
                .then(pl.col("norm").replace_strict(fix, default=None))
                .otherwise(pl.col("app"))
            )
            if self.default_app:
                moved = rows.filter(pl.col("app") != self.default_app)
                self.dropped["other_app"] += moved.height
                self.dropped["actionable"] -= moved.height
                rows = rows.filter(pl.col("app") == self.default_app)
        return rows
