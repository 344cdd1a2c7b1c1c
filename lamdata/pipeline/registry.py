"""The stages a pipeline can name, where their library functions live, and their wiring.

A stage's accepted options are the keyword parameters of its library function (minus the ones
the runner supplies: ``store``, ``progress``, ``only``), so the registry cannot drift from the
code it calls.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from lamdata.errors import ConfigError

RUNNER_SUPPLIED = {"store", "progress", "only"}


@dataclass(frozen=True)
class StageInfo:
    target: str  # "module:function"
    reads: str | None  # the table whose parts it consumes (for ``only=``), if any
    writes: str | None  # the table whose parts it produces, if any
    path_options: tuple[str, ...] = ()
    takes_llm: bool = False
    #: Relative paths in these options resolve against the store (outputs live with it).
    store_paths: tuple[str, ...] = ()

    @cached_property
    def function(self) -> Callable[..., Any]:
        module, _, name = self.target.partition(":")
        try:
            fn: Callable[..., Any] = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError) as exc:
            raise ConfigError(f"stage function {self.target} is not available: {exc}") from exc
        return fn

    @cached_property
    def parameters(self) -> dict[str, inspect.Parameter]:
        return dict(inspect.signature(self.function).parameters)

    @property
    def options(self) -> set[str]:
        return {n for n in self.parameters if n not in RUNNER_SUPPLIED}

    @property
    def takes_only(self) -> bool:
        return "only" in self.parameters


#: ``takes_llm``: the stage gets the pipeline's ``llm:`` / ``lamdata run --llm`` (the model of
#: the model stages). ``ingest_docs`` does not: its rules are the default and a model pass over
#: every help page is a separate, costlier choice, made with ``llm:`` in that stage's options.
STAGES: dict[str, StageInfo] = {
    "ingest_docs": StageInfo(
        "lamdata.ingest.docs.stage:ingest_docs", None, "task_plans", ("paths",)
    ),
    "ingest_logs": StageInfo(
        "lamdata.ingest.logs.stage:ingest_logs", None, "task_plans", ("paths", "lexicon")
    ),
    "evolve": StageInfo("lamdata.evolve:evolve", "task_plans", "task_plans", takes_llm=True),
    "plan": StageInfo("lamdata.evolve:plan", "task_plans", "task_plans", takes_llm=True),
    "instantiate": StageInfo(
        "lamdata.instantiate:instantiate", "task_plans", "instances", ("apps",), takes_llm=True
    ),
    "execute": StageInfo("lamdata.execute:execute", "instances", "trajectories", ("apps",)),
    "evaluate": StageInfo("lamdata.evaluate:evaluate", "trajectories", None, takes_llm=True),
    "filter": StageInfo("lamdata.curate:filter", None, None),
    "dedup": StageInfo("lamdata.curate:dedup", None, None),
    "split": StageInfo("lamdata.curate:split", None, None),
    "export": StageInfo("lamdata.export:export", None, None, store_paths=("out",)),
}
