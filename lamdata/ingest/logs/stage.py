"""The ``ingest logs`` stage: search-query logs in, task-plans (``source.kind = search_log``) out.

Per input file (the unit of resume): detect its layout, read it in batches, quarantine
malformed lines, keep the actionable software how-to queries, aggregate them with their
reformulations, phrase each as an imperative task and attach the best-matching help-doc plan
already in the store (else an empty plan with ``needs_plan``).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from lamdata.errors import ConfigError, InputError
from lamdata.ingest.files import expand_paths
from lamdata.ingest.logs.aggregate import Mined, aggregate
from lamdata.ingest.logs.constants import DEFAULT_MATCH_THRESHOLD, DEFAULT_MERGE_THRESHOLD
from lamdata.ingest.logs.layout import FORMATS, FileRejected, Layout, clip, detect_layout
from lamdata.ingest.logs.lexicon import Lexicon, load_lexicon
from lamdata.ingest.logs.matching import PlanIndex
from lamdata.ingest.logs.mining import FileMiner, check_batch
from lamdata.ingest.logs.phrasing import phrase_task, task_core
from lamdata.ingest.logs.readers import STAGE, file_rejection, read_batches, reject
from lamdata.records import Rejection, Signals, Source, TaskPlan
from lamdata.store import Store, Summary, part_name, recorded_run, utc_now

Progress = Callable[..., None]
#: bump when the mining rules change what a file yields, so done parts are redone
MINER_VERSION = 3
#: what a folder or glob contributes (a file named explicitly is always read)
LOG_SUFFIXES = (".txt", ".tsv", ".csv", ".jsonl", ".ndjson", ".json", ".parquet", ".log")


@dataclass
class FileResult:
    """What one file gave: records, rejections, and counts for the summary."""

    records: list[TaskPlan] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    lines: int = 0
    blank: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    layout: str = ""


@dataclass(frozen=True)
class Options:
    """The stage options a file is mined with."""

    lexicon: Lexicon
    plans: PlanIndex
    app: str | None = None
    fmt: str | None = None
    columns: dict[str, str | None] = field(default_factory=dict)
    match_threshold: float = DEFAULT_MATCH_THRESHOLD
    merge_threshold: float = DEFAULT_MERGE_THRESHOLD
    drop_reasons: bool = False  # classify queries naming no app too, to count why they drop
    batch_rows: int = 1_000_000  # read blocks of 64 MB: memory stays bounded, few batches


def mine_file(path: Path, options: Options, progress: Progress | None = None) -> FileResult:
    """Read one log file into task-plans (no store writes)."""
    result = FileResult()
    try:
        layout = detect_layout(path, options.fmt, options.columns)
    except FileRejected as exc:
        result.rejections.append(file_rejection(path, exc))
        return result
    try:
        return _mine(path, layout, options, progress)
    except (pl.exceptions.PolarsError, pa.ArrowException, csv.Error, OSError, EOFError) as exc:
        message = f"cannot be read as {layout.fmt} ({type(exc).__name__}: {exc})"
        result.rejections.append(reject(path, 1, "unreadable", clip(message, 300)))
        return result


def _mine(path: Path, layout: Layout, options: Options, progress: Progress | None) -> FileResult:
    result = FileResult(layout=layout.description)
    miner = FileMiner(options.lexicon, options.app, reasons=options.drop_reasons)
    for batch in read_batches(path, layout, options.batch_rows):
        good, bad, blank = check_batch(batch.frame, path, encoding=batch.lossy)
        result.rejections += batch.rejections + bad
        result.lines += batch.frame.height + batch.blank + len(batch.rejections)
        result.blank += blank + batch.blank
        miner.add(good, last=batch.whole)
        if progress is not None:
            progress(batch.frame.height)
    has_users = bool(layout.columns.get("user"))
    mined = aggregate(
        miner.rows(),
        options.lexicon,
        has_users=has_users,
        merge_threshold=options.merge_threshold,
        facts=miner.variant_facts(),
    )
    result.records = [_task_plan(m, path, options) for m in mined]
    result.dropped = miner.finish()
    return result


def _task_plan(mined: Mined, path: Path, options: Options) -> TaskPlan:
    app = options.lexicon.app(mined.app)
    assert app is not None
    match = options.plans.best(
        mined.app, task_core(mined.query, options.lexicon, app), threshold=options.match_threshold
    )
    signals = Signals(
        frequency=mined.frequency,
        distinct_users=mined.distinct_users,
        first_seen=mined.first_seen,
        last_seen=mined.last_seen,
        top_clicks=mined.top_clicks,
        variants=mined.variants,
        match_score=match.score if match else None,
        matched_plan_id=match.plan.id if match else None,
    )
    return TaskPlan.create(
        app=mined.app,
        task=phrase_task(mined.query, options.lexicon, app),
        steps=list(match.plan.steps) if match else [],
        source=Source(kind="search_log", uri=str(path), locator=str(mined.line), title=mined.query),
        ui_terms=[list(t) for t in match.plan.ui_terms] if match else None,
        signals=signals,
        needs_plan=match is None,
        plan_source="matched" if match else "none",
    )


def ingest_logs(
    store: Store,
    paths: Sequence[str | Path],
    *,
    app: str | None = None,
    fmt: str | None = None,
    query_col: str | None = None,
    time_col: str | None = None,
    user_col: str | None = None,
    click_col: str | None = None,
    match_threshold: float = DEFAULT_MATCH_THRESHOLD,
    merge_threshold: float = DEFAULT_MERGE_THRESHOLD,
    lexicon: str | None = None,
    strict: bool = False,
    drop_reasons: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Ingest search logs at ``paths`` into the store's ``task_plans``; one part per file.

    Lines whose query names no app of the lexicon are counted as ``dropped_unnamed``; with
    ``drop_reasons`` they are classified too and counted by why they drop (``empty``,
    ``navigational``, ``no_app``, ``non_software``, ``informational``), which makes mining
    a large log about twice as slow. The task-plans are the same either way (so the option is
    not part of the stage config, and files done already are not mined again for it)."""
    lex = load_lexicon(lexicon)
    _check_options(lex, app, fmt, match_threshold, merge_threshold)
    columns = {"query": query_col, "user": user_col, "time": time_col, "click": click_col}
    config: dict[str, Any] = {
        "app": app,
        "format": fmt,
        "columns": columns,
        "match_threshold": match_threshold,
        "merge_threshold": merge_threshold,
        "lexicon": lex.fingerprint,
        "strict": strict,
        "miner": MINER_VERSION,
    }
    files = expand_paths(paths, LOG_SUFFIXES)
    with recorded_run(store, STAGE, config) as summary:
        plans = PlanIndex.from_store(store)
        options = Options(
            lex, plans, app, fmt, columns, match_threshold, merge_threshold, drop_reasons
        )
        for path in files:
            _ingest_file(store, path, options, summary, strict=strict, progress=progress)
        summary.notes["files"] = len(files)
        summary.notes["help_doc_plans"] = len(options.plans)
    return summary


