"""The stage contract: resume per file, plan matching against help-doc plans, --app, lexicon."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lamdata.errors import ConfigError
from lamdata.ingest.logs import ingest_logs
from lamdata.records import Source, TaskPlan
from lamdata.store import Store

HEADER = "AnonID\tQuery\tQueryTime\tItemRank\tClickURL\n"


def _log(path: Path, *queries: str) -> Path:
    rows = [f"{i}\t{q}\t2006-03-01 10:00:0{i % 10}\t\t\n" for i, q in enumerate(queries)]
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def _doc_plan(app: str, task: str, steps: list[str]) -> TaskPlan:
    source = Source(kind="help_doc", uri=f"docs/{app}.md", locator=task)
    return TaskPlan.create(app=app, task=task, steps=steps, source=source)


def _plans(store: Store) -> dict[str, TaskPlan]:
    return {
        p.task: p for p in store.records("task_plans", TaskPlan) if p.source.kind == "search_log"
    }


def test_resume_skips_done_files_and_redoes_changed_ones(tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    log = _log(tmp_path / "a.txt", "how to insert a table in word")
    first = ingest_logs(store, [log])
    again = ingest_logs(store, [log])
    assert (first.records_out, again.records_out, again.skipped_parts) == (1, 0, 1)
    _log(log, "how to insert a table in word", "excel remove duplicates")
    os.utime(log, ns=(1, 1_000_000_000))
    changed = ingest_logs(store, [log])
    assert changed.skipped_parts == 0 and changed.records_out == 1  # the table one is known
    assert store.count("task_plans") == 2


def test_plan_attached_from_best_help_doc_match(tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    docs = [
        _doc_plan("word", "Insert a table", ["Select Insert > Table.", "Choose the size."]),
        _doc_plan("word", "Insert a picture", ["Select Insert > Pictures."]),
        _doc_plan("excel", "Insert a table", ["Select Insert > Table in Excel."]),
    ]
    store.write("task_plans", docs, part="docs-fixture")
    log = _log(tmp_path / "a.txt", "how to insert a table in word",
               "how to insert a table of contents in word", "word add page numbers")  # fmt: skip
    summary = ingest_logs(store, [log])
    plans = _plans(store)
    table = plans["Insert a table in Word"]
    assert table.plan_source == "matched" and not table.needs_plan
    assert table.steps == ["Select Insert > Table.", "Choose the size."]
    assert table.signals.matched_plan_id == docs[0].id
    assert table.signals.match_score == 100.0
    for task in ("Insert a table of contents in Word", "Add page numbers in Word"):  # no doc
        assert plans[task].needs_plan and plans[task].steps == []
        assert plans[task].plan_source == "none" and plans[task].signals.match_score is None
    assert summary.notes["plans_matched"] == 1 and summary.notes["help_doc_plans"] == 3


def test_match_threshold_is_configurable(tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    doc = _doc_plan("word", "Insert a tabel", ["Select Insert."])  # a typo keeps it < 100
    store.write("task_plans", [doc], part="d")
    log = _log(tmp_path / "a.txt", "how to insert a table in word")
    ingest_logs(store, [log], match_threshold=99.0)
    assert _plans(store)["Insert a table in Word"].needs_plan
    loose = Store(tmp_path / "st2")
    loose.write("task_plans", [doc], part="d")
    ingest_logs(loose, [log], match_threshold=80.0)
    match = _plans(loose)["Insert a table in Word"]
    assert match.plan_source == "matched" and 80.0 <= (match.signals.match_score or 0) < 99.0


def test_app_option_reads_an_in_app_help_search_log(tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    log = _log(tmp_path / "a.txt", "insert table", "remove duplicates in excel", "weather")
    summary = ingest_logs(store, [log], app="word")
    assert set(_plans(store)) == {"Insert table in Word"}
    assert summary.notes["dropped_other_app"] == 1


def test_unknown_app_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="gimp"):
        ingest_logs(Store(tmp_path / "st"), [tmp_path], app="gimp")


def test_lexicon_file_adds_an_app(tmp_path: Path) -> None:
    lexicon = tmp_path / "lex.toml"
    lexicon.write_text(
        'features = ["layer mask"]\n\n[apps.gimp]\ndisplay = "GIMP"\nnames = ["gimp"]\n',
        encoding="utf-8",
    )
    log = _log(tmp_path / "a.txt", "gimp add layer mask", "gimp layer mask", "excel sort")
    store = Store(tmp_path / "st")
    ingest_logs(store, [log], lexicon=str(lexicon))
    plans = _plans(store)
    assert set(plans) == {"Add layer mask in GIMP", "Sort in Excel"}
    assert plans["Add layer mask in GIMP"].signals.variants == [
        "gimp add layer mask",
        "gimp layer mask",
    ]
    without = Store(tmp_path / "st2")
    ingest_logs(without, [log])
    assert set(_plans(without)) == {"Sort in Excel"}


def test_an_app_with_a_short_name_is_not_screened_out(tmp_path: Path) -> None:
    """Rows naming no app are dropped before classification: an app whose name is only two
    letters long must still count as named."""
    lexicon = tmp_path / "lex.toml"
    lexicon.write_text('[apps.vi]\ndisplay = "Vi"\nnames = ["vi"]\n', encoding="utf-8")
    log = _log(tmp_path / "a.txt", "how to delete a line in vi", "weather")
    store = Store(tmp_path / "st")
    summary = ingest_logs(store, [log], lexicon=str(lexicon))
    assert set(_plans(store)) == {"Delete a line in Vi"}
    assert summary.notes["dropped_unnamed"] == 1


def test_a_bad_lexicon_is_a_usage_error(tmp_path: Path) -> None:
    lexicon = tmp_path / "lex.json"
    lexicon.write_text('{"apps": {"Bad App": {"names": ["x"]}}}', encoding="utf-8")
    with pytest.raises(ConfigError, match="Bad App"):
        ingest_logs(Store(tmp_path / "st"), [tmp_path], lexicon=str(lexicon))


def test_ids_are_deterministic(tmp_path: Path) -> None:
    log = _log(tmp_path / "a.txt", "how to insert a table in word", "excel remove duplicates")
    one, two = Store(tmp_path / "one"), Store(tmp_path / "two")
    ingest_logs(one, [log])
    ingest_logs(two, [log])
    assert sorted(one.keys("task_plans")) == sorted(two.keys("task_plans"))


def test_matching_folds_synonyms_and_plurals(tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    pie = _doc_plan("excel", "Create a pie chart from the sales figures", ["Select Insert."])
    fade = _doc_plan("powerpoint", "Add a transition between slides", ["Select Transitions."])
    bare = _doc_plan("powerpoint", "Add Transitions in PowerPoint", ["Open Transitions."])
    store.write("task_plans", [pie, fade, bare], part="docs")
    log = _log(
        tmp_path / "a.txt", "how to make a pie chart in excel", "powerpoint slide transitions"
    )
    ingest_logs(store, [log])
    plans = _plans(store)
    assert plans["Make a pie chart in Excel"].signals.matched_plan_id == pie.id
    assert plans["Add slide transitions in PowerPoint"].signals.matched_plan_id == fade.id
