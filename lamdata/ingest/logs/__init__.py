"""Search-log ingest: query logs (AOL 2006 layout, CSV, TSV, JSON lines, Parquet) into
task-plans of actionable software how-to queries (see :func:`ingest_logs`)."""

from __future__ import annotations

from lamdata.ingest.logs.classify import classify, normalize_query
from lamdata.ingest.logs.layout import FORMATS, Layout, detect_layout
from lamdata.ingest.logs.lexicon import Lexicon, load_lexicon
from lamdata.ingest.logs.phrasing import phrase_task
from lamdata.ingest.logs.stage import ingest_logs, mine_file

__all__ = [
    "FORMATS",
    "Layout",
    "Lexicon",
    "classify",
    "detect_layout",
    "ingest_logs",
    "load_lexicon",
    "mine_file",
    "normalize_query",
    "phrase_task",
]
