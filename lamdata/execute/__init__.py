"""The validating executor: instances → trajectories (see ``lamdata.execute.stage``)."""

from __future__ import annotations

from lamdata.execute.runner import Policy, run_actions, run_instance
from lamdata.execute.stage import execute, load_apps

__all__ = ["Policy", "execute", "load_apps", "run_actions", "run_instance"]
