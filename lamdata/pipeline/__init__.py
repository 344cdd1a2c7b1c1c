"""Pipelines: a declared sequence of stages, run with resume (``lamdata run``)."""

from __future__ import annotations

from lamdata.pipeline.runner import PipelineResult, run_pipeline
from lamdata.pipeline.spec import PipelineSpec, StageSpec, load_pipeline

__all__ = ["PipelineResult", "PipelineSpec", "StageSpec", "load_pipeline", "run_pipeline"]
