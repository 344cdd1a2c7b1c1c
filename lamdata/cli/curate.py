"""``lamdata filter``, ``lamdata dedup``, ``lamdata split``: curation over a store's tables."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from lamdata.cli.common import (
    JsonOpt,
    StoreOpt,
    console,
    open_store,
    print_summary,
    progress_bar,
    render_table,
    settings_for,
)
from lamdata.errors import ConfigError

TableOpt = Annotated[
    str, typer.Option("--table", "-t", help="task_plans, instances or trajectories.")
]


def filter_cmd(
    ctx: typer.Context,
    table: TableOpt = "trajectories",
    where: Annotated[
        str | None, typer.Option("--where", "-w", help="SQL predicate over the table's columns.")
    ] = None,
    rule: Annotated[
        list[str] | None, typer.Option("--rule", "-r", help="Named rule, e.g. min_steps:2.")
    ] = None,
    append: Annotated[
        bool, typer.Option("--append", help="Keep earlier marks of other rules.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count only; write nothing.")] = False,
    list_: Annotated[bool, typer.Option("--list", help="List every rejection.")] = False,
    show_rules: Annotated[bool, typer.Option("--rules", help="List the named rules.")] = False,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Mark records kept or rejected by named rules and/or an SQL predicate (never deletes).

    The latest filter of a table replaces its marks unless --append is given.

    Example: lamdata filter -s st -t trajectories -r min_steps:2 -r outcome_pass --dry-run
    """
    if show_rules:
        _print_rules()
        return
    import polars as pl

    from lamdata.curate import evaluate_marks, filter, rejections

    st = open_store(settings_for(ctx, store=store), create=False)
    summary = filter(st, table=table, where=where, rules=rule, append=append, dry_run=dry_run)
    print_summary(summary, as_json=as_json)
    if list_:
        rows = (
            evaluate_marks(st, table=table, rules=rule, where=where).filter(~pl.col("keep"))
            if dry_run
            else rejections(st, table)
        )
        render_table(rows.select("record_id", "rule", "reason").to_arrow(), "table")


def _print_rules() -> None:
    from lamdata.curate import RULES

    view = Table(title="filter rules", title_justify="left")
    for name in ("rule", "parameter", "tables", "rejects when"):
        view.add_column(name)
    for rule in RULES.values():
        view.add_row(rule.name, rule.param or "", ", ".join(rule.tables), rule.reason)
    console.print(view)


def dedup_cmd(
    ctx: typer.Context,
    table: TableOpt = "task_plans",
    threshold: Annotated[float, typer.Option(help="Jaccard threshold of near duplicates.")] = 0.8,
    num_perm: Annotated[int, typer.Option(help="MinHash permutations.")] = 128,
    shingle: Annotated[int, typer.Option(help="Words per shingle.")] = 3,
    survivor: Annotated[
        str, typer.Option(help="Survivor rule: 'default' or keys, e.g. pass,errors,id.")
    ] = "default",
    full: Annotated[bool, typer.Option("--full", help="Recompute, ignoring the index.")] = False,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Cluster exact and near duplicates (MinHash-LSH, verified Jaccard); pick survivors.

    Example: lamdata dedup -s st -t task_plans --threshold 0.8
    """
    from lamdata.curate import dedup

    st = open_store(settings_for(ctx, store=store), create=False)
    with progress_bar("dedup") as advance:
        summary = dedup(
            st, table=table, threshold=threshold, num_perm=num_perm, shingle=shingle,
            survivor=survivor, full=full, progress=advance,
        )  # fmt: skip
    print_summary(summary, as_json=as_json)


def _csv(text: str, kind: type = str) -> list[Any]:
    items = [item.strip() for item in text.split(",") if item.strip()]
    try:
        return [kind(item) for item in items]
    except ValueError as exc:
        raise ConfigError(f"cannot read {text!r} as a comma list of {kind.__name__}") from exc


def split_cmd(
    ctx: typer.Context,
    table: TableOpt = "trajectories",
    ratios: Annotated[str, typer.Option(help="Comma list of split ratios.")] = "0.8,0.1,0.1",
    names: Annotated[str | None, typer.Option(help="Comma list of split names.")] = None,
    group_by: Annotated[
        str, typer.Option(help="cluster, lineage, template or columns; 'none' for no groups.")
    ] = "cluster,lineage",
    stratify_by: Annotated[str, typer.Option(help="Column to stratify by, or 'none'.")] = "app",
    seed: Annotated[int | None, typer.Option(help="Split seed (default: settings seed).")] = None,
    report: Annotated[
        bool, typer.Option("--report", help="Only show the leakage report of the stored split.")
    ] = False,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Group-aware, stratified, deterministic splits, with a leakage report.

    Example: lamdata split -s st -t trajectories --ratios 0.8,0.1,0.1 --stratify-by app
    """
    from lamdata.curate import leakage_report, split

    settings = settings_for(ctx, store=store, seed=seed)
    st = open_store(settings, create=False)
    if report:
        _print_report(leakage_report(st, table), as_json)
        return
    summary = split(
        st, table=table, ratios=_csv(ratios, float), names=_csv(names) if names else None,
        group_by=[] if group_by == "none" else _csv(group_by),
        stratify_by=None if stratify_by == "none" else stratify_by, seed=settings.seed,
    )  # fmt: skip
    print_summary(summary, as_json=as_json)
    if not as_json:
        _print_report(summary.notes["leakage"], False)


def _print_report(report: dict[str, Any], as_json: bool) -> None:
    if as_json:
        console.print_json(json.dumps(report))
        return
    console.print(
        f"leakage: {report['near_duplicate_pairs_across_splits']} near-duplicate pairs "
        "across splits; groups across splits: "
        + ", ".join(f"{k} {v}" for k, v in report["groups_across_splits"].items()),
        markup=False,
    )
    ratios = report["ratios"]
    names = sorted({k for row in ratios.values() for k in row if k != "records"})
    view = Table(title=f"{report['table']}: achieved ratios per stratum", title_justify="left")
    for column in ("stratum", "records", *names):
        view.add_column(column, justify="left" if column == "stratum" else "right")
    for stratum, row in ratios.items():
        view.add_row(stratum, str(row["records"]), *(f"{row.get(n, 0.0):.3f}" for n in names))
    console.print(view)


def register(app: typer.Typer) -> None:
    app.command("filter")(filter_cmd)
    app.command("dedup")(dedup_cmd)
    app.command("split")(split_cmd)
