"""Readers: every log layout becomes batches of one shape, each row tagged with its line.

A batch is a polars frame with ``line`` (1-based line in the file; the header is line 1; the
1-based row for Parquet), ``user``, ``query``, ``time``, ``click`` (strings, empty when absent)
and ``extra`` (non-empty when a delimited row has more fields than its header), plus the
rejections the reader found itself (undecodable lines, bad JSON, ragged CSV rows).

The AOL and TSV reader is polars' CSV scanner with quoting off, so one row is one line (blank
lines included) and the row index is the line number; a file that is not valid UTF-8 is read
again lossily (U+FFFD), and the batch checks reject those lines one by one. CSV (quoted fields
may span lines) and JSON lines go through Python's readers, which know their line numbers;
Parquet through pyarrow.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import polars as pl
import pyarrow.parquet as pq

from lamdata.ingest.files import open_binary
from lamdata.ingest.logs.layout import ROLES, FileRejected, Layout, clip
from lamdata.records import Rejection

STAGE = "ingest_logs"
MAX_LINE_BYTES = 1 << 20
_BOM = b"\xef\xbb\xbf"
SCHEMA = {"line": pl.Int64, **{r: pl.String for r in ROLES}, "extra": pl.String}


@dataclass
class Batch:
    frame: pl.DataFrame
    rejections: list[Rejection] = field(default_factory=list)
    blank: int = 0
    lossy: bool = False  # undecodable bytes were read as U+FFFD: rows holding it are rejected
    whole: bool = False  # the whole file in one batch (no other batch follows)


def reject(path: Path, line: int, code: str, message: str, record: Any = None) -> Rejection:
    """A quarantined line (or file, at line 1): reason ``code: message``, locator the line."""
    record_json = "" if record is None else clip(json.dumps(record, ensure_ascii=False), 500)
    return Rejection.create(
        stage=STAGE,
        reason=f"{code}: {path} line {line}: {message}",
        uri=str(path),
        locator=str(line),
        record_json=record_json,
    )


def read_batches(
    path: Path, layout: Layout, batch_rows: int = 250_000, *, lossy: bool = False
) -> Iterator[Batch]:
    """Batches of ``path`` read with ``layout``. AOL/TSV: invalid UTF-8 raises polars'
    ComputeError unless ``lossy`` (then undecodable bytes read as U+FFFD)."""
    if layout.fmt in ("aol", "tsv"):
        yield from _delimited(path, layout, batch_rows, lossy)
    elif layout.fmt == "parquet":
        yield from _parquet(path, layout, batch_rows)
    else:
        yield from _python_rows(path, layout, batch_rows)


def _delimited(path: Path, layout: Layout, batch_rows: int, lossy: bool) -> Iterator[Batch]:
    names = list(layout.header)
    width = len(names) + 1  # one more column catches rows with too many fields
    cols = [f"c{i}" for i in range(width)]
    picks = {
        role: pl.col(cols[names.index(name)]) if name else pl.lit("")
        for role, name in layout.columns.items()
    }
    used = sorted({names.index(name) for name in layout.columns.values() if name} | {width - 1})
    options: dict[str, Any] = {
        "columns": used,  # unused columns are not materialized
        "has_header": False,
        "separator": "\t",
        "quote_char": None,
        "schema": dict.fromkeys(cols, pl.String),
        "truncate_ragged_lines": True,
        "missing_columns": "insert",
        "empty_string_is_null": False,
    }
    block_bytes = max(1 << 20, batch_rows * 64)
    line = 2 if layout.has_header else 1
    whole = _read_whole(path, layout.has_header, block_bytes, options, lossy)
    blocks = _blocks(path, layout.has_header, block_bytes) if whole is None else [whole]
    for block in blocks:
        first, rejections = line, []
        if isinstance(block, int):  # a line too long to hold, skipped
            rejections.append(reject(path, line, "line_too_long", f"{block:,}+ bytes"))
            frame, undecodable = _parse_block(b"", options, lossy)
            line += 1
        else:
            frame, undecodable = (
                block if isinstance(block, tuple) else _parse_block(block, options, lossy)
            )
            line += frame.height  # quoting is off: one row per line, blank lines included
        frame = frame.with_row_index("line", offset=first).select(
            pl.col("line").cast(pl.Int64),
            **{role: pick.fill_null("") for role, pick in picks.items()},
            extra=pl.col(cols[-1]),
        )
        yield Batch(frame, rejections, lossy=undecodable, whole=whole is not None)


def _read_whole(
    path: Path, has_header: bool, block_bytes: int, options: dict[str, Any], lossy: bool
) -> tuple[pl.DataFrame, bool] | None:
    """A plain file that fits in one read block, parsed by polars from the file itself (no
    copy through Python): the rows its blocks would give. None when the blocks are needed:
    a compressed or larger file, a header line too long to skip or not UTF-8, nothing after
    the header, or one row longer than a line may be (it may be a line :func:`_blocks`
    skips)."""
    size = path.stat().st_size
    if path.suffix.lower() == ".gz" or size > block_bytes:
        return None
    head = b""
    if has_header:
        with open_binary(path) as handle:
            head = handle.readline(MAX_LINE_BYTES)
        if not head.endswith(b"\n") or not _is_utf8(head):
            return None  # (an undecodable header must not make the rows read lossily)
    rest = size - len(head)
    if rest == 0:
        return None
    frame, undecodable = _parse_block(path, {**options, "skip_lines": int(has_header)}, lossy)
    if frame.height <= 1 and rest > MAX_LINE_BYTES:
        return None
    return frame, undecodable


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _parse_block(
    block: bytes | Path, options: dict[str, Any], lossy: bool
) -> tuple[pl.DataFrame, bool]:
    """A block of whole lines (or a file) as a frame; invalid UTF-8 is read lossily (and
    said so)."""
    if not block:
        return pl.DataFrame(schema=options["schema"]), False
    if not lossy:
        try:
            return pl.read_csv(block, encoding="utf8", **options), False
        except pl.exceptions.ComputeError as exc:
            if "utf-8" not in str(exc).lower():
                raise
    return pl.read_csv(block, encoding="utf8-lossy", **options), True


def _blocks(path: Path, skip_header: bool, block_bytes: int) -> Iterator[bytes | int]:
    """Blocks of whole lines of about ``block_bytes``: memory stays bounded whatever the file
    size. A line longer than MAX_LINE_BYTES is skipped without being held in memory: it comes
    as the count of bytes skipped (an int) instead of a block."""
    with open_binary(path) as handle:
        if skip_header:
            handle.readline(MAX_LINE_BYTES)
        pending = b""
        while chunk := handle.read(block_bytes):
            data = pending + chunk if pending else chunk
            cut = data.rfind(b"\n")
            if cut < 0 and len(data) > MAX_LINE_BYTES:
                skipped, pending = _skip_line(handle, len(data))
                yield skipped
                continue
            if cut == len(data) - 1:  # no copy when the block ends a line
                block, pending = data, b""
            else:
                block, pending = (data[: cut + 1], data[cut + 1 :]) if cut >= 0 else (b"", data)
            if block:
                yield block
        if pending:
            yield pending


def _skip_line(handle: BinaryIO, seen: int) -> tuple[int, bytes]:
    """Read past the rest of an overlong line: the bytes skipped, and what follows it."""
    while chunk := handle.read(1 << 20):
        end = chunk.find(b"\n")
        if end >= 0:
            return seen + end, chunk[end + 1 :]
        seen += len(chunk)
    return seen, b""


def _parquet(path: Path, layout: Layout, batch_rows: int) -> Iterator[Batch]:
    wanted = sorted({c for c in layout.columns.values() if c})
    start = 1
    for record_batch in pq.ParquetFile(path).iter_batches(batch_rows, columns=wanted):
        data = pl.from_arrow(record_batch)
        assert isinstance(data, pl.DataFrame)
        n = data.height
        frame = pl.DataFrame({"line": pl.int_range(start, start + n, eager=True)}).with_columns(
            **{
                role: data[name].cast(pl.String).fill_null("") if name else pl.lit("")
                for role, name in layout.columns.items()
            },
            extra=pl.lit(""),
        )
        start += n
        yield Batch(frame.cast(SCHEMA))  # type: ignore[arg-type]


class _Lines:
    """Decoded lines of a file; undecodable or overlong lines become rejections."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.number = 0
        self.row_start = 0
        self.rejections: list[Rejection] = []

    def __iter__(self) -> Iterator[str]:
        with open_binary(self.path) as handle:
            for raw in handle:
                self.number += 1
                text = self._decode(raw[3:] if self.number == 1 and raw[:3] == _BOM else raw)
                if text is not None:
                    self.row_start = self.row_start or self.number
                    yield text

    def _decode(self, raw: bytes) -> str | None:
        if len(raw) > MAX_LINE_BYTES:
            self.rejections.append(
                reject(self.path, self.number, "line_too_long", f"{len(raw):,} bytes")
            )
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = raw[exc.start : exc.start + 1].hex()
            message = f"not valid UTF-8 (byte 0x{bad} at column {exc.start + 1})"
            record = raw.decode("utf-8", errors="replace")
            self.rejections.append(reject(self.path, self.number, "bad_encoding", message, record))
            return None


