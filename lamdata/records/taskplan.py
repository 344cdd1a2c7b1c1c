"""task_plan: an abstract task and its ordered plan, with where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from lamdata.hashing import normalize_text, record_id
from lamdata.records.base import Record

SOURCE_KINDS = ("help_doc", "search_log", "wikihow", "evolved", "import", "model")
PLAN_SOURCES = ("document", "matched", "model", "rule", "import", "none")


@dataclass
class Source(Record):
    kind: str
    uri: str
    locator: str = ""
    title: str = ""


@dataclass
class Lineage(Record):
    parents: list[str] = field(default_factory=list)
    op: str | None = None
    generation: int = 0


@dataclass
class Signals(Record):
    """Evidence of demand and matching: query-log counts, clicks, plan match scores."""

    frequency: int | None = None
    distinct_users: int | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    top_clicks: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    match_score: float | None = None
    matched_plan_id: str | None = None


@dataclass
class TaskPlan(Record):
    id: str
    app: str | None
    task: str
    steps: list[str]
    source: Source
    ui_terms: list[list[str]] = field(default_factory=list)
    lineage: Lineage = field(default_factory=Lineage)
    signals: Signals = field(default_factory=Signals)
    needs_plan: bool = False
    plan_source: str = "document"
    lang: str = "en"

    @classmethod
    def create(
        cls,
        *,
        app: str | None,
        task: str,
        steps: list[str],
        source: Source,
        ui_terms: list[list[str]] | None = None,
        lineage: Lineage | None = None,
        signals: Signals | None = None,
        needs_plan: bool = False,
        plan_source: str = "document",
        lang: str = "en",
    ) -> TaskPlan:
        """Build a task-plan whose ID is the hash of its normalized content and origin."""
        lineage = lineage or Lineage()
        key = {
            "app": normalize_text(app) if app else None,
            "task": normalize_text(task),
            "steps": [normalize_text(s) for s in steps],
            "source": [source.kind, source.uri, source.locator],
            "lineage": [sorted(lineage.parents), lineage.op],
        }
        return cls(
            id=record_id("tp", key),
            app=app,
            task=task,
            steps=steps,
            source=source,
            ui_terms=ui_terms if ui_terms is not None else [[] for _ in steps],
            lineage=lineage,
            signals=signals or Signals(),
            needs_plan=needs_plan,
            plan_source=plan_source,
            lang=lang,
        )
