"""Bad input: each case is reported with file and line, quarantined with a reason code, and
the rest of the batch is processed; ``strict`` turns any rejection into a failure."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from lamdata.errors import InputError
from lamdata.ingest.logs import ingest_logs, load_lexicon, mine_file
from lamdata.ingest.logs.matching import PlanIndex
from lamdata.ingest.logs.stage import Options
from lamdata.records import Rejection, TaskPlan
from lamdata.store import Store, Summary

HEADER = b"AnonID\tQuery\tQueryTime\tItemRank\tClickURL\n"
GOOD = b"5\thow to insert a table in word\t2006-03-01 10:00:00\t\t\n"


def _run(tmp_path: Path, *paths: Path, **options: object) -> tuple[Store, Summary]:
    store = Store(tmp_path / "st")
    return store, ingest_logs(store, list(paths), **options)  # type: ignore[arg-type]


def _rejections(store: Store) -> dict[tuple[str, str], str]:
    """(file name, locator) → reason code."""
    return {
        (Path(r.uri).name, r.locator): r.reason.split(":", 1)[0]
        for r in store.records("quarantine", Rejection)
    }


def _tasks(store: Store) -> set[str]:
    return {p.task for p in store.records("task_plans", TaskPlan)}


def test_latin1_byte_in_ascii_file(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_bytes(HEADER + b"4\tcaf\xe9 menu\t2006-03-01 09:00:00\t\t\n" + GOOD)
    store, summary = _run(tmp_path, path)
    assert _rejections(store) == {("log.txt", "2"): "bad_encoding"}
    assert _tasks(store) == {"Insert a table in Word"}
    assert summary.rejected == {"bad_encoding": 1}
    reason = store.records("quarantine", Rejection)[0].reason
    assert "log.txt line 2" in reason


def test_gb18030_file(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    chinese = "如何在 word 中插入表格".encode("gb18030")
    path.write_bytes(HEADER + b"4\t" + chinese + b"\t2006-03-01 09:00:00\t\t\n" + GOOD)
    csv_path = tmp_path / "log.csv"
    csv_path.write_bytes(b"user,query\n1," + chinese + b"\n2,excel remove duplicates\n")
    store, _ = _run(tmp_path, path, csv_path)
    assert _rejections(store) == {
        ("log.txt", "2"): "bad_encoding",
        ("log.csv", "2"): "bad_encoding",
    }
    assert _tasks(store) == {"Insert a table in Word", "Remove duplicates in Excel"}
    csv_reason = next(r.reason for r in store.records("quarantine", Rejection) if "csv" in r.uri)
    assert "byte 0x" in csv_reason


def test_empty_file_and_the_rest_of_the_batch(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = tmp_path / "good.txt"
    good.write_bytes(HEADER + GOOD)
    store, summary = _run(tmp_path, empty, good)
    assert _rejections(store) == {("empty.txt", "1"): "empty_file"}
    assert _tasks(store) == {"Insert a table in Word"}
    assert summary.notes["files"] == 2


def test_50mb_single_line_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"how to insert a table in word " * (50 * 1024 * 1024 // 30))
    store, _ = _run(tmp_path, path, tmp_path / "huge.txt")
    assert _rejections(store) == {("huge.txt", "1"): "line_too_long"}
    assert _tasks(store) == set()


def test_overlong_line_inside_a_log(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_bytes(HEADER + b"4\t" + b"x" * 200_000 + b"\t2006\t\t\n" + GOOD)
    store, _ = _run(tmp_path, path)
    assert _rejections(store) == {("log.txt", "2"): "line_too_long"}
    assert _tasks(store) == {"Insert a table in Word"}
    record = store.records("quarantine", Rejection)[0].record_json
    assert len(record) < 1000


def test_csv_missing_query_column(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("user,when\n1,2006\n", encoding="utf-8")
    other = tmp_path / "other.csv"
    other.write_text("user,query\n1,excel remove duplicates\n", encoding="utf-8")
    store, _ = _run(tmp_path, path, other)
    assert _rejections(store) == {("log.csv", "1"): "missing_column"}
    assert _tasks(store) == {"Remove duplicates in Excel"}


def test_named_column_that_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("user,query\n1,excel remove duplicates\n", encoding="utf-8")
    store, _ = _run(tmp_path, path, query_col="search")
    assert _rejections(store) == {("log.csv", "1"): "missing_column"}


def test_ragged_rows(tmp_path: Path) -> None:
    csv_path = tmp_path / "log.csv"
    csv_path.write_text(
        "user,query,time\n1,excel remove duplicates,2006\n2,a,b,c,d\n3\n", encoding="utf-8"
    )
    aol = tmp_path / "log.txt"
    aol.write_bytes(HEADER + b"4\tword add page numbers\t2006\t1\thttp://x\tstray\n7\n" + GOOD)
    store, _ = _run(tmp_path, csv_path, aol)
    assert _rejections(store) == {
        ("log.csv", "3"): "ragged_row",
        ("log.csv", "4"): "ragged_row",
        ("log.txt", "2"): "ragged_row",
        ("log.txt", "3"): "missing_field",
    }
    assert _tasks(store) == {"Remove duplicates in Excel", "Insert a table in Word"}


def test_json_of_the_wrong_shape(tmp_path: Path) -> None:
    document = tmp_path / "doc.json"
    document.write_text(json.dumps([{"query": "excel remove duplicates"}], indent=2), "utf-8")
    lines = tmp_path / "lines.jsonl"
    lines.write_text(
        '{"query": "excel remove duplicates"}\n["word add page numbers"]\n'
        '{"q": 3}\n{not json\n{"query": "how to insert a table in word"}\n',
        encoding="utf-8",
    )
    store, summary = _run(tmp_path, document, lines)
    assert _rejections(store) == {
        ("doc.json", "1"): "bad_shape",
        ("lines.jsonl", "2"): "bad_shape",
        ("lines.jsonl", "3"): "bad_shape",
        ("lines.jsonl", "4"): "bad_json",
    }
    assert _tasks(store) == {"Remove duplicates in Excel", "Insert a table in Word"}
    assert summary.rejected == {"bad_shape": 3, "bad_json": 1}


def test_strict_fails_on_any_rejection(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_bytes(HEADER + b"4\tcaf\xe9\t2006\t\t\n" + GOOD)
    store = Store(tmp_path / "st")
    with pytest.raises(InputError, match="bad_encoding"):
        ingest_logs(store, [path], strict=True)
    assert _rejections(store) == {("log.txt", "2"): "bad_encoding"}
    assert store.count("task_plans") == 0
    run = store.read("runs").to_pylist()[-1]
    assert run["status"] == "failed"


def test_strict_passes_clean_input(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_bytes(HEADER + GOOD)
    _, summary = _run(tmp_path, path, strict=True)
    assert summary.records_out == 1


def test_byte_order_marks_are_ignored(tmp_path: Path) -> None:
    bom = b"\xef\xbb\xbf"
    aol = tmp_path / "log.txt"
    aol.write_bytes(bom + HEADER + GOOD)
    csv_path = tmp_path / "log.csv"
    csv_path.write_bytes(bom + b"query,user\nexcel remove duplicates,1\n")
    lines = tmp_path / "log.jsonl"
    lines.write_bytes(bom + b'{"query": "word add page numbers"}\n')
    store, summary = _run(tmp_path, aol, csv_path, lines)
    assert summary.rejected_total == 0
    assert _tasks(store) == {
        "Insert a table in Word",
        "Remove duplicates in Excel",
        "Add page numbers in Word",
    }


def test_corrupt_gzip_and_parquet_are_rejected_not_fatal(tmp_path: Path) -> None:
    gz = tmp_path / "log.txt.gz"
    gz.write_bytes(gzip.compress(HEADER + GOOD * 50)[:-30])
    parquet = tmp_path / "log.parquet"
    parquet.write_bytes(b"PAR1 not really parquet")
    good = tmp_path / "good.txt"
    good.write_bytes(HEADER + GOOD)
    store, _ = _run(tmp_path, gz, parquet, good)
    codes = _rejections(store)
    assert codes[("log.parquet", "1")] == "bad_parquet"
    assert codes[("log.txt.gz", "1")] == "unreadable"
    assert _tasks(store) == {"Insert a table in Word"}


def test_deeply_nested_json_line(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text("[" * 100_000 + "\n" + '{"query": "excel sort"}\n', encoding="utf-8")
    store, _ = _run(tmp_path, path)
    assert _rejections(store) == {("log.jsonl", "1"): "bad_json"}
    assert _tasks(store) == {"Sort in Excel"}


def test_line_longer_than_a_read_block_is_skipped_not_held(tmp_path: Path) -> None:
    path = tmp_path / "log.txt.gz"
    lines = [b"1\texcel remove duplicates\t2006\t\t\n", b"2\t" + b"y" * 3_000_000 + b"\t2006\t\t\n"]
    lines += [b"3\tweather\t2006\t\t\n", GOOD]
    path.write_bytes(gzip.compress(HEADER + b"".join(lines)))
    options = Options(load_lexicon(), PlanIndex([]), batch_rows=1000)  # 1 MiB read blocks
    result = mine_file(path, options)
    assert [(r.locator, r.reason.split(":")[0]) for r in result.rejections] == [
        ("3", "line_too_long")
    ]
    located = {p.task: p.source.locator for p in result.records}
    assert located == {"Remove duplicates in Excel": "2", "Insert a table in Word": "5"}
    assert result.lines == 4
