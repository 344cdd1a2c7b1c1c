"""Aggregate a file's actionable rows by query, after merging near-duplicate variants.

Each merged query gets: how many searches asked it (``frequency``), by how many users, when it
was first and last seen, its most clicked URLs, its variants (most searched first), and the line
where it first occurs. Variants merge within one app only.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from lamdata.ingest.logs.lexicon import Lexicon
from lamdata.ingest.logs.merge import cluster_variants, variant_key
from lamdata.ingest.logs.phrasing import variant_core, verb_object

TOP_CLICKS = 3
ARTICLES = ("a", "an", "the", "my", "your", "some")


@dataclass(frozen=True)
class Mined:
    """One actionable query of a file, merged with its reformulations."""

    app: str
    query: str
    line: int
    frequency: int
    distinct_users: int | None
    first_seen: str | None
    last_seen: str | None
    top_clicks: list[str]
    variants: list[str]


#: a variant's merge key and, when the key starts with a verb, what follows it (see
#: :func:`.merge.cluster_variants`), by (app, normalized query)
Facts = dict[tuple[str, str], tuple[str, str | None]]


def variant_facts(pairs: pl.DataFrame, lexicon: Lexicon) -> Facts:
    """The :data:`Facts` of the (``app``, ``norm``) pairs given (the Python-heavy half of the
    merge: :class:`.mining.FileMiner` computes it in the background as queries are kept)."""
    return {
        (str(app_id), norm): _variant_fact(str(app_id), norm, lexicon)
        for app_id, norm in pairs.select("app", "norm").iter_rows()
    }


def _variant_fact(app_id: str, norm: str, lexicon: Lexicon) -> tuple[str, str | None]:
    app = lexicon.app(app_id)
    key = variant_key(variant_core(norm, lexicon, app), ARTICLES) if app else norm
    return key, verb_object(key, lexicon)


def _canonical(
    variants: pl.DataFrame, lexicon: Lexicon, threshold: float, facts: Facts
) -> tuple[pl.DataFrame, dict[tuple[str, str], list[str]]]:
    """Each variant and the preferred variant of its cluster (columns app, norm, canon); and
    each cluster's variants, most searched first (``variants`` comes sorted that way, app
    first, so its app groups come in row order). ``facts``: those known already (the others
    are computed here)."""
    canons: list[str] = []
    names: dict[tuple[str, str], list[str]] = {}
    for (app_id,), group in variants.partition_by("app", as_dict=True, maintain_order=True).items():
        app, norms = str(app_id), group["norm"].to_list()
        known = [facts.get((app, n)) or _variant_fact(app, n, lexicon) for n in norms]
        keys, objects = [k for k, _ in known], [o for _, o in known]
        # a variant with a verb names its cluster before a bare one ('add page numbers' wins)
        order = sorted(range(len(norms)), key=lambda i: objects[i] is None)
        mapping = cluster_variants(
            [norms[i] for i in order],
            [keys[i] for i in order],
            objects=[objects[i] for i in order],
            threshold=threshold,
        )
        for norm in norms:
            names.setdefault((app, mapping[norm]), []).append(norm)
        canons += [mapping[n] for n in norms]
    canon = variants.select("app", "norm").with_columns(canon=pl.Series(canons, dtype=pl.String))
    return canon, names


def aggregate(
    rows: pl.DataFrame,
    lexicon: Lexicon,
    *,
    has_users: bool,
    merge_threshold: float = 90.0,
    facts: Facts | None = None,
) -> list[Mined]:
    """The merged queries of a file's actionable rows, in order of first occurrence
    (``facts``: :func:`variant_facts` already known)."""
    if rows.height == 0:
        return []
    new = pl.col("new")
    variants = (
        rows.group_by("app", "norm")
        .agg(freq=new.sum(), line=pl.col("line").min())
        .sort(["app", "freq", "line"], descending=[False, True, False])
    )
    canon, names = _canonical(variants, lexicon, merge_threshold, facts or {})
    time, user, click = pl.col("time"), pl.col("user"), pl.col("click")
    table = (
        rows.join(canon, on=["app", "norm"])
        .group_by("app", "canon")
        .agg(
            frequency=new.sum(),
            users=user.filter(user != "").n_unique(),
            first_seen=time.filter(time != "").min(),
            last_seen=time.filter(time != "").max(),
            line=pl.col("line").min(),
            clicks=click.filter(click != "").value_counts(),
        )
        .sort("line")
    )
    return [_mined(row, names, has_users) for row in table.iter_rows(named=True)]


def _top_clicks(counts: list[dict[str, object]]) -> list[str]:
    """The most clicked URLs (ties: in alphabetical order)."""
    ranked = sorted(counts, key=lambda c: (-int(c["count"]), str(c["click"])))  # type: ignore[call-overload]
    return [str(c["click"]) for c in ranked[:TOP_CLICKS]]


def _mined(
    row: dict[str, object], names: dict[tuple[str, str], list[str]], has_users: bool
) -> Mined:
    app, canon = str(row["app"]), str(row["canon"])
    return Mined(
        app=app,
        query=canon,
        line=int(row["line"]),  # type: ignore[call-overload]
        frequency=int(row["frequency"]),  # type: ignore[call-overload]
        distinct_users=int(row["users"]) if has_users else None,  # type: ignore[call-overload]
        first_seen=row["first_seen"] or None,  # type: ignore[arg-type]
        last_seen=row["last_seen"] or None,  # type: ignore[arg-type]
        top_clicks=_top_clicks(row["clicks"] or []),  # type: ignore[arg-type]
        variants=names[(app, canon)],
    )
