"""``filter``: mark records of one table as kept or rejected, by named rules and SQL predicates.

Filtering never deletes: it writes one ``marks`` row per (record, rule). A record is kept iff
all its marks keep it. By default a run replaces every mark of its table (the latest filter is
the whole filter); ``append=True`` keeps earlier marks and replaces only the rules it runs again.
All predicates are evaluated in one sandboxed, read-only DuckDB SELECT.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from lamdata.curate.base import check_table, derived_rows, replace_rows
from lamdata.curate.rules import Predicate, parse_rule, where_predicate
from lamdata.errors import ConfigError
from lamdata.store import Store, Summary, recorded_run
from lamdata.store.query import query


def predicates(table: str, rules: list[str], where: str | None) -> list[Predicate]:
    """Parse rule specs and the optional SQL predicate into runnable predicates."""
    found = [parse_rule(spec, table) for spec in rules]
    if where is not None and where.strip():
        found.append(where_predicate(where))
    if not found:
        raise ConfigError("nothing to filter by", hint="give --rule NAME and/or --where SQL")
    labels = [p.label for p in found]
    if len(set(labels)) != len(labels):
        raise ConfigError(f"a rule is given twice: {', '.join(labels)}")
    return found


def evaluate_marks(
    store: Store, *, table: str, rules: list[str] | None = None, where: str | None = None
) -> pl.DataFrame:
    """One row per (record, predicate): ``record_id, rule, keep, reason`` (nothing written)."""
    check_table(store, table)
    preds = predicates(table, list(rules or []), where)
    columns = ",\n".join(
        f"coalesce(({p.sql}\n) IS TRUE, false) AS r{k}" for k, p in enumerate(preds)
    )
    result = pl.from_arrow(query(store, f"SELECT id,\n{columns}\nFROM {table}"))
    assert isinstance(result, pl.DataFrame)
    frames = [
        result.select(
            pl.col("id").alias("record_id"),
            pl.lit(p.label).alias("rule"),
            pl.col(f"r{k}").alias("keep"),
            pl.when(pl.col(f"r{k}")).then(pl.lit("")).otherwise(pl.lit(p.reason)).alias("reason"),
        )
        for k, p in enumerate(preds)
    ]
    return pl.concat(frames).sort("record_id", "rule")


def filter(
    store: Store,
    *,
    table: str,
    where: str | None = None,
    rules: list[str] | None = None,
    append: bool = False,
    dry_run: bool = False,
) -> Summary:
    """Mark ``table``'s records by ``rules`` and ``where``; counts rejections per rule."""
    config: dict[str, Any] = {"table": table, "where": where, "rules": list(rules or [])}
    config.update(append=append, dry_run=dry_run)
    marks = evaluate_marks(store, table=table, rules=rules, where=where)
    with recorded_run(store, "filter", config) as summary:
        marks = marks.with_columns(
            pl.lit(table).alias("table_name"), pl.lit(summary.run_id).alias("run_id")
        )
        if append:
            earlier = derived_rows(store, "marks", table)
            earlier = earlier.filter(~pl.col("rule").is_in(marks["rule"].unique().to_list()))
            marks = pl.concat([earlier.select(marks.columns), marks])
        _count(summary, marks)
        summary.notes.update(dry_run=dry_run, rules=", ".join(marks["rule"].unique().sort()))
        if not dry_run:
            replace_rows(store, "marks", table, marks)
    return summary


def _count(summary: Summary, marks: pl.DataFrame) -> None:
    per_record = marks.group_by("record_id").agg(pl.col("keep").all())
    summary.records_in = per_record.height
    summary.records_out = int(per_record["keep"].sum())
    failed = marks.filter(~pl.col("keep")).group_by("rule").len()
    for rule, count in failed.iter_rows():
        summary.rejected[rule] = int(count)


def rejections(store: Store, table: str) -> pl.DataFrame:
    """The stored marks of ``table`` that reject a record: ``record_id, rule, reason``."""
    marks = derived_rows(store, "marks", table).filter(~pl.col("keep"))
    return marks.select("record_id", "rule", "reason").sort("record_id", "rule")
