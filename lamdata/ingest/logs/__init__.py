"""Search-log ingest: query logs (AOL 2006 layout, CSV, TSV, JSON lines, Parquet) into
task-plans of actionable software how-to queries (see :func:`ingest_logs`).

The names load their submodules on first use (see :mod:`lamdata.lazy`): the CLI reads
:mod:`.constants` without loading polars.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lamdata.ingest.logs.constants import DEFAULT_MATCH_THRESHOLD, DEFAULT_MERGE_THRESHOLD
from lamdata.lazy import lazy_package

if TYPE_CHECKING:
    from lamdata.ingest.logs.classify import classify, normalize_query
    from lamdata.ingest.logs.layout import FORMATS, Layout, detect_layout
    from lamdata.ingest.logs.lexicon import Lexicon, load_lexicon
    from lamdata.ingest.logs.phrasing import phrase_task
    from lamdata.ingest.logs.stage import ingest_logs, mine_file

__all__ = [
    "DEFAULT_MATCH_THRESHOLD",
    "DEFAULT_MERGE_THRESHOLD",
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

lazy_package(
    __name__,
    {
        "classify": "lamdata.ingest.logs.classify",
        "normalize_query": "lamdata.ingest.logs.classify",
        "FORMATS": "lamdata.ingest.logs.layout",
        "Layout": "lamdata.ingest.logs.layout",
        "detect_layout": "lamdata.ingest.logs.layout",
        "Lexicon": "lamdata.ingest.logs.lexicon",
        "load_lexicon": "lamdata.ingest.logs.lexicon",
        "phrase_task": "lamdata.ingest.logs.phrasing",
        "ingest_logs": "lamdata.ingest.logs.stage",
        "mine_file": "lamdata.ingest.logs.stage",
    },
)
