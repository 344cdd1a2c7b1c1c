"""lamdata: build training data for Large Action Models.

Help documents and search logs become task-plans; task-plans are grounded on application
templates as executable actions; actions run in a validating executor; trajectories are
checked, curated and exported. Every stage is a plain function; the CLI is a thin layer.
"""

from __future__ import annotations

import os
import sys

__version__ = "0.1.0"
#: jemalloc settings lamdata runs polars with (see :func:`_tune_allocator`)
ALLOCATOR_CONF = "dirty_decay_ms:5000"


def _tune_allocator() -> None:
    """Let polars' allocator keep freed pages for 5 s instead of its 0.5 s default.

    A stage frees its frames between files (and between the stages of a pipeline), and with
    the default the pages are handed back to the OS at once, so the next file faults them in
    again: 10-15k page faults, about 10% of an ingest of a 1M-line log. Set only when polars
    is not imported yet (the setting is read when it loads); a ``_RJEM_MALLOC_CONF`` of the
    user's comes after this one, so it wins."""
    if "polars" in sys.modules:
        return
    own = os.environ.get("_RJEM_MALLOC_CONF")
    os.environ["_RJEM_MALLOC_CONF"] = ALLOCATOR_CONF + (f",{own}" if own else "")


_tune_allocator()


def __getattr__(name: str) -> object:
    """``lamdata.run_pipeline`` without importing the pipeline machinery at start-up."""
    if name == "run_pipeline":
        from lamdata.pipeline import run_pipeline

        return run_pipeline
    raise AttributeError(f"module 'lamdata' has no attribute {name!r}")
