"""pipelines/openai.yaml against the local OpenAI-compatible server: every model stage is
really asked over HTTP, a second run replays from the cache, and the key leaks nowhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lamdata.pipeline import run_pipeline
from lamdata.records import Instance
from lamdata.store import Store, query
from lamdata.testing import ChatCall, OpenAIServer
from tests.conftest import FAKE_OPENAI_KEY
from tests.instantiate.test_llm_path import landscape

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = ROOT / "pipelines" / "openai.yaml"


def model(call: ChatCall) -> dict[str, Any]:
    """A scripted model that answers each prompt in its own schema."""
    system = call.system_text
    if "llm_plan" in system:
        return {"feasible": True, "steps": ["On the **Home** tab, click **Bold**."], "reason": ""}
    if "llm_evolve" in system:
        return {
            "task": "Make the title bold and center it on the page",
            "steps": ["On the **Home** tab, click **Bold**.", "Click **Center**."],
        }
    if "llm_judge" in system:
        return {"complete": "yes", "sub_scores": {"task": "yes"}, "reason": "the state matches"}
    if "llm_instantiate" in system and "word" in call.user_text.lower():
        return landscape(call)
    return {
        "task": "Not feasible here",
        "actions": [],
        "verdict": {"kind": "other", "reason": "this scripted model only knows Word"},
    }


@pytest.fixture()
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"TIMEOUT": "5", "MAX_ATTEMPTS": "3", "CONCURRENCY": "8"}.items():
        monkeypatch.setenv(f"LAMDATA_{name}", value)


def test_openai_pipeline_asks_the_model_then_replays_from_cache(
    tmp_path: Path, openai_server: OpenAIServer, fast: None, capsys: pytest.CaptureFixture[str]
) -> None:
    openai_server.responder = model
    store = Store(tmp_path / "store")
    first = run_pipeline(PIPELINE, store=store)
    asked = openai_server.requests
    assert asked > 0
    by_stage = {spec.name: summary for spec, summary in first.stages}
    for stage in ("plan", "evolve", "instantiate", "evaluate"):
        assert by_stage[stage].llm_calls > 0, stage
        assert by_stage[stage].tokens_in > 0, stage
    instances = store.records("instances", Instance)
    # rule-based pre-filters (external app, environment change, no template) answer without a
    # model; every instance that is kept was written by the model
    kept = [i for i in instances if i.verdict.keep]
    assert kept
    assert {(i.llm.backend, i.llm.model) for i in kept} == {("openai", "gpt-4o-mini")}
    passed = query(store, "SELECT count(*) AS n FROM trajectories WHERE outcome.label = 'pass'")
    assert passed.column("n")[0].as_py() > 0
    logged = query(store, "SELECT count(*) AS n FROM llm_calls").column("n")[0].as_py()
    assert logged >= asked

    openai_server.reset_counts()
    again = run_pipeline(PIPELINE, store=tmp_path / "store")
    assert openai_server.requests == 0
    assert sum(s.records_out for spec, s in again.stages if spec.kind == "instantiate") == 0

    for path in (tmp_path / "store").rglob("*"):
        if path.is_file():
            assert FAKE_OPENAI_KEY.encode() not in path.read_bytes(), path
    out = capsys.readouterr()
    assert FAKE_OPENAI_KEY not in out.out + out.err
    assert FAKE_OPENAI_KEY not in json.dumps([s.as_dict() for _, s in first.stages])
