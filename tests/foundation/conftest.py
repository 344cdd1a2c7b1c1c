"""Fixtures of the foundation tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from lamdata.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """An empty store folder (it exists, so read commands accept it)."""
    path = tmp_path / "store"
    path.mkdir()
    return Store(path)
