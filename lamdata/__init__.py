"""lamdata: build training data for Large Action Models.

Help documents and search logs become task-plans; task-plans are grounded on application
templates as executable actions; actions run in a validating executor; trajectories are
checked, curated and exported. Every stage is a plain function; the CLI is a thin layer.
"""

from __future__ import annotations

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """``lamdata.run_pipeline`` without importing the pipeline machinery at start-up."""
    if name == "run_pipeline":
        from lamdata.pipeline import run_pipeline

        return run_pipeline
    raise AttributeError(f"module 'lamdata' has no attribute {name!r}")
