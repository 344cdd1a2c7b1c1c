"""App models, templates and the ``uitree`` environment (see docs/app-models.md)."""

from __future__ import annotations

from lamdata.env.appmodel import (
    AppModel,
    AppModelError,
    Control,
    Template,
    build_app_model,
    load_app_model,
    load_app_models,
)
from lamdata.env.base import STATUSES, Environment, StepResult

__all__ = [
    "STATUSES",
    "AppModel",
    "AppModelError",
    "Control",
    "Environment",
    "StepResult",
    "Template",
    "build_app_model",
    "load_app_model",
    "load_app_models",
]
