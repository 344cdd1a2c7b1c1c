"""``ingest docs --llm openai:MODEL``: model-assisted extraction through the real openai SDK
against the local test server, whose scripted model reads the prompt it is sent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lamdata.cli.main import app as cli
from lamdata.hashing import content_hash
from lamdata.ingest.docs import ingest_docs, read_document
from lamdata.ingest.docs import stage as docs_stage
from lamdata.ingest.docs.model import MAX_CHARS, render
from lamdata.llm import LLMConfig
from lamdata.pipeline import run_pipeline
from lamdata.records import Rejection, TaskPlan
from lamdata.store import Store, part_name
from lamdata.testing import ChatCall, OpenAIServer, Reply
from tests.conftest import FAKE_OPENAI_KEY

TABLES_HTML = """<!doctype html><html><head><title>Tables in Word</title>
<meta name="app" content="Microsoft Word"></head><body><main>
<h1>Tables in Word</h1>
<h2>Insert a table</h2>
<p>To insert a table, do the following:</p>
<ol><li>On the <b>Insert</b> tab, click <b>Table</b>.</li><li>Drag to pick rows and columns.</li>
</ol>
<h2>Delete a table</h2>
<ol><li>Click in the table.</li><li>On the Layout tab, click Delete, then Delete Table.</li></ol>
</main></body></html>
"""

REFERENCE_MD = """# Keyboard shortcuts reference

| Keys | What they do |
| --- | --- |
| Ctrl+B | Bold |

## See also

- [Word help](https://example.com)
"""

FLAKY_MD = "# Make text bold\n\n1. Select the text.\n2. Press Ctrl+B.\n"
BROKEN_MD = "# Center text\n\n1. Select the text.\n2. Click Center.\n"
UFO_TASK = {
    "app": "Word",
    "unique_id": "7",
    "task": "Turn lines into a bulleted list",
    "refined_steps": ["Select the lines", "Click the **Bullets** button on the **Home** tab"],
}
DUMP = {"articles": [{"title": "How to Bold Text in Word", "steps": ["Click **Bold**."]}]}

TABLES_ANSWER = {
    "procedures": [
        {
            "task": "Insert a table",
            "steps": ["Click the Insert tab", "Click **Table**", "Drag to pick rows and columns"],
            "section": "Tables in Word > Insert a table",
        },
        {
            "task": "Delete a table",
            "steps": ["1. Click in the table", 'Click "Delete" on the Layout tab', "Delete Table"],
            "section": "Delete a table",
        },
        {"task": "Admire the table", "steps": [], "section": "Insert a table"},
    ]
}
BOLD_ANSWER = {
    "procedures": [
        {"task": "Make text bold", "steps": ["Select the text", "Press Ctrl+B"], "section": ""}
    ]
}


def title_of(call: ChatCall) -> str:
    """The document title of the first user message (re-asks append turns after it)."""
    first = call.messages[1]["content"]
    return next(
        line.removeprefix("Document title: ")
        for line in first.splitlines()
        if line.startswith("Document title: ")
    )


def model(call: ChatCall) -> Reply | dict[str, Any]:
    title = title_of(call)
    reasked = len(call.messages) > 2
    if title == "Tables in Word":
        return TABLES_ANSWER
    if title == "Keyboard shortcuts reference":
        return {"procedures": []}
    if title == "Make text bold":
        return BOLD_ANSWER if reasked else Reply.json({"procedures": [{"task": "Bold"}]})
    if title == "Center text":
        return Reply.json({"procedures": [{"task": "", "steps": "Click Center"}]})
    raise AssertionError(f"unexpected document sent: {title!r}")


def config() -> LLMConfig:
    return LLMConfig(model="test-model", concurrency=8, timeout=5, max_attempts=2, backoff=0.01)


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of the sample documents, all in one part (one batch of requests)."""
    monkeypatch.setattr(docs_stage, "CHUNK_EVERY", 1 << 40)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "tables.html").write_text(TABLES_HTML, encoding="utf-8")
    (folder / "reference.md").write_text(REFERENCE_MD, encoding="utf-8")
    (folder / "flaky.md").write_text(FLAKY_MD, encoding="utf-8")
    (folder / "broken.md").write_text(BROKEN_MD, encoding="utf-8")
    (folder / "ufo.json").write_text(json.dumps(UFO_TASK), encoding="utf-8")
    (folder / "dump.json").write_text(json.dumps(DUMP), encoding="utf-8")
    return folder


def by_uri(store: Store) -> dict[str, list[TaskPlan]]:
    out: dict[str, list[TaskPlan]] = {}
    for plan in store.records("task_plans", TaskPlan):
        out.setdefault(Path(plan.source.uri).name, []).append(plan)
    return out


