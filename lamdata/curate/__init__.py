"""Curation: filter (marks), dedup (clusters and survivors), split (group-aware, stratified).

See ``docs/curation.md`` for the derived tables these write and how readers use them.
"""

from __future__ import annotations

from lamdata.curate.base import kept_ids, split_ids, survivor_ids
from lamdata.curate.deduplication import dedup
from lamdata.curate.filtering import evaluate_marks, filter, rejections
from lamdata.curate.leakage import leakage_report
from lamdata.curate.rules import RULES
from lamdata.curate.splitting import split

__all__ = [
    "RULES",
    "dedup",
    "evaluate_marks",
    "filter",
    "kept_ids",
    "leakage_report",
    "rejections",
    "split",
    "split_ids",
    "survivor_ids",
]
