"""Fixtures of the export tests: the hand-built store and the UFO fixture files."""

from __future__ import annotations

from pathlib import Path

import pytest

from lamdata.store import Store
from tests.export.factories import build_store

HERE = Path(__file__).parent
UFO_FIXTURES = HERE / "fixtures" / "ufo"
GOLDEN = HERE / "golden"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return build_store(tmp_path / "store")
