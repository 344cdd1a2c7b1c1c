"""UFO dataflow task files: ``{"app", "unique_id", "task", "refined_steps"}``, imported as is.

These are already task-plans, so nothing is inferred: the task keeps its wording, each step is
only cleaned (its "1." numbering and Markdown bold go; bold labels become UI terms), the app
comes from the record, and ``source.kind = import`` with ``plan_source = import``. A file holds
one record, a JSON array of records, or JSON lines; a record lacking ``task`` or
``refined_steps`` is refused on its own (with its JSON pointer or line), not the whole file.
"""

from __future__ import annotations

import json
from typing import Any

from lamdata.ingest.docs.base import DocIssue, Procedure, Step
from lamdata.ingest.docs.markup import strip_inline_markup
from lamdata.ingest.docs.procedures import make_step, normalize_app, squash

KEYS = ("app", "unique_id", "task", "refined_steps")


def is_ufo_record(value: Any) -> bool:
    return isinstance(value, dict) and "refined_steps" in value


def ufo_procedure(record: dict[str, Any], where: str) -> Procedure | DocIssue:
    """The procedure of one task record, or the issue that refuses it (``where``: its place)."""
    task, raw_steps = record.get("task"), record.get("refined_steps")
    if not isinstance(task, str) or not task.strip():
        return _issue(record, where, "task", "has no task text")
    if not isinstance(raw_steps, list) or not all(isinstance(s, str) for s in raw_steps):
        return _issue(record, where, "refined_steps", "refined_steps is not a list of strings")
    steps = [s for s in (_step(s) for s in raw_steps) if s is not None]
    if not steps:
        return _issue(record, where, "refined_steps", "has no steps")
    uid = record.get("unique_id")
    app = record.get("app")
    return Procedure(
        task=squash(task),
        steps=steps,
        locator=f"unique_id={uid}" if uid not in (None, "") else where,
        app=normalize_app(app) if isinstance(app, str) else None,
        title=squash(task),
        kind="import",
    )


def _step(text: str) -> Step | None:
    plain, terms = strip_inline_markup(text)
    return make_step(plain, terms)


def _issue(record: dict[str, Any], where: str, key: str, what: str) -> DocIssue:
    pointer = where if where.startswith("/") else ""
    line = int(where.split()[-1]) if where.startswith("line ") else None
    return DocIssue(
        "bad_record",
        f"UFO task record at {where} {what}",
        line=line,
        pointer=f"{pointer}/{key}",
        record_json=json.dumps(record, ensure_ascii=False)[:2000],
    )
