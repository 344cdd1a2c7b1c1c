"""Evaluation: state checks over final states, and offline model metrics."""

from __future__ import annotations

from lamdata.evaluate.checks import evaluate, judge_checks
from lamdata.evaluate.score import score

__all__ = ["evaluate", "judge_checks", "score"]