def _python_rows(path: Path, layout: Layout, batch_rows: int) -> Iterator[Batch]:
    lines = _Lines(path)
    rows = _csv_rows(lines, layout) if layout.fmt == "csv" else _json_rows(lines, layout)
    buffer: list[tuple[int, str, str, str, str]] = []
    blank = 0
    for item in rows:
        if item is None:
            blank += 1
            continue
        buffer.append(item)
        if len(buffer) >= batch_rows:
            yield _batch(buffer, lines, blank)
            buffer, blank = [], 0
    yield _batch(buffer, lines, blank)


def _batch(rows: list[tuple[int, str, str, str, str]], lines: _Lines, blank: int) -> Batch:
    frame = pl.DataFrame(rows, schema=["line", *ROLES], orient="row").with_columns(extra=pl.lit(""))
    rejections, lines.rejections = lines.rejections, []
    return Batch(frame.cast(SCHEMA), rejections, blank)  # type: ignore[arg-type]


RowItem = tuple[int, str, str, str, str] | None


def _csv_rows(lines: _Lines, layout: Layout) -> Iterator[RowItem]:
    reader = csv.reader(iter(lines), delimiter=layout.separator)
    header = next(reader, None) if layout.has_header else list(layout.header)
    if header is None:
        return
    index = {role: header.index(name) if name else -1 for role, name in layout.columns.items()}
    while True:
        lines.row_start = 0
        row = next(reader, None)
        if row is None:
            return
        if not row:
            yield None
        elif len(row) != len(header):
            message = f"{len(row)} fields, the header has {len(header)}"
            lines.rejections.append(reject(lines.path, lines.row_start, "ragged_row", message, row))
        else:
            values = [row[index[r]] if index[r] >= 0 else "" for r in ROLES]
            yield (lines.row_start, values[0], values[1], values[2], values[3])