def test_model_extraction_end_to_end(
    openai_server: OpenAIServer, docs: Path, tmp_path: Path
) -> None:
    openai_server.responder = model
    openai_server.latency = 0.2
    store = Store(tmp_path / "st")
    summary = ingest_docs(store, [docs], llm="openai:test-model", llm_config=config())
    plans = by_uri(store)

    tables = sorted(plans["tables.html"], key=lambda p: p.task)
    assert [p.task for p in tables] == ["Delete a table", "Insert a table"]
    delete, insert = tables
    assert insert.steps == ["Click the Insert tab", "Click Table", "Drag to pick rows and columns"]
    assert insert.ui_terms == [["Insert"], ["Table"], []]
    assert delete.steps[0] == "Click in the table"  # numbering stripped
    assert delete.ui_terms[1] == ["Delete", "Layout"]  # quoted label, "the X tab"
    assert {p.plan_source for p in tables} == {"model"}
    assert {p.source.kind for p in tables} == {"help_doc"}
    assert insert.source.locator == "Tables in Word > Insert a table"
    assert delete.source.locator == "Tables in Word > Delete a table"
    assert {p.app for p in tables} == {"word"}

    assert "reference.md" not in plans  # answered with [], nothing invented
    (bold,) = plans["flaky.md"]  # schema-invalid first, valid after the re-ask
    assert bold.steps == ["Select the text", "Press Ctrl+B"]
    assert bold.source.locator == "Make text bold"  # no section: the title
    assert "broken.md" not in plans

    (ufo,) = plans["ufo.json"]  # structured inputs keep the rule path
    assert (ufo.plan_source, ufo.source.kind) == ("import", "import")
    (dump,) = plans["dump.json"]
    assert (dump.plan_source, dump.source.kind) == ("document", "wikihow")
    sent = {title_of(call) for call in openai_server.calls}
    assert sent == {
        "Tables in Word",
        "Keyboard shortcuts reference",
        "Make text bold",
        "Center text",
    }
    assert openai_server.max_in_flight >= 2  # one batch per part: the documents ask at once

    reasons = {r.reason.split(":")[0]: r for r in store.records("quarantine", Rejection)}
    assert set(reasons) == {"llm_schema", "llm_empty_procedure"}
    broken = reasons["llm_schema"]
    assert broken.uri.endswith("broken.md") and broken.stage == "ingest_docs"
    assert str(docs / "broken.md") in broken.reason
    assert json.loads(broken.record_json)["prompt"] == "extract.v1"
    assert "Center" in json.loads(broken.record_json)["answer"]
    assert "Admire the table" in reasons["llm_empty_procedure"].record_json
    assert summary.rejected == {"llm_schema": 1, "llm_empty_procedure": 1}

    notes = summary.notes
    assert notes["documents_to_model"] == 4
    assert notes["procedures_from_model"] == 3
    assert notes["model_sections_unmatched"] == 0
    assert summary.llm_calls == openai_server.requests == store.count("llm_calls")
    assert summary.config["llm"] == "openai:test-model"
    assert summary.config["prompt"] == "extract.v1"

    openai_server.reset_counts()
    again = ingest_docs(store, [docs], llm="openai:test-model", llm_config=config())
    assert openai_server.requests == 0 and again.skipped_parts == 1 and again.records_out == 0


def test_cache_replays_when_parts_are_redone(
    openai_server: OpenAIServer, docs: Path, tmp_path: Path
) -> None:
    openai_server.responder = model
    first = ingest_docs(Store(tmp_path / "a"), [docs], llm="openai:test-model", llm_config=config())
    asked = openai_server.requests
    store_b = Store(tmp_path / "b")
    shutil.copytree(tmp_path / "a" / "llm_cache", tmp_path / "b" / "llm_cache")
    openai_server.reset_counts()
    second = ingest_docs(store_b, [docs], llm="openai:test-model", llm_config=config())
    assert asked > 0 and openai_server.requests == 0
    assert second.cache_hits == second.llm_calls > 0
    assert second.records_out == first.records_out


def test_model_parts_are_distinct_and_offline_names_unchanged(
    openai_server: OpenAIServer, docs: Path, tmp_path: Path
) -> None:
    openai_server.responder = model
    store = Store(tmp_path / "st")
    offline = ingest_docs(store, [docs])
    extractor = docs_stage.EXTRACTOR_VERSION
    old_config = {"app": None, "strict": False, "max_mb": 16.0, "extractor": extractor}
    assert offline.config == old_config  # no llm key: stores made before keep resuming
    keys = "\n".join(docs_stage.file_key(p) for p in sorted(docs.iterdir()))
    expected = part_name("ingest_docs", content_hash(old_config), keys)
    assert [p.stem for p in store.parts("task_plans")] == [expected]
    assert openai_server.requests == 0 and "documents_to_model" not in offline.notes

    modelled = ingest_docs(store, [docs], llm="openai:test-model", llm_config=config())
    assert modelled.skipped_parts == 0 and openai_server.requests > 0
    assert modelled.config_hash != offline.config_hash
    assert len(store.parts("task_plans")) == 2
    other = ingest_docs(store, [docs], llm="openai:other-model", llm_config=config())
    assert other.skipped_parts == 0 and len(store.parts("task_plans")) == 3


