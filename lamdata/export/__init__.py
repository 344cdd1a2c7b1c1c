"""Export: the store's curated records in training formats (OpenAI chat, ShareGPT, Hugging Face
datasets, UFO dataflow records, JSONL, Parquet) and the paper's training-phase presets."""

from __future__ import annotations

from lamdata.export.runner import FORMATS, TASKS, export
from lamdata.export.select import Selection, select

__all__ = ["FORMATS", "TASKS", "Selection", "export", "select"]
