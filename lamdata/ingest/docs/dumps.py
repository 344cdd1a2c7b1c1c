"""JSON, JSON-lines and CSV/TSV task dumps: WikiHow-style title + steps, and UFO task files.

A record is recognized by its keys, so a file may come from any scraper: a title (``title``,
``task``, ``goal``, ``question``, ``name``) and steps (``steps``, ``methods``, ``parts``,
``instructions``, ``step``, ``headline``, ``text``), where steps may be a list of strings, a list
of ``{"headline"|"step"|"text": ...}`` objects, a list of methods ``{"name", "steps"}``, or one
string with a step per line or "1. ... 2. ...". Records with ``refined_steps`` are UFO task files
(``ufo_tasks.py``). CSV files need a title column and a steps column; consecutive rows with the
same title (and method/section column, if any) form one procedure, so one-row-per-step dumps
work as well as one-row-per-article dumps. Every refused record or row is reported with its line
(CSV, JSON lines) or JSON pointer (JSON), and the rest of the file is kept.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from lamdata.ingest.docs.base import DocError, DocIssue, ParsedDoc, Procedure, Step
from lamdata.ingest.docs.markup import strip_inline_markup
from lamdata.ingest.docs.outline import first_sentence
from lamdata.ingest.docs.procedures import (
    imperative,
    make_step,
    method_task,
    normalize_app,
    squash,
    strip_numbering,
)
from lamdata.ingest.docs.ufo_tasks import KEYS as UFO_KEYS
from lamdata.ingest.docs.ufo_tasks import is_ufo_record, ufo_procedure

TITLE_KEYS = ("title", "task", "goal", "question", "name", "article_title")
STEP_KEYS = ("steps", "methods", "parts", "instructions", "step", "headline", "headlines", "text")
SECTION_KEYS = ("method", "section", "sectionlabel", "section_label", "part", "method_name")
_STEP_FIELDS = ("headline", "step", "summary", "title", "text", "description")
_INLINE_NUMBERS = re.compile(r"(?:^|(?<=\s))\d{1,2}[.)]\s+")
_WRAPPERS = ("tasks", "data", "items", "articles", "records", "results", "rows")
_EXPECTED = (
    f"UFO task records {{{', '.join(UFO_KEYS)}}} or records with a title "
    f"({'/'.join(TITLE_KEYS[:4])}) and steps ({'/'.join(STEP_KEYS[:4])})"
)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def _pick(record: dict[str, Any], keys: tuple[str, ...]) -> tuple[str | None, Any]:
    lowered = {_key(k): v for k, v in record.items()}
    for key in keys:
        if key in lowered and lowered[key] not in (None, "", []):
            return key, lowered[key]
    return None, None


def is_dump_record(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    _, title = _pick(value, TITLE_KEYS)
    step_key, _ = _pick(value, STEP_KEYS)
    return isinstance(title, str) and step_key is not None and step_key != "title"


# -- steps -----------------------------------------------------------------------------------
def split_steps(text: str) -> list[str]:
    """One string of steps → steps: one per line, else "1. ... 2. ..." numbering."""
    lines = [ln for ln in (squash(x) for x in text.splitlines()) if ln]
    if len(lines) > 1:
        return lines
    pieces = [p for p in (squash(x) for x in _INLINE_NUMBERS.split(text)) if p]
    return pieces or lines


def dump_step(value: Any) -> Step | None:
    """A WikiHow step: the first sentence of its headline or text (the rest is detail)."""
    if isinstance(value, dict):
        _, value = _pick(value, _STEP_FIELDS)
    if not isinstance(value, str):
        return None
    plain, terms = strip_inline_markup(value)
    return make_step(first_sentence(strip_numbering(squash(plain))), terms)


def _sections(value: Any) -> list[tuple[str, list[Any]]]:
    if isinstance(value, str):
        return [("", split_steps(value))]
    if isinstance(value, dict) and "steps" in value:
        value = [value]
    if not isinstance(value, list):
        return []
    if value and all(isinstance(v, dict) and "steps" in v for v in value):
        out = []
        for method in value:
            name = next((str(method[k]) for k in ("name", "title", "method") if method.get(k)), "")
            steps = method["steps"]
            out.append((name, split_steps(steps) if isinstance(steps, str) else list(steps)))
        return out
    return [("", value)]


def dump_procedures(record: dict[str, Any], where: str) -> list[Procedure] | DocIssue:
    """Procedures of one title + steps record (one per method)."""
    _, title = _pick(record, TITLE_KEYS)
    _, value = _pick(record, STEP_KEYS)
    _, section = _pick(record, SECTION_KEYS)
    _, app = _pick(record, ("app", "application", "product"))
    title = squash(str(title))
    goal, _ = imperative(title)
    out = []
    for name, raw in _sections(value):
        steps = [s for s in (dump_step(v) for v in raw) if s is not None]
        name = name or (str(section) if section else "")
        if steps and goal:
            locator = f"{where}: " + " > ".join(p for p in (title, name) if p)
            task = method_task(goal, name) if name else goal
            app_id = normalize_app(app) if isinstance(app, str) else None
            out.append(Procedure(task, steps, locator, app=app_id, title=title, kind="wikihow"))
    if not out:
        return DocIssue(
            "bad_record",
            f"record at {where} has a title but no usable steps",
            line=_line(where),
            pointer=where if where.startswith("/") else "",
            record_json=json.dumps(record, ensure_ascii=False, default=str)[:2000],
        )
    return out


def _line(where: str) -> int | None:
    return int(where.split()[-1]) if where.startswith("line ") else None


# -- JSON and JSON lines -----------------------------------------------------------------------
def _records(data: Any) -> list[tuple[str, Any]] | None:
    if isinstance(data, list):
        return [(f"/{i}", r) for i, r in enumerate(data)]
    if isinstance(data, dict):
        if is_ufo_record(data) or is_dump_record(data):
            return [("", data)]
        for key in _WRAPPERS:
            if isinstance(data.get(key), list):
                return [(f"/{key}/{i}", r) for i, r in enumerate(data[key])]
    return None


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return f"an object with keys {', '.join(list(value)[:8]) or '(none)'}"
    return f"a JSON {type(value).__name__}"


def _collect(records: list[tuple[str, Any]]) -> tuple[list[Procedure], list[DocIssue]]:
    procedures: list[Procedure] = []
    issues: list[DocIssue] = []
    for where, record in records:
        if is_ufo_record(record):
            result: list[Procedure] | Procedure | DocIssue = ufo_procedure(record, where)
        elif is_dump_record(record):
            result = dump_procedures(record, where)
        else:
            result = DocIssue(
                "bad_shape",
                f"record at {where} is {_describe(record)}; expected {_EXPECTED}",
                line=_line(where),
                pointer=where if where.startswith("/") else "",
                record_json=json.dumps(record, ensure_ascii=False, default=str)[:2000],
            )
        if isinstance(result, DocIssue):
            issues.append(result)
        elif isinstance(result, Procedure):
            procedures.append(result)
        else:
            procedures.extend(result)
    return procedures, issues


def _doc(procedures: list[Procedure], issues: list[DocIssue], total: int) -> ParsedDoc:
    if total and not procedures and all(i.code == "bad_shape" for i in issues):
        first = issues[0]
        raise DocError("bad_shape", first.message, line=first.line, pointer=first.pointer)
    imported = any(p.kind == "import" for p in procedures)
    doc = ParsedDoc("import" if imported else "wikihow", "", procedures, issues=issues)
    doc.plan_source = "import" if imported else "document"
    return doc


def read_json(text: str, *, name: str) -> ParsedDoc:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocError(
            "bad_json",
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            line=exc.lineno,
        ) from exc
    records = _records(data)
    if records is None:
        raise DocError("bad_shape", f"the file is {_describe(data)}; expected {_EXPECTED}")
    procedures, issues = _collect(records)
    return _doc(procedures, issues, len(records))


def read_jsonl(text: str, *, name: str) -> ParsedDoc:
    records: list[tuple[str, Any]] = []
    issues: list[DocIssue] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append((f"line {number}", json.loads(line)))
        except json.JSONDecodeError as exc:
            issues.append(
                DocIssue(
                    "bad_json",
                    f"line {number} is not valid JSON: {exc.msg}",
                    line=number,
                    record_json=line[:2000],
                )
            )
    procedures, more = _collect(records)
    return _doc(procedures, issues + more, len(records))


# -- CSV / TSV ---------------------------------------------------------------------------------
def _delimiter(text: str, name: str) -> str:
    if name.lower().removesuffix(".gz").endswith(".tsv"):
        return "\t"
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def read_csv(text: str, *, name: str) -> ParsedDoc:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, name))
    header = next(reader, None) or []
    if len(header) > 1000:
        raise DocError(
            "bad_columns", f"the header has {len(header)} columns: not a task dump", line=1
        )
    columns = {_key(h): i for i, h in reversed(list(enumerate(header)))}
    title_col = next((columns[k] for k in TITLE_KEYS if k in columns), None)
    steps_col = next((columns[k] for k in STEP_KEYS if k in columns and k != "title"), None)
    if title_col is None or steps_col is None:
        raise DocError(
            "bad_columns",
            f"the header needs a title column ({'/'.join(TITLE_KEYS)}) and a steps column "
            f"({'/'.join(STEP_KEYS)}); it has {', '.join(header[:20]) or 'no columns'}",
            line=1,
        )
    section_col = next((columns[k] for k in SECTION_KEYS if k in columns), None)
    app_col = next((columns[k] for k in ("app", "application", "product") if k in columns), None)
    groups: list[tuple[int, dict[str, Any]]] = []
    issues: list[DocIssue] = []
    line = 1
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                issues.append(_ragged(row, len(header), start))
                continue
            key = (row[title_col], row[section_col] if section_col is not None else "")
            cell = row[steps_col]
            last = groups[-1][1] if groups else None
            if (
                last
                and last["_key"] == key
                and isinstance(last["steps"], list)
                and len(split_steps(cell)) <= 1
            ):
                groups[-1][1]["steps"].append(cell)
                continue
            record: dict[str, Any] = {"_key": key, "title": key[0], "steps": [cell]}
            if len(split_steps(cell)) > 1:
                record["steps"] = cell
            record["method"] = key[1]
            record["app"] = row[app_col] if app_col is not None else None
            groups.append((start, record))
    except csv.Error as exc:
        issues.append(DocIssue("bad_csv", f"line {line + 1}: {exc}", line=line + 1))
    procedures, more = _collect([(f"line {n}", r) for n, r in groups])
    return ParsedDoc("wikihow", "", procedures, issues=issues + more)


def _ragged(row: list[str], width: int, line: int) -> DocIssue:
    return DocIssue(
        "ragged_row",
        f"line {line} has {len(row)} fields but the header has {width}",
        line=line,
        record_json=json.dumps(row, ensure_ascii=False)[:2000],
    )
