"""Shared helpers for the instantiation tests: app models and task-plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from lamdata.env import AppModel, load_app_model, load_app_models
from lamdata.instantiate import AppContext
from lamdata.records import Source, TaskPlan

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_APPS = ROOT / "samples" / "apps"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def plan(
    app: str | None, task: str, steps: list[str], terms: list[list[str]] | None = None
) -> TaskPlan:
    """A help-doc task-plan; ``terms`` are the bold UI labels per step."""
    return TaskPlan.create(
        app=app,
        task=task,
        steps=steps,
        source=Source("help_doc", f"test://{app}", locator=task),
        ui_terms=terms if terms is not None else [[] for _ in steps],
    )


@pytest.fixture(scope="session")
def sample_models() -> dict[str, AppModel]:
    return load_app_models(SAMPLE_APPS)


@pytest.fixture(scope="session")
def sample_contexts(sample_models: dict[str, AppModel]) -> dict[str, AppContext]:
    return {app: AppContext.build(m) for app, m in sample_models.items()}


@pytest.fixture(scope="session")
def miniword() -> AppModel:
    return load_app_model(FIXTURES / "miniword.json")
