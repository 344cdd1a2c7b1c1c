"""The ``ingest docs`` stage: help documents → ``task_plans`` (with quarantine and resume).

Design notes
- Work unit and resume. Each input file is keyed ``f"{path}:{mtime_ns}:{size}"`` (the path as
  given). Files are grouped into parts by content-defined boundaries: a file closes its part
  when the hash of its key falls in 1/``CHUNK_EVERY`` of the hash space (or it is big, or the part
  is full). A part is named ``part_name("ingest_docs", config_hash, keys of its files)`` — for a
  one-file part exactly ``part_name(..., f"{path}:{mtime_ns}:{size}")`` — and skipped when it is
  already in the store. Why not one part per file: a Parquet part costs ~2-3 ms to write, which
  alone would cap ingest below 400 pages/s and leave the store with one tiny file per page;
  boundaries that depend only on each file's own key mean that adding, removing or editing a file
  re-does only the part it falls in, and records are keyed by content, so nothing duplicates.
- A refused input never stops the batch: it becomes a ``Rejection`` (reason ``code: file line N:
  what``) in the quarantine part of the same name, written before the task-plans part, which is
  the completion marker.
- ``strict``: every part is still processed and written (good records land, bad input is
  quarantined, so a fix-and-rerun re-does only the parts whose files changed); then, if anything
  was rejected in this run or is on record as rejected in a part skipped by resume, the stage
  raises :class:`StrictModeError` (exit 1 on the command line) and the run is recorded as failed.
- ``llm``: ``offline`` (default) is the rule path above, and its config has no ``llm`` key, so
  offline parts keep their names. ``openai:MODEL`` sends the prose documents of a part to the
  model in one batch (``model.py``; structured dumps and UFO task files keep the rules); the
  backend and prompt id join the config, so model parts never mix with rule parts. An answer
  that stays invalid after the LLM layer's retries and re-asks quarantines its file with the
  layer's reason (``llm_schema: ...``); a part whose every request gave up is not written
  (``check_outage``), so the next run resumes it.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from lamdata.errors import InputError
from lamdata.hashing import content_hash
from lamdata.ingest.docs.base import DocError, DocIssue, ParsedDoc, Procedure
from lamdata.ingest.docs.decode import decode
from lamdata.ingest.docs.model import (
    EXTRACT_PROMPT,
    DocView,
    extract_request,
    from_answer,
    wants_model,
)
from lamdata.ingest.docs.procedures import detect_app, detect_lang, normalize_app
from lamdata.ingest.docs.readers import DOC_SUFFIXES, reader_for
from lamdata.ingest.files import expand_paths, open_binary
from lamdata.llm import (
    CallStore,
    LLMConfig,
    LLMRequest,
    LLMResult,
    check_outage,
    llm_config_for,
    parse_backend,
    run_batch,
)
from lamdata.records import Rejection, Source, TaskPlan
from lamdata.store import Store, Summary, part_name, recorded_run, utc_now

STAGE = "ingest_docs"
#: Bumped when extraction rules change, so a re-run re-does parts made by older rules.
EXTRACTOR_VERSION = 2
CHUNK_EVERY = 32
CHUNK_MAX = 256
BIG_FILE = 4 * 1024 * 1024
MAX_WARNINGS = 50

Progress = Callable[..., None]


class StrictModeError(InputError):
    """``--strict`` and some input was rejected; ``summary`` holds the counts."""

    def __init__(self, summary: Summary, rejected: int) -> None:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(summary.rejected.items())) or "earlier"
        super().__init__(
            f"--strict: {rejected} input(s) rejected ({reasons})",
            hint='see them with: lamdata query "SELECT reason FROM quarantine '
            "WHERE stage = 'ingest_docs'\"; good records were written",
        )
        self.summary = summary


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
        result.rejections.append(_rejection(uri, exc.code, exc.message, exc.line, exc.pointer))
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


def _rejection(
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
    return _rejection(uri, issue.code, issue.message, issue.line, issue.pointer, issue.record_json)


def plain(value: Any) -> Any:
    """A record as plain dicts and lists, without ``dataclasses.asdict``'s deep copies (which
    cost more than parsing the page)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list) and value and dataclasses.is_dataclass(value[0]):
        return [plain(v) for v in value]
    return value


