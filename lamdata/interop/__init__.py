"""Interoperability with other LAM data toolkits: import their records, export back to them."""

from __future__ import annotations

from lamdata.interop.ufo import records_to_ufo, ufo_to_records
from lamdata.interop.ufo_import import import_ufo

__all__ = ["import_ufo", "records_to_ufo", "ufo_to_records"]
