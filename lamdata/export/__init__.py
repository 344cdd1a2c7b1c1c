"""Export: the store's curated records in training formats (OpenAI chat, ShareGPT, Hugging Face
datasets, UFO dataflow records, JSONL, Parquet) and the paper's training-phase presets.

The writers load on first use (:mod:`lamdata.lazy`); ``FORMATS`` and ``TASKS`` come from the
light :mod:`constants`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lamdata.export.constants import FORMATS, TASKS
from lamdata.lazy import lazy_package

if TYPE_CHECKING:
    from lamdata.export.runner import export
    from lamdata.export.select import Selection, select

__all__ = ["FORMATS", "TASKS", "Selection", "export", "select"]

lazy_package(
    __name__,
    {
        "export": "lamdata.export.runner",
        "Selection": "lamdata.export.select",
        "select": "lamdata.export.select",
    },
)