def file_key(path: Path) -> str:
    """The resume key of an input file: path as given, modification time, size."""
    stat = path.stat()
    return f"{path}:{stat.st_mtime_ns}:{stat.st_size}"


def chunks(files: Sequence[Path]) -> Iterator[list[tuple[Path, str]]]:
    """Files grouped into parts at content-defined boundaries (see the module notes)."""
    chunk: list[tuple[Path, str]] = []
    for path in files:
        try:
            key, big = file_key(path), path.stat().st_size >= BIG_FILE
        except OSError:
            key, big = f"{path}:missing", False
        chunk.append((path, key))
        boundary = int(content_hash(key, size=4), 16) % CHUNK_EVERY == 0
        if boundary or big or len(chunk) >= CHUNK_MAX:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ingest_docs(
    store: Store,
    paths: Sequence[str | Path],
    *,
    app: str | None = None,
    strict: bool = False,
    max_mb: float = 16.0,
    llm: str = "offline",
    progress: Progress | None = None,
    llm_config: LLMConfig | None = None,
) -> Summary:
    """Read help documents (files, folders, globs; ``.gz`` too) into ``task_plans``.

    ``llm="openai:MODEL"`` has a model extract the procedures of prose documents (see the
    module notes); ``llm_config`` holds its runtime knobs (concurrency, timeouts, cache), which
    are not part of the config hash.
    """
    backend = parse_backend(llm)
    cfg = llm_config_for(backend, llm_config)
    files = expand_paths(paths, DOC_SUFFIXES)
    config: dict[str, Any] = {
        "app": app,
        "strict": strict,
        "max_mb": max_mb,
        "extractor": EXTRACTOR_VERSION,
    }
    if cfg is not None:
        config |= {"llm": backend.spec, "prompt": EXTRACT_PROMPT}
    with recorded_run(store, "ingest docs", config) as summary:
        run = _Run(store, summary, int(max_mb * 1_000_000), app)
        if cfg is not None:
            run.model = _ModelParts(cfg, CallStore(store, summary.run_id), summary, app)
        summary.notes["inputs"] = [str(p) for p in paths]
        if progress:
            progress(0, total=len(files))
        for chunk in chunks(files):
            run.part(chunk)
            if progress:
                progress(len(chunk))
        run.finish()
        earlier = summary.notes.get("rejected_in_skipped_parts", 0)
        if strict and (summary.rejected_total or earlier):
            raise StrictModeError(summary, summary.rejected_total + earlier)
    return summary


