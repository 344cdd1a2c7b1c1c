"""Evolution of task-plans (Evol-Instruct operations) and plans for plan-less tasks.

- :func:`evolve` — ``lamdata evolve``: compose/concretize offline, all five ops with a model;
- :func:`plan` — ``lamdata plan``: model-written steps for task-plans with ``needs_plan``.
"""

from __future__ import annotations

from lamdata.evolve.ops import OFFLINE_OPS, OPS, compose, concretize, evolve_offline
from lamdata.evolve.plan import plan
from lamdata.evolve.stage import evolve

__all__ = ["OFFLINE_OPS", "OPS", "compose", "concretize", "evolve", "evolve_offline", "plan"]