def _check_options(
    lex: Lexicon, app: str | None, fmt: str | None, match: float, merge: float
) -> None:
    if fmt is not None and fmt not in FORMATS:
        raise ConfigError(f"unknown log format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
    if app is not None and lex.app(app) is None:
        known = ", ".join(a.id for a in lex.apps)
        raise ConfigError(
            f"app {app!r} is not in the lexicon (known: {known})",
            hint="add it with --lexicon FILE ([apps.<id>] names = [...])",
        )
    for name, value in (("match threshold", match), ("merge threshold", merge)):
        if not 0 <= value <= 100:
            raise ConfigError(f"{name} must be between 0 and 100, got {value}")


def _ingest_file(
    store: Store,
    path: Path,
    options: Options,
    summary: Summary,
    *,
    strict: bool,
    progress: Progress | None,
) -> None:
    stat = path.stat()
    part = part_name(STAGE, summary.config_hash, f"{path}:{stat.st_mtime_ns}:{stat.st_size}")
    if store.has_part("task_plans", part):
        summary.skipped_parts += 1
        return
    result = mine_file(path, options, progress)
    _count(summary, path, result)
    if result.rejections:
        store.quarantine(result.rejections, part=part, run_id=summary.run_id, created_at=utc_now())
        if strict:
            first = result.rejections[0]
            raise InputError(
                f"{len(result.rejections)} rejected line(s) in {path} (--strict); first: "
                f"{first.reason}",
                hint='see the quarantine table (lamdata query "SELECT * FROM quarantine")',
            )
    summary.records_out += store.write("task_plans", result.records, part=part)


def _count(summary: Summary, path: Path, result: FileResult) -> None:
    summary.records_in += result.lines
    summary.reject(result.rejections)
    for reason, count in sorted(result.dropped.items()):
        key = "actionable_lines" if reason == "actionable" else f"dropped_{reason}"
        summary.notes[key] = summary.notes.get(key, 0) + count
    if result.blank:
        summary.notes["blank_lines"] = summary.notes.get("blank_lines", 0) + result.blank
    matched = sum(1 for r in result.records if r.plan_source == "matched")
    summary.notes["plans_matched"] = summary.notes.get("plans_matched", 0) + matched
    summary.notes["needs_plan"] = summary.notes.get("needs_plan", 0) + len(result.records) - matched
    if result.layout:
        layouts = summary.notes.setdefault("layouts", {})
        layouts[str(path)] = result.layout
        summary.notes["layout"] = _layout_line(layouts)


def _layout_line(layouts: dict[str, str]) -> str:
    shown = [f"{Path(p).name}: {d}" for p, d in list(layouts.items())[:5]]
    more = len(layouts) - len(shown)
    return "; ".join(shown) + (f"; ... and {more} more files" if more > 0 else "")
