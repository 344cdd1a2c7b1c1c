"""Every layout the log ingest reads: AOL (with and without header), TSV, CSV, JSON lines,
Parquet, gzip; what was detected is said; locators are the 1-based line (or row)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import polars as pl
import pytest

from lamdata.errors import ConfigError
from lamdata.ingest.logs import detect_layout, ingest_logs
from lamdata.records import TaskPlan
from lamdata.store import Store

ROWS = [  # user, query, time, click
    ("7", "weather", "2006-03-01 10:00:00", ""),
    ("7", "how to insert a table in word", "2006-03-01 10:01:00", "http://office.microsoft.com"),
    ("8", "excel remove duplicates", "2006-03-02 09:00:00", ""),
    ("9", "how to remove duplicates in excel", "2006-03-03 09:00:00", "http://a.example.com"),
]


def _plans(tmp_path: Path, path: Path, **options: object) -> tuple[list[TaskPlan], dict]:
    store = Store(tmp_path / "st")
    summary = ingest_logs(store, [path], **options)  # type: ignore[arg-type]
    return store.records("task_plans", TaskPlan), summary.as_dict()


def _check(plans: list[TaskPlan], table_line: str, dup_line: str) -> None:
    by_task = {p.task: p for p in plans}
    assert set(by_task) == {"Insert a table in Word", "Remove duplicates in Excel"}
    assert by_task["Insert a table in Word"].source.locator == table_line
    dup = by_task["Remove duplicates in Excel"]
    assert dup.source.locator == dup_line
    assert (dup.signals.frequency, dup.signals.distinct_users) == (2, 2)


def test_aol_with_header(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    lines = ["AnonID\tQuery\tQueryTime\tItemRank\tClickURL"]
    lines += [f"{u}\t{q}\t{t}\t{'1' if c else ''}\t{c}" for u, q, t, c in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plans, summary = _plans(tmp_path, path)
    _check(plans, "3", "4")
    assert "AOL 2006 layout" in summary["notes"]["layout"]
    assert summary["notes"]["dropped_unnamed"] == 1  # 'weather' names no app
    _, explained = _plans(tmp_path / "again", path, drop_reasons=True)
    assert explained["notes"]["dropped_informational"] == 1
    assert "dropped_unnamed" not in explained["notes"]


def test_aol_without_header_needs_the_format_flag(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_text("".join(f"{u}\t{q}\t{t}\t\t{c}\n" for u, q, t, c in ROWS), encoding="utf-8")
    plans, summary = _plans(tmp_path, path, fmt="aol")
    _check(plans, "2", "3")
    assert "no header line" in summary["notes"]["layout"]


def test_csv_with_column_mapping_and_quoted_newline(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    body = ['"who","search words","ts","link"', '"7","a ""quoted""\nquery","x",""']
    body += [f'{u},"{q}",{t},{c}' for u, q, t, c in ROWS]
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    plans, summary = _plans(tmp_path, path, query_col="search words", user_col="who")
    _check(plans, "5", "6")  # the quoted newline makes row 2 span lines 2-3
    assert (
        "CSV" in summary["notes"]["layout"] and "query=search words" in summary["notes"]["layout"]
    )


def test_tsv_guessed_columns(tmp_path: Path) -> None:
    path = tmp_path / "log.tsv"
    body = ["user_id\tquery\ttimestamp\turl"] + ["\t".join(r) for r in ROWS]
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    plans, summary = _plans(tmp_path, path)
    _check(plans, "3", "4")
    assert "query=query, user=user_id, time=timestamp, click=url" in summary["notes"]["layout"]


def test_jsonl_gzip(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for u, q, t, c in ROWS:
            out.write(json.dumps({"user": int(u), "q": q, "time": t, "url": c}) + "\n")
    plans, summary = _plans(tmp_path, path)
    _check(plans, "2", "3")
    assert "JSON lines" in summary["notes"]["layout"]


def test_parquet_rows(tmp_path: Path) -> None:
    path = tmp_path / "log.parquet"
    frame = pl.DataFrame(ROWS, schema=["uid", "query", "time", "click"], orient="row")
    frame.with_columns(pl.col("uid").cast(pl.Int64)).write_parquet(path)
    plans, _ = _plans(tmp_path, path)
    _check(plans, "2", "3")  # 1-based rows


def test_aol_gzip_is_read(tmp_path: Path) -> None:
    path = tmp_path / "log.txt.gz"
    lines = ["AnonID\tQuery\tQueryTime\tItemRank\tClickURL"]
    lines += [f"{u}\t{q}\t{t}\t\t{c}" for u, q, t, c in ROWS]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    plans, _ = _plans(tmp_path, path)
    _check(plans, "3", "4")


def test_blank_lines_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    lines = ["AnonID\tQuery\tQueryTime\tItemRank\tClickURL", "", ""]
    lines += [f"{u}\t{q}\t{t}\t\t{c}" for u, q, t, c in ROWS]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    plans, summary = _plans(tmp_path, path)
    _check(plans, "5", "6")
    assert summary["notes"]["blank_lines"] == 2
    assert summary["rejected"] == 0


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        ingest_logs(Store(tmp_path / "st"), [tmp_path], fmt="xml")


def test_detect_layout_names_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("session,keywords,created_at\n1,x,2\n", encoding="utf-8")
    layout = detect_layout(path, None, {})
    assert layout.fmt == "csv"
    assert layout.columns == {"query": "keywords", "user": "session", "time": "created_at",
                              "click": None}  # fmt: skip


def test_headerless_aol_is_recognized_by_shape(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_text("".join(f"{u}\t{q}\t{t}\t\t{c}\n" for u, q, t, c in ROWS), encoding="utf-8")
    plans, summary = _plans(tmp_path, path)
    _check(plans, "2", "3")
    assert "AOL 2006 layout" in summary["notes"]["layout"]
    assert "no header line" in summary["notes"]["layout"]


def test_headerless_tsv_columns_guessed_or_given_by_position(tmp_path: Path) -> None:
    path = tmp_path / "queries.tsv"  # query id, query: like MS MARCO query files
    body = "".join(f"{i}\t{q}\n" for i, (_, q, _, _) in enumerate(ROWS, start=100))
    path.write_text(body, encoding="utf-8")
    plans, summary = _plans(tmp_path, path)
    assert {p.task for p in plans} == {"Insert a table in Word", "Remove duplicates in Excel"}
    assert "no header line" in summary["notes"]["layout"]
    assert "query=2, user=1" in summary["notes"]["layout"]
    csv_path = tmp_path / "q.csv"
    csv_path.write_text("".join(f'x,"{q}",{u}\n' for u, q, _, _ in ROWS), encoding="utf-8")
    plans, _ = _plans(tmp_path / "b", csv_path, query_col="2", user_col="3")
    dup = next(p for p in plans if p.task == "Remove duplicates in Excel")
    assert (dup.source.locator, dup.signals.distinct_users) == ("3", 2)
