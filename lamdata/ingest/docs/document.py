"""One input file → task-plans: read, decode, parse, and turn its procedures into records.

Nothing here raises for bad input: a refused file or a bad record becomes a ``Rejection`` whose
reason reads ``code: file line N: what`` (the code is what summaries count by), and recoverable
trouble (a recoded encoding, long lines) becomes a warning. ``read_document`` and ``plans_of`` are
the pure halves, for callers that have bytes rather than files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lamdata.errors import InputError
from lamdata.ingest.docs.base import DocError, DocIssue, ParsedDoc, Procedure
from lamdata.ingest.docs.decode import decode
from lamdata.ingest.docs.procedures import detect_app, detect_lang, normalize_app
from lamdata.ingest.docs.readers import reader_for
from lamdata.ingest.files import open_binary
from lamdata.records import Rejection, Source, TaskPlan

STAGE = "ingest_docs"


@dataclass
class FileResult:
    """What one input file gave: task-plans, rejections, warnings, and its document kind."""

    plans: list[TaskPlan] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kind: str | None = None


def read_document(
    data: bytes, *, name: str, path: Path | None = None
) -> tuple[ParsedDoc, list[str]]:
    """Decode and read one document's bytes: (parsed document, warnings). Raises DocError."""
    decoded = decode(data)
    doc = reader_for(path or Path(name), decoded.text)(decoded.text, name=name)
    warnings = [f"{name}: {w.code}: {w.message}" for w in decoded.warnings]
    return doc, warnings


def plans_of(doc: ParsedDoc, *, uri: str, app: str | None = None) -> list[TaskPlan]:
    """The task-plans of a parsed document (pure: no I/O)."""
    doc_app = normalize_app(app) or doc.app or detect_app(doc.title)
    body_app: list[str | None] = []
    lang = doc.lang or (detect_lang(doc.body) if doc.body else None)
    out = []
    for proc in doc.procedures:
        kind = proc.kind or doc.kind
        plan_app = normalize_app(app) or proc.app or doc_app or _local_app(proc)
        if plan_app is None and doc.body and kind != "import":
            if not body_app:
                body_app.append(detect_app(doc.body))
            plan_app = body_app[0]
        out.append(
            TaskPlan.create(
                app=plan_app,
                task=proc.task,
                steps=[s.text for s in proc.steps],
                ui_terms=[s.ui_terms for s in proc.steps],
                source=Source(
                    kind=kind, uri=uri, locator=proc.locator, title=proc.title or doc.title
                ),
                plan_source="import" if kind == "import" else doc.plan_source,
                lang=proc.lang or lang or detect_lang(proc.task + " " + proc.steps[0].text),
            )
        )
    return out


def _local_app(proc: Procedure) -> str | None:
    return detect_app(f"{proc.locator}\n{proc.task}", " ".join(s.text for s in proc.steps))


def ingest_file(path: Path, *, app: str | None = None, max_bytes: int) -> FileResult:
    """Read one file into task-plans; any trouble becomes rejections, never an exception."""
    result, doc = load_file(path, max_bytes)
    if doc is not None:
        result.plans = plans_of(doc, uri=str(path), app=app)
    return result


def load_file(path: Path, max_bytes: int) -> tuple[FileResult, ParsedDoc | None]:
    """Read and parse one file: its result so far (kind, warnings, rejections) and the document
    (None when the whole file was refused)."""
    uri = str(path)
    result = FileResult()
    try:
        doc, result.warnings = read_document(_read(path, max_bytes), name=uri, path=path)
    except DocError as exc:
        result.rejections.append(rejection(uri, exc.code, exc.message, exc.line, exc.pointer))
        return result, None
    result.kind = doc.kind
    for issue in doc.issues:
        if issue.warning:
            result.warnings.append(f"{uri}: {issue.code}: {issue.message}")
        else:
            result.rejections.append(_issue_rejection(uri, issue))
    return result, doc


def _read(path: Path, max_bytes: int) -> bytes:
    try:
        if not path.name.lower().endswith(".gz") and path.stat().st_size > max_bytes:
            raise DocError("too_large", _too_large(path.stat().st_size, max_bytes))
        with open_binary(path) as handle:
            data = handle.read(max_bytes + 1)
    except (OSError, EOFError, InputError) as exc:
        raise DocError("unreadable", f"cannot read the file: {exc}") from exc
    if len(data) > max_bytes:
        raise DocError("too_large", _too_large(len(data), max_bytes))
    return data


def _too_large(size: int, limit: int) -> str:
    return (
        f"the file is {size / 1e6:.1f} MB, over the {limit / 1e6:.1f} MB limit "
        "(raise it with --max-mb)"
    )


def rejection(
    uri: str, code: str, message: str, line: int | None, pointer: str = "", record_json: str = ""
) -> Rejection:
    where = f" line {line}" if line else ""
    return Rejection.create(
        stage=STAGE,
        reason=f"{code}: {uri}{where}: {message}",
        uri=uri,
        locator=f"line {line}" if line else "",
        pointer=pointer,
        record_json=record_json,
    )


def _issue_rejection(uri: str, issue: DocIssue) -> Rejection:
    return rejection(uri, issue.code, issue.message, issue.line, issue.pointer, issue.record_json)
