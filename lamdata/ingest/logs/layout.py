"""Which layout a log file has, and which of its columns hold the query, user, time and click.

Detection looks at the format flag, then the file name (``.parquet``, ``.jsonl``, ``.csv``,
through ``.gz``), then the first line: the AOL 2006 header (``AnonID Query QueryTime ItemRank
ClickURL``, tab-separated) is recognized by name, other tab- or comma-separated headers by
their column names (``--query-col`` and friends override the guess). What was detected is said
in one line (:attr:`Layout.description`) that goes into the run summary.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from lamdata.ingest.files import logical_suffix, open_binary

FORMATS = ("aol", "tsv", "csv", "jsonl", "parquet")
ROLES = ("query", "user", "time", "click")
AOL_HEADER = ("anonid", "query", "querytime", "itemrank", "clickurl")
SNIFF_BYTES = 1 << 20
GUESSES: dict[str, tuple[str, ...]] = {
    "query": ("query", "q", "search", "search_query", "query_text", "querystring", "keywords",
              "keyword", "term", "search_term", "text"),
    "user": ("anonid", "user", "user_id", "userid", "uid", "session", "session_id",
             "sessionid", "client_id", "visitor", "anon_id"),
    "time": ("querytime", "time", "timestamp", "ts", "date", "datetime", "created_at",
             "query_time", "event_time"),
    "click": ("clickurl", "click", "url", "clicked_url", "click_url", "clicked", "result_url"),
}  # fmt: skip


class FileRejected(Exception):
    """A whole file cannot be read as a log: ``code`` is the reason code, ``line`` where."""

    def __init__(self, code: str, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Layout:
    """How to read one file: its format, header, and the column of each role."""

    fmt: str
    columns: dict[str, str | None]
    header: tuple[str, ...] = ()
    has_header: bool = True
    separator: str = "\t"

    @property
    def description(self) -> str:
        mapped = ", ".join(f"{r}={self.columns.get(r) or '-'}" for r in ROLES)
        what = {
            "aol": "AOL 2006 layout (AnonID, Query, QueryTime, ItemRank, ClickURL)",
            "tsv": "tab-separated with header",
            "csv": "CSV with header",
            "jsonl": "JSON lines",
            "parquet": "Parquet",
        }[self.fmt]
        if self.fmt in ("aol", "tsv", "csv") and not self.has_header:
            what = what.replace(" with header", "") + ", no header line (columns by position)"
        return f"{what}; {mapped}"


def first_line(path: Path) -> str:
    """The first line of a file (decoded leniently), or a FileRejected if there is none."""
    try:
        with open_binary(path) as handle:
            head = handle.read(SNIFF_BYTES + 1)
    except (OSError, EOFError) as exc:
        raise FileRejected("unreadable", f"{path} cannot be read ({exc})") from exc
    if not head.strip():
        raise FileRejected("empty_file", f"{path} is empty (no log line)")
    end = head.find(b"\n")
    if end < 0 and len(head) > SNIFF_BYTES:
        raise FileRejected(
            "line_too_long", f"{path} line 1 is longer than {SNIFF_BYTES:,} bytes: not a log"
        )
    line = head if end < 0 else head[:end]
    return line.decode("utf-8", errors="replace").rstrip("\r").removeprefix("\ufeff")


def _pick(names: tuple[str, ...], role: str, given: str | None, path: Path) -> str | None:
    lowered = {n.strip().lower(): n for n in names}
    if given is not None:
        if given not in names and given.lower() not in lowered:
            raise FileRejected(
                "missing_column",
                f"{path} has no column {given!r} for the {role} "
                f"(columns: {clip(', '.join(names))})",
            )
        return given if given in names else lowered[given.lower()]
    return next((lowered[g] for g in GUESSES[role] if g in lowered), None)


def _mapped(fmt: str, names: tuple[str, ...], given: dict[str, str | None], path: Path) -> Layout:
    columns = {role: _pick(names, role, given.get(role), path) for role in ROLES}
    if columns["query"] is None:
        raise FileRejected(
            "missing_column",
            f"{path} has no query column (columns: {clip(', '.join(names)) or 'none'})",
        )
    sep = "\t" if fmt == "tsv" else ","
    return Layout(fmt, columns, names, True, sep)


def _split_header(line: str, sep: str) -> tuple[str, ...]:
    return tuple(next(csv.reader(io.StringIO(line), delimiter=sep)))


def _aol(line: str, explicit: bool) -> Layout | None:
    """The AOL layout: by its header, or (no header) by the shape of line 1, or as told."""
    header = tuple(line.split("\t"))
    found = tuple(f.strip().lower() for f in header) == AOL_HEADER
    looks = 3 <= len(header) <= 5 and header[0].isdigit() and bool(_DATETIME.match(header[2]))
    if not (found or looks or explicit):
        return None
    names = header if found else ("AnonID", "Query", "QueryTime", "ItemRank", "ClickURL")
    # roles by position: AnonID, Query, QueryTime, (ItemRank), ClickURL
    columns: dict[str, str | None] = dict(
        zip(ROLES, (names[1], names[0], names[2], names[4]), strict=True)
    )
    return Layout("aol", columns, names, found)


_DATETIME = re.compile(r"^\d{4}-\d\d-\d\d([ T]\d\d:\d\d(:\d\d)?)?")
_URL = re.compile(r"^(https?://|www\.)", re.IGNORECASE)


def _looks_headerless(fields: tuple[str, ...], given: dict[str, str | None]) -> bool:
    """Line 1 is data, not a header: a column was named by number, or no field is a known
    column name and one looks like data (a number, a date, a URL)."""
    query = given.get("query")
    if query is not None:
        return query.isdigit() and query not in fields
    lowered = {f.strip().lower() for f in fields}
    if any(g in lowered for names in GUESSES.values() for g in names):
        return False
    return any(f.isdigit() or _DATETIME.match(f) or _URL.match(f) for f in fields)


def _positional(fmt: str, fields: tuple[str, ...], given: dict[str, str | None]) -> Layout:
    """Columns by 1-based position: as given, else guessed from the values on line 1."""
    names = tuple(str(i + 1) for i in range(len(fields)))
    taken: dict[str, str | None] = {r: given[r] for r in ROLES if given.get(r)}
    tests: dict[str, Callable[[str], bool]] = {
        "user": str.isdigit,
        "time": lambda f: bool(_DATETIME.match(f)),
        "click": lambda f: bool(_URL.match(f)),
    }
    for role, test in tests.items():
        if role not in taken:
            taken[role] = next((n for n, f in zip(names, fields, strict=True) if test(f)), None)
    if "query" not in taken or taken["query"] is None:
        free = [(len(f), n) for n, f in zip(names, fields, strict=True)
                if n not in taken.values() and any(c.isalpha() for c in f)]  # fmt: skip
        taken["query"] = max(free)[1] if free else None
    sep = "\t" if fmt == "tsv" else ","
    return Layout(fmt, {r: taken.get(r) for r in ROLES}, names, False, sep)


def _by_suffix(path: Path) -> str | None:
    suffix = logical_suffix(path)
    return {".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
            ".csv": "csv", ".tsv": "tsv"}.get(suffix)  # fmt: skip


def detect_layout(path: Path, fmt: str | None, given: dict[str, str | None]) -> Layout:
    """The layout of ``path``: from ``fmt`` if given, else from its name and first line."""
    fmt = fmt or _by_suffix(path)
    if fmt == "parquet":
        return _parquet(path, given)
    line = first_line(path)
    if fmt == "jsonl" or (fmt is None and line.lstrip().startswith(("{", "["))):
        return _jsonl(line, given, path)
    if fmt in (None, "aol", "tsv"):
        aol = _aol(line, explicit=fmt == "aol")
        if aol is not None and not any(given.values()):
            return aol
        if fmt is None and "\t" not in line and "," in line:
            fmt = "csv"
    sep = "," if fmt == "csv" else "\t"
    fields = _split_header(line, sep)
    if _looks_headerless(fields, given):
        layout = _positional(fmt or "tsv", fields, given)
        if layout.columns["query"] is not None:
            return layout
    try:
        return _mapped(fmt or "tsv", fields, given, path)
    except FileRejected as exc:
        if fmt is not None:
            raise
        raise FileRejected(
            "unknown_layout",
            f"{path}: cannot tell the log layout from line 1 ({clip(line)!r}); "
            "pass --format and --query-col",
        ) from exc


def clip(text: str, size: int = 120) -> str:
    return text if len(text) <= size else text[:size] + "..."


def _jsonl(line: str, given: dict[str, str | None], path: Path) -> Layout:
    """JSON lines: roles guessed from the keys of the first line when it is an object."""
    try:
        first = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        first = None
    if first is None and line.lstrip().startswith(("[", "{")):
        _reject_json_document(path)
    if isinstance(first, dict):
        keys = tuple(str(k) for k in first)
        with contextlib.suppress(FileRejected):
            return Layout("jsonl", _mapped("jsonl", keys, given, path).columns, keys, False)
    return Layout("jsonl", {r: given.get(r) or r for r in ROLES}, (), False)


def _reject_json_document(path: Path) -> None:
    """A pretty-printed JSON document is one value over many lines: say so once."""
    if path.stat().st_size > 64 * SNIFF_BYTES:
        return
    with open_binary(path) as handle:
        try:
            value = json.loads(handle.read())
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            return
    raise FileRejected(
        "bad_shape",
        f"{path} holds one JSON {type(value).__name__} over several lines; expected JSON lines "
        "(one object with a query field per line)",
    )


def _parquet(path: Path, given: dict[str, str | None]) -> Layout:
    try:
        names = tuple(pq.read_schema(path).names)
    except (OSError, ValueError) as exc:
        raise FileRejected("bad_parquet", f"{path} is not a readable Parquet file ({exc})") from exc
    return Layout("parquet", _mapped("parquet", names, given, path).columns, names, False)
