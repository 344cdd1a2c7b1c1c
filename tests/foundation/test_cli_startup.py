"""CLI start-up imports only what the invoked command needs; lazy packages keep their API.

Each check runs in a fresh interpreter and compares ``sys.modules``, never a wall time.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lamdata.cli import ingest_logs as ingest_logs_cli
from lamdata.export import FORMATS, TASKS
from lamdata.export import runner as export_runner
from lamdata.export.tasks import TASK_TABLES
from lamdata.ingest.logs import stage as logs_stage

ROOT = Path(__file__).resolve().parents[2]

#: Never needed to build the CLI or render help.
HEAVY = (
    "duckdb",
    "polars",
    "pyarrow",
    "numpy",
    "rapidfuzz",
    "openai",
    "lamdata.store",
    "lamdata.llm",
    "lamdata.ingest.docs",
    "lamdata.ingest.logs.stage",
    "lamdata.ingest.logs.classify",
    "lamdata.evolve",
    "lamdata.evaluate",
    "lamdata.execute",
    "lamdata.curate",
    "lamdata.env",
    "lamdata.interop",
    "lamdata.pipeline",
    "lamdata.instantiate.stage",
    "lamdata.export.runner",
)

_REPORT = "import json, sys; print(json.dumps(sorted(m for m in {heavy} if m in sys.modules)))"


def _loaded_after(code: str) -> list[str]:
    """Run ``code`` in a fresh interpreter; which of ``HEAVY`` it imported."""
    script = code + "\n" + _REPORT.format(heavy=HEAVY)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("LAMDATA_STORE", None)
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    loaded: list[str] = json.loads(proc.stdout.strip().splitlines()[-1])
    return loaded


def _invoke(*args: str) -> str:
    return (
        "import sys\n"
        "from lamdata.cli.main import main\n"
        f"sys.argv = ['lamdata', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
    )


def test_importing_the_cli_loads_no_stage() -> None:
    assert _loaded_after("import lamdata.cli.main") == []


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["ingest", "logs", "--help"],
        ["ingest", "docs", "--help"],
        ["instantiate", "--help"],
        ["export", "--help"],
        ["filter", "--help"],
    ],
)
def test_help_loads_no_stage(args: list[str]) -> None:
    assert _loaded_after(_invoke(*args)) == []


def test_a_command_loads_only_its_stage(tmp_path: Path) -> None:
    logs = tmp_path / "log.tsv"
    logs.write_text("query\nhow to insert a table in word\n", encoding="utf-8")
    loaded = _loaded_after(_invoke("ingest", "logs", str(logs), "-s", str(tmp_path / "st")))
    assert "lamdata.ingest.logs.stage" in loaded
    assert not {"duckdb", "openai", "lamdata.llm", "lamdata.ingest.docs"} & set(loaded)


def test_cli_defaults_agree_with_the_stages() -> None:
    options = inspect.signature(ingest_logs_cli.logs).parameters
    stage = inspect.signature(logs_stage.ingest_logs).parameters
    for name in ("match_threshold", "merge_threshold"):
        assert options[name].default == stage[name].default, name
    assert tuple(export_runner.WRITERS) == FORMATS
    assert tuple(TASK_TABLES) == TASKS


def test_lazy_packages_keep_their_names() -> None:
    code = (
        "import sys, types\n"
        "import lamdata.store, lamdata.export, lamdata.instantiate, lamdata.ingest.logs\n"
        "assert 'duckdb' not in sys.modules and 'polars' not in sys.modules\n"
        "from lamdata.ingest.logs import FORMATS, classify, ingest_logs, load_lexicon\n"
        "assert ingest_logs.__module__ == 'lamdata.ingest.logs.stage' and 'aol' in FORMATS\n"
        "from lamdata.store.query import STEPS_VIEW\n"  # the submodule loads first ...
        "from lamdata.store import Store, query, connect\n"  # ... and query is still the function
        "assert isinstance(query, types.FunctionType) and query is lamdata.store.query\n"
        "assert connect.__module__ == 'lamdata.store.query'\n"
        "import lamdata.export.runner\n"
        "from lamdata.export import export, select, Selection\n"
        "assert isinstance(select, types.FunctionType) and select is lamdata.export.select\n"
        "from lamdata.instantiate import MIN_TEMPLATE_SCORE, STAGE, AppContext, instantiate\n"
        "from lamdata.instantiate import instantiate_plan\n"
        "from lamdata.instantiate.stage import MIN_TEMPLATE_SCORE as stage_default\n"
        "assert MIN_TEMPLATE_SCORE == stage_default and STAGE == 'instantiate'\n"
        "assert {'query', 'connect'} <= set(dir(lamdata.store))\n"
        "try:\n    lamdata.store.nothing\nexcept AttributeError:\n    pass\n"
        "else:\n    raise AssertionError('lamdata.store.nothing')\n"
    )
    assert "duckdb" in _loaded_after(code)