class _Run:
    """The bookkeeping of one ingest run: known IDs, counts, warnings."""

    def __init__(self, store: Store, summary: Summary, max_bytes: int, app: str | None) -> None:
        self.store, self.summary, self.max_bytes, self.app = store, summary, max_bytes, app
        self.known = store.keys("task_plans")
        self.kinds: Counter[str] = Counter()
        self.warnings: list[str] = []
        self.counts: Counter[str] = Counter()
        self.model: _ModelParts | None = None

    def part(self, chunk: list[tuple[Path, str]]) -> None:
        name = part_name(STAGE, self.summary.config_hash, "\n".join(k for _, k in chunk))
        if self.store.has_part("task_plans", name):
            self.summary.skipped_parts += 1
            self.counts["files_skipped"] += len(chunk)
            self.counts["rejected_in_skipped_parts"] += self._quarantined(name)
            return
        if self.model is None:
            results = [ingest_file(p, app=self.app, max_bytes=self.max_bytes) for p, _ in chunk]
        else:
            results = self.model.read([p for p, _ in chunk], self.max_bytes)
        plans, rejections = [], []
        for result in results:
            self._count(result)
            rejections.extend(result.rejections)
            for plan in result.plans:
                if plan.id not in self.known:
                    self.known.add(plan.id)
                    plans.append(plan)
        if rejections:
            self.summary.reject(rejections)
            self.store.quarantine(
                rejections, part=name, run_id=self.summary.run_id, created_at=utc_now()
            )
        rows = pa.Table.from_pylist([plain(p) for p in plans], schema=TaskPlan.arrow_schema())
        self.summary.records_out += self.store.write(
            "task_plans", rows, part=name, skip_existing_keys=False
        )

    def _count(self, result: FileResult) -> None:
        self.summary.records_in += 1
        self.counts["files_read"] += 1
        if result.kind is None:
            self.counts["files_rejected"] += 1
        elif not result.plans:
            self.counts["files_without_procedures"] += 1
        for plan in result.plans:
            self.kinds[plan.source.kind] += 1
        self.warnings.extend(result.warnings)

    def _quarantined(self, name: str) -> int:
        path = self.store.table_dir("quarantine") / f"{name}.parquet"
        return self.store.check_part("quarantine", path) if path.exists() else 0

    def finish(self) -> None:
        notes = self.summary.notes
        for key in ("files_read", "files_skipped", "files_rejected", "files_without_procedures"):
            notes[key] = self.counts[key]
        notes["rejected_in_skipped_parts"] = self.counts["rejected_in_skipped_parts"]
        notes["task_plans_by_kind"] = dict(sorted(self.kinds.items()))
        notes["warnings"] = len(self.warnings)
        if self.warnings:
            notes["warning_list"] = self.warnings[:MAX_WARNINGS]
        if self.model is not None:
            notes.update(self.model.counts)


class _ModelParts:
    """Model-assisted extraction of a part: read every file, ask about the prose documents in
    one batch, keep the rule path for structured ones."""

    def __init__(self, cfg: LLMConfig, calls: CallStore, summary: Summary, app: str | None) -> None:
        self.cfg, self.calls, self.summary, self.app = cfg, calls, summary, app
        self.counts: Counter[str] = Counter(
            documents_to_model=0, procedures_from_model=0, model_sections_unmatched=0
        )

    def read(self, paths: list[Path], max_bytes: int) -> list[FileResult]:
        results: list[FileResult] = []
        asked: list[tuple[FileResult, ParsedDoc, DocView, str]] = []
        requests: list[LLMRequest] = []
        for path in paths:
            result, doc = load_file(path, max_bytes)
            results.append(result)
            if doc is not None and wants_model(doc):
                app = normalize_app(self.app) or doc.app or detect_app(doc.title)
                request, view = extract_request(doc, uri=str(path), app=app)
                asked.append((result, doc, view, str(path)))
                requests.append(request)
            elif doc is not None:
                result.plans = plans_of(doc, uri=str(path), app=self.app)
        if requests:
            store = self.calls.store
            answers = run_batch(
                self.cfg, requests, store=store, summary=self.summary, calls=self.calls
            )
            check_outage(answers)
            for (result, doc, view, uri), answer in zip(asked, answers, strict=True):
                self._apply(result, doc, view, uri, answer)
        self.counts["documents_to_model"] += len(requests)
        return results

    def _apply(
        self, result: FileResult, doc: ParsedDoc, view: DocView, uri: str, answer: LLMResult
    ) -> None:
        if not answer.ok:
            code, _, why = answer.error.partition(": ")
            record = json.dumps(
                {"prompt": EXTRACT_PROMPT, "answer": answer.text}, ensure_ascii=False
            )
            result.rejections.append(_rejection(uri, code, why, None, record_json=record))
            return
        found = from_answer(answer.value, view)
        for empty in found.empty:
            task = str(empty.get("task", "")).strip()
            message = f'the model gave no steps for "{task}"; the procedure was dropped'
            record = json.dumps(empty, ensure_ascii=False)
            result.rejections.append(
                _rejection(uri, "llm_empty_procedure", message, None, record_json=record)
            )
        model_doc = dataclasses.replace(doc, procedures=found.procedures, plan_source="model")
        result.plans = plans_of(model_doc, uri=uri, app=self.app)
        self.counts["procedures_from_model"] += len(result.plans)
        self.counts["model_sections_unmatched"] += found.unmatched_sections
