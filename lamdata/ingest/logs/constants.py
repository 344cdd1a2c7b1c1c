"""Defaults of the search-log stage, importable without polars (the CLI's options use them)."""

from __future__ import annotations

#: The least rapidfuzz score (0-100) for a help-doc plan to be attached to a mined task.
DEFAULT_MATCH_THRESHOLD = 85.0
#: The least rapidfuzz ratio (0-100) for two reformulations of a query to merge.
DEFAULT_MERGE_THRESHOLD = 90.0
