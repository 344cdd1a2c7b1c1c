"""The store: a directory of Parquet tables that any engine can read as it is.

Design notes
- A table is a folder of parts (``<table>/<part>.parquet``). A part is written under a
  temporary name in the store's hidden ``.tmp/`` folder, flushed and fsynced, then renamed into
  place, so a reader (DuckDB, polars, pyarrow, Spark) never sees half a file, even after
  ``kill -9``, and a table folder holds nothing but committed parts.
- A part's name derives from the stage, its config hash and its input (:func:`part_name`), so a
  stage that already committed a part can skip it on a re-run: resume costs nothing.
- Rows are keyed by a content-hash ``id``; rows whose key is already in the table are not written
  again, so appending the same records twice leaves one copy.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from lamdata.errors import SchemaError, StoreError
from lamdata.hashing import content_hash
from lamdata.records import Record, Rejection, Run
from lamdata.store.checks import bad_field, schema_fingerprint, schema_mismatch
from lamdata.store.tables import TABLES

R = TypeVar("R", bound=Record)
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_TMP_MARK = ".tmp-"
#: Temporaries live in this store-level folder, outside every table folder, so that a reader
#: scanning a table folder (polars refuses mixed extensions) never meets a half-written file.
TMP_DIR = ".tmp"


def part_prefix(stage: str, config_hash: str) -> str:
    """The prefix shared by every part a stage writes with one config."""
    safe_stage = re.sub(r"[^a-z0-9_]+", "_", stage.lower()).strip("_")
    return f"{safe_stage}-{config_hash[:10]}"


def part_name(stage: str, config_hash: str, input_key: str) -> str:
    """The deterministic name of the part a stage writes for one input."""
    return f"{part_prefix(stage, config_hash)}-{content_hash(input_key, size=8)}"


class Store:
    """A lamdata store rooted at ``path`` (created on first write)."""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(
                f"store path {self.path} is a file, not a folder",
                hint="pass a folder path (it is created if missing) to --store",
            )
        if not self.path.exists() and not create:
            raise StoreError(f"no store at {self.path}", hint="run an ingest command first")
        self._schemas: dict[str, pa.Schema] = {n: spec.schema for n, spec in TABLES.items()}
        self._keys: dict[str, str | None] = {n: spec.key for n, spec in TABLES.items()}

    # -- tables -----------------------------------------------------------------------------
    def register(self, table: str, schema: pa.Schema, key: str | None = None) -> None:
        """Declare a further table (LLM cache, dedup clusters, splits, ...) and its schema."""
        if not _NAME.match(table):
            raise StoreError(f"bad table name {table!r}", hint="use lower_snake_case")
        self._schemas[table] = schema
        self._keys[table] = key

    def schema(self, table: str) -> pa.Schema:
        try:
            return self._schemas[table]
        except KeyError as exc:
            raise StoreError(
                f"unknown table {table!r}", hint=f"known tables: {', '.join(self._schemas)}"
            ) from exc

    def known(self) -> list[str]:
        """Tables whose schema this store knows."""
        return list(self._schemas)

    def tables(self) -> list[str]:
        """Declared tables plus any folder of Parquet parts found on disk (not ``exports/``)."""
        found = set()
        if self.path.is_dir():
            found = {p.parent.name for p in self.path.glob("*/*.parquet")}
        return sorted(set(self._schemas) | {f for f in found if _NAME.match(f)})

    def table_dir(self, table: str) -> Path:
        return self.path / table

    def parts(self, table: str, only: Sequence[str] | None = None) -> list[Path]:
        """Committed parts of a table, in name order (temporary files are never listed).

        ``only``: keep parts whose name starts with one of these prefixes (None keeps all).
        """
        folder = self.table_dir(table)
        if not folder.is_dir():
            return []
        found = sorted(p for p in folder.glob("*.parquet") if not p.name.startswith("."))
        if only is not None:
            found = [p for p in found if p.name.startswith(tuple(only))]
        return found

    def has_part(self, table: str, part: str) -> bool:
        return (self.table_dir(table) / f"{part}.parquet").exists()

    # -- writing ----------------------------------------------------------------------------
    def write(
        self,
        table: str,
        rows: Sequence[Record] | pa.Table,
        *,
        part: str,
        skip_existing_keys: bool = True,
    ) -> int:
        """Commit ``rows`` as one part of ``table``; returns the number of rows written.

        An empty part is still written: it marks the input as done for resume.
        """
        if self.has_part(table, part):
            return 0
        data = self._to_arrow(table, rows)
        key = self._keys.get(table)
        if key and data.num_rows:
            data = self._drop_known_keys(table, data, key) if skip_existing_keys else data
        self._atomic_write(self.table_dir(table) / f"{part}.parquet", data)
        return int(data.num_rows)

    def replace(self, table: str, rows: Sequence[Record] | pa.Table, *, part: str) -> int:
        """Make ``rows`` the whole content of a derived table (dedup clusters, splits, ...)."""
        old = [p for p in self.parts(table) if p.stem != part]
        target = self.table_dir(table) / f"{part}.parquet"
        data = self._to_arrow(table, rows)
        self._atomic_write(target, data)
        for path in old:
            path.unlink(missing_ok=True)
        return int(data.num_rows)

    def _to_arrow(self, table: str, rows: Sequence[Record] | pa.Table) -> pa.Table:
        schema = self.schema(table)
        if isinstance(rows, pa.Table):
            return self._table_to_schema(table, rows, schema)
        dicts = [r.to_dict() for r in rows]
        try:
            return pa.Table.from_pylist(dicts, schema=schema)
        except (pa.ArrowException, OverflowError, TypeError, ValueError) as exc:
            raise self._record_error(table, dicts, schema) from exc

    def _table_to_schema(self, table: str, rows: pa.Table, schema: pa.Schema) -> pa.Table:
        missing = [n for n in schema.names if n not in rows.column_names]
        if missing:
            raise SchemaError(
                f"rows for {table} lack columns {missing}",
                pointer=f"/{missing[0]}",
                hint="build rows with the table's record class; nothing was written",
            )
        try:
            return rows.select(schema.names).cast(schema)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
            raise SchemaError(
                f"rows for {table} do not fit its schema ({exc})", hint="nothing was written"
            ) from exc

    def _record_error(self, table: str, rows: list[dict[str, Any]], schema: pa.Schema) -> Exception:
        """A :class:`SchemaError` naming the first record that cannot be stored, and where."""
        for row in rows:
            pointer, reason = bad_field(row, schema)
            if pointer:
                key = self._keys.get(table) or "id"
                name = row.get(key) or "(no id)"
                return SchemaError(
                    f"record {name} for {table} is invalid at {pointer}: {reason}",
                    pointer=pointer,
                    hint="fix the field at the JSON pointer shown; nothing was written",
                )
        return SchemaError(f"records for {table} cannot be stored", hint="nothing was written")

    def _drop_known_keys(self, table: str, data: pa.Table, key: str) -> pa.Table:
        """Keep the first row of each key in the batch, minus keys the table already holds."""
        keys = data.column(key)
        first = _first_occurrences(keys.to_pylist())
        mask = pa.array([i in first for i in range(len(keys))], pa.bool_())
        known = self.keys(table, key)
        if known:
            mask = pc.and_(mask, pc.invert(pc.is_in(keys, value_set=pa.array(sorted(known)))))
        return data.filter(mask)

    def keys(self, table: str, key: str | None = None) -> set[str]:
        """Every key already committed in ``table``."""
        column = key or self._keys.get(table) or "id"
        out: set[str] = set()
        for path in self.parts(table):
            self.check_part(table, path)
            values = self._read_part(path, [column]).column(column).to_pylist()
            out.update(v for v in values if v is not None)
        return out

    def _atomic_write(self, target: Path, data: pa.Table) -> None:
        tmp = target.parent.parent / TMP_DIR / f"{target.parent.name}.{target.name}"
        tmp = tmp.with_name(f"{tmp.name}{_TMP_MARK}{os.getpid()}")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp.parent.mkdir(exist_ok=True)
            with open(tmp, "wb") as handle:
                pq.write_table(data, handle, compression="zstd")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StoreError(f"cannot write {target}: {exc.strerror or exc}") from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)

    # -- reading ----------------------------------------------------------------------------
    def _read_part(self, path: Path, columns: list[str] | None = None) -> pa.Table:
        try:
            return pq.read_table(path, columns=columns)
        except (pa.ArrowException, OSError, KeyError) as exc:
            raise StoreError(
                f"store file {path} is not a readable part of this table ({exc})",
                hint="move the file out of the store; lamdata wrote nothing over it",
            ) from exc

    def read(self, table: str, columns: list[str] | None = None) -> pa.Table:
        """The whole table as Arrow (an empty table with the schema when there is none)."""
        schema = self.schema(table) if table in self._schemas else None
        for path in self.parts(table):
            self.check_part(table, path)
        parts = [self._read_part(p, columns) for p in self.parts(table)]
        if schema is not None:
            target = pa.schema([schema.field(c) for c in columns]) if columns else schema
            parts = [
                self._conform(p, target, path)
                for p, path in zip(parts, self.parts(table), strict=True)
            ]
            return pa.concat_tables(parts) if parts else target.empty_table()
        if not parts:
            raise StoreError(f"table {table!r} is empty or unknown")
        return pa.concat_tables(parts, promote_options="default")

    def _conform(self, part: pa.Table, schema: pa.Schema, path: Path) -> pa.Table:
        missing = [n for n in schema.names if n not in part.column_names]
        if missing:
            raise StoreError(
                f"store file {path} lacks columns {missing}: it is not a lamdata part",
                hint="move the foreign file out of the store",
            )
        try:
            return part.select(schema.names).cast(schema)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise StoreError(f"store file {path} has incompatible column types ({exc})") from exc

    def records(self, table: str, cls: type[R]) -> list[R]:
        """The table's rows as typed records."""
        return [cls.from_dict(row) for row in self.read(table).to_pylist()]

    def iter_records(
        self, table: str, cls: type[R], only: Sequence[str] | None = None
    ) -> Iterable[tuple[Path, list[R]]]:
        """Rows part by part, for stages that work (and resume) per input part.

        ``only`` keeps the parts whose name starts with one of the given prefixes.
        """
        schema = self.schema(table)
        for path in self.parts(table, only):
            self.check_part(table, path)
            part = self._conform(self._read_part(path), schema, path)
            yield path, [cls.from_dict(row) for row in part.to_pylist()]

    def check_part(self, table: str, path: Path) -> int:
        """Rows in a part, after checking it is readable Parquet with the table's columns."""
        try:
            meta = pq.read_metadata(path)
            found = meta.schema.to_arrow_schema()
        except (pa.ArrowException, OSError) as exc:
            raise StoreError(
                f"store file {path} is not a readable Parquet file ({exc})",
                hint="move it out of the store; nothing else was changed",
            ) from exc
        if table in self._schemas:
            problem = schema_mismatch(found, self._schemas[table])
            if problem:
                raise StoreError(
                    f"store file {path} {problem}: it is not a lamdata part of {table}",
                    hint="move the foreign file out of the store; nothing else was changed",
                )
        return int(meta.num_rows)

    def check_parts(self, table: str, paths: Sequence[Path]) -> bool:
        """:meth:`check_part` for many parts, parsing in full one part per distinct schema
        (the others are compared by their schema bytes, a hundred times cheaper).

        Returns whether all parts have one and the same schema, so a reader need not unify them.
        """
        known: set[bytes] = set()
        uniform = True
        for path in paths:
            fingerprint = schema_fingerprint(path, known)
            if fingerprint is not None and fingerprint in known:
                continue
            self.check_part(table, path)
            if fingerprint is None:
                uniform = False
            else:
                known.add(fingerprint)
        return uniform and len(known) <= 1

    def count(self, table: str) -> int:
        return sum(self.check_part(table, p) for p in self.parts(table))

    # -- bookkeeping ------------------------------------------------------------------------
    def quarantine(
        self, rejections: Sequence[Rejection], *, part: str, run_id: str = "", created_at: str = ""
    ) -> int:
        for rejection in rejections:
            rejection.run_id = rejection.run_id or run_id
            rejection.created_at = rejection.created_at or created_at
        return self.write("quarantine", rejections, part=part)

    def record_run(self, run: Run) -> None:
        self.write("runs", [run], part=f"run-{run.run_id}")

    def retire(self, table: str, parts: Sequence[Path]) -> int:
        """Move parts out of a table into ``<store>/retired/<table>/`` (kept, not deleted)."""
        target = self.path / "retired" / table
        for path in parts:
            target.mkdir(parents=True, exist_ok=True)
            os.replace(path, target / path.name)
        if parts:
            _fsync_dir(self.table_dir(table))
        return len(parts)

    def clean_temporaries(self) -> int:
        """Remove temporary files left by writers that died (never committed parts)."""
        removed = 0
        for tmp in self.path.glob(f"{TMP_DIR}/*{_TMP_MARK}*"):
            pid = tmp.name.rsplit(_TMP_MARK, 1)[-1]
            if not tmp.is_file():
                continue
            if not pid.isdigit() or not pid_alive(int(pid)):
                tmp.unlink(missing_ok=True)
                removed += 1
        return removed


def _first_occurrences(values: list[Any]) -> set[int]:
    seen: set[Any] = set()
    first: set[int] = set()
    for i, value in enumerate(values):
        if value not in seen:
            seen.add(value)
            first.add(i)
    return first


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (a temporary file's writer may still be busy)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
