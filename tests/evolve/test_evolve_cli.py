"""``lamdata evolve`` and ``lamdata plan`` through the CLI, offline and against the test server."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FAKE_OPENAI_KEY
from evolve_samples import ALL_PLANS, NEEDS_PLAN, store_with
from test_evolve_stage import plan_answer
from typer.testing import CliRunner

from lamdata.cli.main import app
from lamdata.testing import OpenAIServer, Reply

runner = CliRunner()


def test_evolve_offline(tmp_path: Path) -> None:
    store = store_with(tmp_path, ALL_PLANS)
    result = runner.invoke(app, ["evolve", "-s", str(store.path), "--ops", "compose,concretize"])
    assert result.exit_code == 0, result.output
    assert "evolve: 5 in, 5 out" in result.output
    result = runner.invoke(app, ["evolve", "-s", str(store.path), "--ops", "compose,concretize"])
    assert "0 out" in result.output and "parts already done" in result.output


def test_evolve_offline_refuses_model_ops(tmp_path: Path) -> None:
    store = store_with(tmp_path, ALL_PLANS)
    result = runner.invoke(app, ["evolve", "-s", str(store.path), "--ops", "deepen"])
    assert result.exit_code == 2
    assert "need a model" in result.output


def test_plan_offline_says_a_model_is_required(tmp_path: Path) -> None:
    store = store_with(tmp_path, NEEDS_PLAN)
    result = runner.invoke(app, ["plan", "-s", str(store.path)])
    assert result.exit_code == 0, result.output
    assert "needs_plan: 3" in result.output and "needs a model" in result.output


def test_plan_with_model_keeps_the_key_secret(
    openai_server: OpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAMDATA_BACKOFF", "0.01")
    monkeypatch.setenv("LAMDATA_MAX_ATTEMPTS", "2")
    openai_server.enqueue(Reply.bad_request(401), Reply.server_error(), Reply.rate_limited(0.01))
    openai_server.responder = plan_answer
    store = store_with(tmp_path, NEEDS_PLAN)
    args = ["plan", "-s", str(store.path), "--llm", "openai:test-model", "-c", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "LLM calls" in result.output
    assert "llm_terminal" in result.output  # the 401 record is quarantined with its reason
    sql = "SELECT prompt_id, error FROM llm_calls"
    query = runner.invoke(app, ["query", "-s", str(store.path), "-f", "csv", sql])
    assert query.exit_code == 0 and "plan.v1" in query.output
    again = runner.invoke(app, [*args, "--no-cache", "--json"])
    assert again.exit_code == 0
    for output in (result.output, query.output, again.output):
        assert FAKE_OPENAI_KEY not in output
    for path in store.path.rglob("*"):
        assert not path.is_file() or FAKE_OPENAI_KEY.encode() not in path.read_bytes()