def _json_rows(lines: _Lines, layout: Layout) -> Iterator[RowItem]:
    for text in lines:
        number = lines.number
        if not text.strip():
            yield None
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            message = f"{exc.msg} (column {exc.colno})"
            lines.rejections.append(reject(lines.path, number, "bad_json", message, text))
            continue
        except RecursionError:
            message = "nested too deeply"
            lines.rejections.append(reject(lines.path, number, "bad_json", message, text))
            continue
        item = _json_item(value, layout)
        if isinstance(item, str):
            lines.rejections.append(reject(lines.path, number, "bad_shape", item, value))
        else:
            yield (number, *item)


def _json_item(value: Any, layout: Layout) -> tuple[str, str, str, str] | str:
    """The (query, user, time, click) of one JSON line, or why it has the wrong shape."""
    if not isinstance(value, dict):
        return f"a JSON {type(value).__name__}, expected an object with a query field"
    out = []
    for role in ROLES:
        key = layout.columns.get(role) or role
        item = value.get(key)
        if role == "query" and not isinstance(item, str):
            return f"no string field {key!r} for the query (keys: {', '.join(map(str, value))})"
        out.append("" if item is None or isinstance(item, dict | list) else str(item))
    return (out[0], out[1], out[2], out[3])


def file_rejection(path: Path, exc: FileRejected) -> Rejection:
    return reject(path, exc.line, exc.code, exc.message.removeprefix(f"{path} "))
