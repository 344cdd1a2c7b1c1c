"""Export formats and training-phase presets, light to import (the CLI shows them in ``--help``).

``lamdata.export.runner.WRITERS`` has one writer per format here (a test checks they agree).
"""

from __future__ import annotations

#: Training formats, in the order ``lamdata export --help`` lists them.
FORMATS = ("openai", "sharegpt", "hf", "ufo", "jsonl", "parquet")
#: Preset → the table its examples come from.
TASK_TABLES = {"taskplan-sft": "task_plans", "action-sft": "trajectories", "reward": "trajectories"}
TASKS = tuple(TASK_TABLES)
