"""Help documents → task-plans: readers per format behind one contract, one stage function.

``ingest_docs(store, paths, ...)`` is the stage; ``read_document`` and ``plans_of`` are its pure
halves for callers that have bytes rather than files.
"""

from __future__ import annotations

from lamdata.ingest.docs.base import DocError, DocIssue, ParsedDoc, Procedure, Step
from lamdata.ingest.docs.document import ingest_file, plans_of, read_document
from lamdata.ingest.docs.readers import DOC_SUFFIXES, READERS, reader_for
from lamdata.ingest.docs.stage import StrictModeError, ingest_docs

__all__ = [
    "DOC_SUFFIXES",
    "READERS",
    "DocError",
    "DocIssue",
    "ParsedDoc",
    "Procedure",
    "Step",
    "StrictModeError",
    "ingest_docs",
    "ingest_file",
    "plans_of",
    "read_document",
    "reader_for",
]
