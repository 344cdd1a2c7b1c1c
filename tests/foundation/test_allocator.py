"""lamdata sets polars' allocator to keep freed pages for a while, and never overrides a user."""

from __future__ import annotations

import os
import subprocess
import sys

SHOW = "import os, sys; {first}; import polars; print(os.environ.get('_RJEM_MALLOC_CONF'))"


def _conf(first: str, env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    if env_value is not None:
        env["_RJEM_MALLOC_CONF"] = env_value
    code = SHOW.format(first=first)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_lamdata_sets_the_decay_before_polars_loads() -> None:
    conf = _conf("import lamdata", None)
    assert conf.split(",")[-1] == "dirty_decay_ms:5000"  # (jemalloc: the last setting wins)


def test_a_users_setting_comes_last_and_wins() -> None:
    conf = _conf("import lamdata", "dirty_decay_ms:100")
    assert conf.endswith("dirty_decay_ms:5000,dirty_decay_ms:100")


def test_nothing_changes_when_polars_is_loaded_first() -> None:
    conf = _conf("import polars; import lamdata", None)
    assert "5000" not in conf