def test_the_key_is_nowhere_in_the_store(
    openai_server: OpenAIServer, docs: Path, tmp_path: Path
) -> None:
    openai_server.responder = model
    store = Store(tmp_path / "st")
    ingest_docs(store, [docs], llm="openai:test-model", llm_config=config())
    assert openai_server.authorization == {f"Bearer {FAKE_OPENAI_KEY}"}
    for path in (tmp_path / "st").rglob("*"):
        if path.is_file():
            assert FAKE_OPENAI_KEY.encode() not in path.read_bytes(), path


def test_an_outage_writes_nothing_and_the_next_run_resumes(
    openai_server: OpenAIServer, docs: Path, tmp_path: Path
) -> None:
    from lamdata.errors import LLMTransientError

    openai_server.responder = lambda call: Reply.server_error(503)
    store = Store(tmp_path / "st")
    with pytest.raises(LLMTransientError):
        ingest_docs(store, [docs], llm="openai:test-model", llm_config=config())
    assert store.count("task_plans") == 0 and store.count("quarantine") == 0
    openai_server.responder = model
    summary = ingest_docs(store, [docs], llm="openai:test-model", llm_config=config())
    assert summary.records_out == 5


def test_the_cli_flag(openai_server: OpenAIServer, docs: Path, tmp_path: Path) -> None:
    openai_server.responder = model
    args = ["ingest", "docs", str(docs), "-s", str(tmp_path / "st"), "--json"]
    result = CliRunner().invoke(cli, [*args, "--llm", "openai:test-model", "-c", "4"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["notes"]["documents_to_model"] == 4
    assert summary["rejected_by_reason"] == {"llm_empty_procedure": 1, "llm_schema": 1}
    assert FAKE_OPENAI_KEY not in result.output
    requests = openai_server.requests
    again = CliRunner().invoke(cli, [*args, "--llm", "openai:test-model"])
    assert again.exit_code == 0 and openai_server.requests == requests
    bad = CliRunner().invoke(cli, [*args, "--llm", "anthropic:x"])
    assert bad.exit_code != 0 and "unknown --llm backend" in bad.output


def test_the_cli_ignores_lamdata_llm(
    openai_server: OpenAIServer, docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAMDATA_LLM", "openai:test-model")
    result = CliRunner().invoke(cli, ["ingest", "docs", str(docs), "-s", str(tmp_path / "st")])
    assert result.exit_code == 0, result.output
    assert openai_server.requests == 0


def test_a_pipeline_stage_sets_llm_itself(
    openai_server: OpenAIServer, docs: Path, tmp_path: Path
) -> None:
    openai_server.responder = model
    pipeline = tmp_path / "p.yaml"
    pipeline.write_text(
        f"name: t\nllm: openai:test-model\nstages:\n"
        f"  - stage: ingest_docs\n    name: rules\n    with: {{paths: [{docs}]}}\n",
        encoding="utf-8",
    )
    run_pipeline(pipeline, store=tmp_path / "st")
    assert openai_server.requests == 0  # the pipeline's llm is for model stages
    pipeline.write_text(
        f"name: t\nstages:\n  - stage: ingest_docs\n"
        f"    with: {{paths: [{docs}], llm: 'openai:test-model'}}\n",
        encoding="utf-8",
    )
    result = run_pipeline(pipeline, store=tmp_path / "st2")
    ((_, summary),) = result.stages
    assert summary.notes["documents_to_model"] == 4 and openai_server.requests > 0


def test_the_text_sent_keeps_headings_and_numbers_and_is_clipped(tmp_path: Path) -> None:
    doc, _ = read_document(TABLES_HTML.encode(), name="tables.html")
    view = render(doc)
    assert view.text.splitlines()[:4] == [
        "# Tables in Word",
        "",
        "## Insert a table",
        "",
    ]
    assert "1. On the Insert tab, click Table.\n2. Drag to pick rows and columns." in view.text
    assert view.locate("Insert a table") == ("Tables in Word > Insert a table", True)
    assert view.locate("Formatting > Borders") == ("Tables in Word", False)
    long_page = "# Long\n\n" + "".join(
        f"## Part {i}\n\n1. Click A{i}.\n2. Click B.\n\n" for i in range(3000)
    )
    long_doc, _ = read_document(long_page.encode(), name="long.md")
    clipped = render(long_doc)
    assert len(clipped.text) <= MAX_CHARS + 200 and clipped.clipped > 0
    assert clipped.text.endswith("Extract only what is above.]")
    assert clipped.locate("Part 2999") == ("Long", False)  # not sent, not a valid section
