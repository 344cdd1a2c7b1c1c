"""``lamdata ingest logs`` through the real CLI app."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lamdata.cli.main import app

SAMPLE = Path(__file__).parents[2] / "samples" / "logs" / "aol-sample.txt"
runner = CliRunner()


def test_ingest_sample_prints_summary(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", "logs", str(SAMPLE), "-s", str(tmp_path / "st")])
    assert result.exit_code == 0, result.output
    assert "ingest_logs: 183 in, 28 out, 0 rejected" in result.output
    assert "AOL 2006 layout" in result.output
    assert "dropped_unnamed: 66" in result.output  # lines naming no app, not broken down
    args = ["ingest", "logs", str(SAMPLE), "-s", str(tmp_path / "st2"), "--drop-reasons"]
    explained = runner.invoke(app, args)
    assert explained.exit_code == 0, explained.output
    assert "dropped_unnamed" not in explained.output and "ingest_logs: 183 in, 28 out" in (
        explained.output
    )


def test_json_output_and_resume(tmp_path: Path) -> None:
    args = ["ingest", "logs", str(SAMPLE.parent), "-s", str(tmp_path / "st"), "--json"]
    first = json.loads(runner.invoke(app, args).output)
    second = json.loads(runner.invoke(app, args).output)
    assert (first["records_out"], first["skipped_parts"], first["rejected"]) == (28, 0, 0)
    assert first["notes"]["files"] == 1  # the folder's README is not a log
    assert (second["records_out"], second["skipped_parts"]) == (0, 1)
    assert first["notes"]["layouts"][str(SAMPLE)].startswith("AOL 2006 layout")


def test_strict_exits_1_and_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"AnonID\tQuery\tQueryTime\tItemRank\tClickURL\n1\tcaf\xe9\t2006\t\t\n")
    store = str(tmp_path / "st")
    lenient = runner.invoke(app, ["ingest", "logs", str(bad), "-s", store])
    assert lenient.exit_code == 0 and "bad_encoding" in lenient.output
    strict = runner.invoke(app, ["ingest", "logs", str(bad), "-s", store + "2", "--strict"])
    assert strict.exit_code == 1
    assert "bad.txt line 2" in strict.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    store = str(tmp_path / "st")
    result = runner.invoke(app, ["ingest", "logs", str(SAMPLE), "-s", store, "--format", "xml"])
    assert result.exit_code == 2 and "unknown log format" in result.output
    result = runner.invoke(app, ["ingest", "logs", str(SAMPLE), "-s", store, "--app", "gimp"])
    assert result.exit_code == 2 and "--lexicon" in result.output


def test_missing_path_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", "logs", str(tmp_path / "nope.txt"), "-s", str(tmp_path)])
    assert result.exit_code == 1 and "nope.txt" in result.output


def test_column_mapping_options(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("a,b\n1,excel remove duplicates\n", encoding="utf-8")
    args = ["ingest", "logs", str(path), "-s", str(tmp_path / "st"), "--query-col", "b"]
    result = runner.invoke(app, [*args, "--user-col", "a", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["records_out"] == 1
