"""Every bad-input case of issue 3: reported with file (and line), quarantined with a reason code,
and the rest of the batch processed; ``--strict`` fails the command after writing the good part."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lamdata.cli.main import app as cli
from lamdata.ingest.docs import StrictModeError, ingest_docs, ingest_file
from lamdata.records import Rejection, Run, TaskPlan
from lamdata.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "docs"
GOOD = """<html><body><h1>Bold text in Word</h1>
<ol><li>Select the text.</li><li>On the <b>Home</b> tab, click <b>Bold</b>.</li></ol>
</body></html>"""


def one(name: str, **kw: int) -> tuple[list[TaskPlan], list[Rejection], list[str]]:
    result = ingest_file(FIXTURES / name, max_bytes=kw.get("max_bytes", 16_000_000))
    return result.plans, result.rejections, result.warnings


def codes(rejections: list[Rejection]) -> list[str]:
    return [r.reason.split(":", 1)[0] for r in rejections]


def test_single_latin1_byte_is_decoded_and_reported() -> None:
    plans, rejected, warnings = one("latin1-byte.html")
    assert not rejected
    assert plans[0].task == "Insert a café table in Word"
    assert len(warnings) == 1 and "byte 0xe9 at line 1" in warnings[0] and "cp1252" in warnings[0]


def test_gb18030_file_is_decoded() -> None:
    plans, rejected, warnings = one("gb18030.html")
    assert not rejected and "gb18030" in warnings[0]
    assert [(p.task, p.lang, p.app) for p in plans] == [("插入表格", "zh", "word")]
    assert plans[0].steps == ["在插入选项卡上，单击表格。", "单击确定。"]


def test_wrong_meta_charset_either_way() -> None:
    plans, rejected, warnings = one("wrong-charset-utf8.html")
    assert not rejected and not warnings
    assert plans[0].steps[0] == "Select your name in the résumé."
    plans, rejected, warnings = one("wrong-charset-cp1252.html")
    assert not rejected and "declared utf-8" in warnings[0]
    assert plans[0].steps[0] == "Click in the title’s paragraph."


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("binary.html", "binary_file"),
        ("nul-bytes.html", "binary_file"),
        ("empty.html", "empty_file"),
        ("blank.md", "empty_file"),
        ("wrong-shape.json", "bad_shape"),
        ("invalid.json", "bad_json"),
        ("missing-columns.csv", "bad_columns"),
        ("notes.rtf", "unsupported_format"),
    ],
)
def test_whole_file_rejections(name: str, code: str) -> None:
    plans, rejected, _ = one(name)
    assert not plans
    assert codes(rejected) == [code]
    assert rejected[0].uri == str(FIXTURES / name)
    assert rejected[0].reason.startswith(f"{code}: {FIXTURES / name}")


def test_lines_are_reported_where_they_apply() -> None:
    _, rejected, _ = one("invalid.json")
    assert rejected[0].locator == "line 2"
    _, rejected, _ = one("missing-columns.csv")
    assert rejected[0].locator == "line 1"


def test_truncated_html_keeps_what_was_complete() -> None:
    plans, rejected, _ = one("truncated.html")
    assert [p.task for p in plans] == ["Insert a table"]
    assert codes(rejected) == ["truncated_html"]
    assert rejected[0].locator == "line 7" and "Delete a table" in rejected[0].reason


def test_ragged_csv_rows_are_refused_one_by_one() -> None:
    plans, rejected, _ = one("ragged.csv")
    assert codes(rejected) == ["ragged_row", "ragged_row"]
    assert [r.locator for r in rejected] == ["line 3", "line 5"]
    assert '"extra"' in rejected[0].record_json
    assert [(p.task, len(p.steps)) for p in plans] == [
        ("Bold Text in Word", 2),
        ("Center Text in Word", 2),
    ]


def test_jsonl_bad_lines_and_records() -> None:
    plans, rejected, _ = one("mixed.jsonl")
    assert [p.source.locator for p in plans] == ["unique_id=1", "unique_id=4"]
    assert [(r.reason.split(":")[0], r.locator) for r in rejected] == [
        ("bad_json", "line 2"),
        ("bad_shape", "line 3"),
    ]


def test_ufo_record_without_steps_has_its_pointer(tmp_path: Path) -> None:
    path = tmp_path / "tasks.json"
    path.write_text(
        '[{"app": "word", "unique_id": "1", "task": "Bold", "refined_steps": ["1. Click Bold"]},'
        ' {"app": "word", "unique_id": "2", "task": "Center", "refined_steps": "Click Center"}]'
    )
    result = ingest_file(path, max_bytes=10**6)
    assert len(result.plans) == 1
    assert codes(result.rejections) == ["bad_record"]
    assert result.rejections[0].pointer == "/1/refined_steps"


def test_50mb_single_line_file(tmp_path: Path) -> None:
    big = tmp_path / "huge.html"
    with open(big, "wb") as handle:
        handle.write(b"<html><body><p>")
        chunk = b"lorem ipsum dolor sit amet " * 40_000
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(chunk)
        handle.write(b"</p></body></html>")
    (tmp_path / "good.html").write_text(GOOD)
    store = Store(tmp_path / "st")
    summary = ingest_docs(store, [tmp_path / "huge.html", tmp_path / "good.html"])
    assert dict(summary.rejected) == {"too_large": 1}
    assert summary.records_out == 1
    accepted = ingest_file(big, max_bytes=64 * 1024 * 1024)
    assert not accepted.rejections and not accepted.plans


def test_gzip_is_transparent_and_a_broken_one_is_refused(tmp_path: Path) -> None:
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(GOOD.encode()))
    (tmp_path / "broken.html.gz").write_bytes(gzip.compress(GOOD.encode())[:40])
    good = ingest_file(tmp_path / "page.html.gz", max_bytes=10**6)
    assert [p.task for p in good.plans] == ["Bold text in Word"]
    bad = ingest_file(tmp_path / "broken.html.gz", max_bytes=10**6)
    assert codes(bad.rejections) == ["unreadable"]


def test_batch_goes_on_and_summary_counts(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(FIXTURES, docs)
    (docs / "good.html").write_text(GOOD)
    store = Store(tmp_path / "st")
    summary = ingest_docs(store, [docs])
    assert summary.notes["files_read"] == len(list(docs.iterdir())) - 1  # notes.rtf: not a doc
    assert summary.notes["warnings"] == 3
    assert summary.rejected["binary_file"] == 2 and summary.rejected["empty_file"] == 2
    assert summary.rejected["ragged_row"] == 2 and summary.rejected["truncated_html"] == 1
    quarantined = store.records("quarantine", Rejection)
    assert len(quarantined) == summary.rejected_total
    assert all(q.stage == "ingest_docs" and q.run_id == summary.run_id for q in quarantined)
    assert summary.records_out == store.count("task_plans") >= 10


def test_strict_writes_the_good_part_then_fails(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.html").write_text(GOOD)
    shutil.copy(FIXTURES / "binary.html", docs / "binary.html")
    store = Store(tmp_path / "st")
    with pytest.raises(StrictModeError) as caught:
        ingest_docs(store, [docs], strict=True)
    assert caught.value.summary.rejected == {"binary_file": 1}
    assert store.count("task_plans") == 1
    assert [r.status for r in store.records("runs", Run)] == ["failed"]
    with pytest.raises(StrictModeError):  # a resumed run still knows the rejection
        ingest_docs(store, [docs], strict=True)
    ingest_docs(store, [docs])  # without --strict the same input is fine


def test_strict_exit_code_on_the_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["ingest", "docs", str(FIXTURES / "empty.html"), "--store", str(tmp_path / "st")]
    assert runner.invoke(cli, args).exit_code == 0
    failed = runner.invoke(cli, [*args, "--strict"])
    assert failed.exit_code == 1
    assert "empty_file" in failed.output
